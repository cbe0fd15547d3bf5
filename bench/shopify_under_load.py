#!/usr/bin/python3
"""How fast Shopify's webhook deliveries are answered while the server takes an order load.

    bench/shopify_under_load.py VOUCH_BINARY [seconds] [deliveries]

A fresh SQLite database in a temp folder, a shop with a Shopify secret, `vouch serve` on a free
127.0.0.1 port; then, at once: wrk's single-order load (bench/orders.lua, 64 keep-alive
connections) and a stream of signed `orders/create` deliveries, each on a new connection as
Shopify sends them, half with a discount code (the one-by-one path), half without (the set
path). Prints the order load's rate and the deliveries' p50/p99/max latency: Shopify gives up on a
delivery after 5 s (issue 13). Needs wrk.
"""
import base64, hashlib, hmac, http.client, json, os, socket, subprocess, sys, tempfile, threading, time

BENCH = os.path.dirname(os.path.abspath(__file__))
vouch = os.path.abspath(sys.argv[1])
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
secret = "shpss_bench_secret"
tmp = tempfile.mkdtemp(prefix="vouch-shopify-")
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
env = dict(os.environ, VOUCH_DB=f"sqlite:{tmp}/v.db", VOUCH_LISTEN=f"127.0.0.1:{port}",
           VOUCH_PUBLIC_URL=f"http://127.0.0.1:{port}", VOUCH_LOG_LEVEL="warn",
           VOUCH_MAIL_FROM="bench@bench.test", VOUCH_SMTP_URL="smtp://127.0.0.1:1", VOUCH_WORKERS="1")
shop = json.loads(subprocess.run([vouch, "shop", "create", "--name", "Bench", "--url", "https://shop.test"],
                                 env=env, check=True, capture_output=True, text=True).stdout)
sid, key = shop["shop_id"], shop["api_key"]
subprocess.run([vouch, "shop", "set", "--id", str(sid), "survey_delay_seconds=3600", "throttle_days=0",
                f"shopify_webhook_secret={secret}"], env=env, check=True, capture_output=True)
server = subprocess.Popen([vouch, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close(); break
        except OSError:
            time.sleep(0.05)
    load = subprocess.Popen(["wrk", "-t2", "-c64", f"-d{seconds}s", "-s", f"{BENCH}/orders.lua",
                             f"http://127.0.0.1:{port}"], env=dict(env, BENCH_DIR=BENCH, BENCH_KEY=key),
                            stdout=subprocess.PIPE, text=True)
    time.sleep(1)  # the load is running
    latencies, statuses = [], []
    gap = max(0.0, (seconds - 2) / count)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for i in range(count):
        order = {"id": 7_000_000 + i, "email": f"s{i}@bench.test", "created_at": now, "currency": "EUR",
                 "total_price": "30.00", "customer": {"id": 900_000 + i, "email": f"s{i}@bench.test"},
                 "line_items": [{"product_id": 1, "title": "Cap", "quantity": 1, "price": "30.00"}],
                 "browser_ip": "203.0.113.9", "landing_site": "/"}
        if i % 2:
            order["discount_codes"] = [{"code": "SPRING10"}]
        body = json.dumps(order).encode()
        sig = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        t0 = time.monotonic()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", f"/hooks/shopify/{sid}", body,
                  {"Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
                   "X-Shopify-Hmac-Sha256": sig, "X-Shopify-Webhook-Id": f"wh-{i}"})
        r = c.getresponse(); r.read(); c.close()
        latencies.append(time.monotonic() - t0); statuses.append(r.status)
        time.sleep(gap)
    out = load.communicate()[0]
    rate = next((l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec")), "?")
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] * 1000
    bad = sum(1 for x in statuses if x != 201)
    print(f"order load: {rate} orders/s (wrk -t2 -c64 -d{seconds}s)")
    print(f"shopify deliveries: {len(latencies)}, not 201: {bad}, p50 {pct(50):.1f} ms, "
          f"p99 {pct(99):.1f} ms, max {latencies[-1] * 1000:.1f} ms (limit 5000 ms)")
    sys.exit(0 if bad == 0 and latencies[-1] < 5.0 else 1)
finally:
    server.terminate(); server.wait()
    subprocess.run(["rm", "-rf", tmp])
