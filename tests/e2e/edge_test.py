#!/usr/bin/python3
"""Attacks on the edge, against a real `vouch serve` over loopback (with a real SMTP sink): each
case tries one hole of issue 12 and asserts it is closed.

    VOUCH_BIN=build/fast/src/vouch /usr/bin/python3 tests/e2e/edge_test.py
"""

import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import http.client
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import free_port, start_sink, stop_processes, wait_for  # noqa: E402

MIB = 1 << 20


class EdgeTest(unittest.TestCase):
    def setUp(self):
        self.vouch = os.path.abspath(os.environ.get("VOUCH_BIN", "build/fast/src/vouch"))
        if not os.access(self.vouch, os.X_OK):
            self.fail("set VOUCH_BIN to the vouch binary (got %r)" % self.vouch)
        self.tmp = tempfile.mkdtemp(prefix="vouch-edge-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.maildir = os.path.join(self.tmp, "mail")
        os.mkdir(self.maildir)
        self.procs = []
        self.addCleanup(stop_processes, self.procs, 5)
        sink, self.smtp_port = start_sink(self.maildir, self.tmp, timeout=10)
        self.procs.append(sink)
        out = json.loads(self.cli("shop", "create", "--name", "Trail Shop", "--url", "https://trail.example"))
        self.api_key = out["api_key"]

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("VOUCH_")}
        env["VOUCH_DB"] = "sqlite:" + os.path.join(self.tmp, "vouch.db")
        env.update(extra)
        return env

    def cli(self, *args):
        r = subprocess.run([self.vouch, *args], env=self.env(), cwd=self.tmp, capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def serve(self, **extra):
        self.log = os.path.join(self.tmp, "vouch.log")
        for _ in range(5):
            port = free_port()
            settings = {"VOUCH_LISTEN": "127.0.0.1:%d" % port, "VOUCH_PUBLIC_URL": "http://127.0.0.1:%d" % port,
                        "VOUCH_SMTP_URL": "smtp://127.0.0.1:%d" % self.smtp_port, "VOUCH_LOG_LEVEL": "info"}
            settings.update(extra)
            with open(self.log, "ab") as log:
                p = subprocess.Popen([self.vouch, "serve"], cwd=self.tmp, stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=log,
                                     env=self.env(**settings))
            self.procs.append(p)
            self.port = port
            try:
                wait_for("vouch serve", lambda: p.poll() is not None or self.healthy(), 10)
            except AssertionError:
                pass
            if p.poll() is None and self.healthy():
                return
            if p.poll() is None:
                p.kill()
                p.wait()
        self.fail("could not start vouch serve")

    def healthy(self):
        try:
            return self.http("GET", "/healthz", timeout=1)[0] == 200
        except OSError:
            return False

    def http(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=dict(headers or {}))
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read().decode("utf-8", errors="replace")
        finally:
            conn.close()

    def auth(self):
        return {"Authorization": "Bearer " + self.api_key, "Content-Type": "application/json"}

    def head_only(self, path, length, headers=""):
        """Sends only the request head announcing `length` bytes of body; returns the status line
        and how long the answer took, with none of the body sent."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        try:
            started = time.monotonic()
            s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s"
                       "Content-Length: %d\r\n\r\n" % (path, headers, length)).encode())
            answer = s.recv(4096).decode(errors="replace")
            return answer.split("\r\n", 1)[0], time.monotonic() - started, answer
        finally:
            s.close()

    # --- 1. Template bombs -----------------------------------------------------------------------
    def test_template_bomb_is_refused_at_upload_naming_the_problem(self):
        self.serve()
        bomb = "{{#buttons}}" * 12 + "{{score}}" + "{{/buttons}}" * 12
        status, _, body = self.http("PUT", "/api/v1/templates/en/survey.txt", bomb, self.auth())
        self.assertEqual(status, 400, body)
        problem = json.loads(body)
        self.assertEqual(problem["field"], "template")
        self.assertIn('section "buttons" is nested inside itself', problem["detail"])
        deep = "".join("{{#s%d}}" % i for i in range(20)) + "".join("{{/s%d}}" % i for i in reversed(range(20)))
        status, _, body = self.http("PUT", "/api/v1/templates/en/survey.txt", deep, self.auth())
        self.assertEqual(status, 400, body)
        self.assertIn("more than 8 deep", json.loads(body)["detail"])
        # Mail still flows after the attempts: an order's survey is sent.
        self.cli("shop", "set", "--id", "1", "survey_delay_seconds=0")
        order = {"id": "1", "created_at": "2026-11-20T10:00:00Z", "currency": "EUR", "total_price": "10.00",
                 "customer": {"id": "c1", "email": "anna@example.com", "first_name": "Anna"},
                 "line_items": [{"product_id": "p", "title": "Shoe", "quantity": 1, "price": "10.00"}]}
        status, _, body = self.http("POST", "/api/v1/orders", json.dumps(order), self.auth())
        self.assertEqual(status, 201, body)
        wait_for("the survey mail", lambda: [n for n in os.listdir(self.maildir) if n.endswith(".eml")], 20)

    # --- 2. Bodies before limits -----------------------------------------------------------------
    def test_a_64_mib_body_without_a_key_is_refused_before_it_is_read(self):
        self.serve()
        for path, headers in (("/api/v1/orders/batch", ""),
                              ("/api/v1/orders/batch", "Authorization: Bearer vk_not_a_key\r\n"),
                              ("/api/v1/orders", "Authorization: Bearer %s\r\n" % self.api_key),
                              ("/s/abc/9", "")):
            line, took, answer = self.head_only(path, 64 * MIB, headers)
            self.assertIn(" 413 ", line, "%s %s" % (path, answer))
            self.assertIn("exceeds 1048576 bytes", answer)
            self.assertLess(took, 2.0)
        # With a valid key the batch route takes more than 1 MiB (the key is new to the node: it
        # is looked up off the I/O thread while the body waits).
        orders = [{"id": "b%d" % i, "created_at": "2026-11-20T10:00:00Z", "currency": "EUR",
                   "total_price": "10.00", "note": "x" * 1000,
                   "customer": {"id": "c%d" % i, "email": "c%d@example.com" % i},
                   "line_items": [{"product_id": "p", "title": "Shoe", "quantity": 1, "price": "10.00"}]}
                  for i in range(1500)]
        body = json.dumps(orders)
        self.assertGreater(len(body), 1 * MIB)
        status, _, text = self.http("POST", "/api/v1/orders/batch", body, self.auth(), timeout=60)
        self.assertIn(status, (200, 207), text[:300])
        status, _, text = self.http("POST", "/api/v1/orders/batch", body,
                                    {"Authorization": "Bearer vk_wrong", "Content-Type": "application/json"})
        self.assertEqual(status, 413, text[:300])

    def test_json_nested_deeper_than_32_is_a_400(self):
        self.serve()
        for depth in (33, 100_000):
            status, _, body = self.http("POST", "/api/v1/orders", "[" * depth + "]" * depth, self.auth())
            self.assertEqual(status, 400, body[:300])
            self.assertIn("more than 32 deep", json.loads(body)["detail"])
        status, _, body = self.http("PATCH", "/api/v1/settings", '{"a":' * 50 + "1" + "}" * 50, self.auth())
        self.assertEqual(status, 400, body[:300])

    # --- 3. Share links --------------------------------------------------------------------------
    def test_guessing_share_codes_gets_nothing_and_is_throttled(self):
        self.serve()
        statuses = []
        started = time.monotonic()
        for i in range(60):
            status, headers, _ = self.http("GET", "/r/ANNA-%04d" % i)
            statuses.append(status)
            if status == 429:
                self.assertEqual(headers["Retry-After"], "1")
        self.assertNotIn(302, statuses)
        self.assertEqual(statuses[:20], [404] * 20, statuses)
        # 20 at once, then 5 a second: every request past what the rate refilled is refused.
        refilled = 5 * (time.monotonic() - started)
        self.assertGreaterEqual(statuses.count(429), 60 - 20 - refilled - 1, statuses)
        # The API is not throttled with the pages.
        for _ in range(40):
            self.assertEqual(self.http("GET", "/api/v1/settings", headers=self.auth())[0], 200)

    # --- 4. Privacy that is complete ---------------------------------------------------------------
    def stop_node(self):
        p = self.procs.pop()
        stop_processes([p], 10)

    def order(self, oid, customer, mail, first="Erin"):
        order = {"id": oid, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "currency": "EUR",
                 "total_price": "10.00", "customer": {"id": customer, "email": mail, "first_name": first},
                 "line_items": [{"product_id": "p", "title": "Shoe", "quantity": 1, "price": "10.00"}]}
        status, _, body = self.http("POST", "/api/v1/orders", json.dumps(order), self.auth())
        self.assertIn(status, (200, 201), body)
        return json.loads(body)

    def mails(self, maildir=None):
        d = maildir or self.maildir
        out = []
        for name in sorted(n for n in os.listdir(d) if n.endswith(".eml")):
            with open(os.path.join(d, name), "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            out.append(m.get_body(preferencelist=("plain",)).get_content())
        return out

    def promote(self, token):
        """Answers 10 on the survey of `token` as a person (confirming when asked); the code."""
        browser = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
        status, _, page = self.http("GET", "/s/%s/10" % token, headers=browser)
        self.assertEqual(status, 200, page)
        m = re.search(r'id="code">([A-Z0-9-]+)<', page)
        if not m:
            status, _, page = self.http("POST", "/s/%s/10/confirm" % token, headers=browser)
            self.assertIn(status, (200, 303), page)
            status, _, page = self.http("GET", "/s/%s" % token, headers=browser)
            m = re.search(r'id="code">([A-Z0-9-]+)<', page)
        self.assertIsNotNone(m, page)
        return m.group(1)

    def test_an_erased_customer_leaves_no_trace_and_stays_unsubscribed(self):
        self.cli("shop", "set", "--id", "1", "survey_delay_seconds=0", "throttle_days=0")
        self.serve()
        self.order("e1", "c-erin", "erin.doe@gmail.com")
        text = wait_for("Erin's survey", lambda: self.mails(), 20)[0]
        token = re.search(r"/s/([A-Za-z0-9_-]+)/10", text).group(1)
        unsubscribe = re.search(r"/u/([A-Za-z0-9_-]+)", text).group(1)
        code = self.promote(token)
        self.assertTrue(code.startswith("ERIN-"), code)
        self.assertEqual(self.http("GET", "/r/" + code)[0], 302)
        self.stop_node()
        # A mail server that refuses her address and echoes it, as real ones do.
        refusing = os.path.join(self.tmp, "refusing")
        os.mkdir(refusing)
        sink, port = start_sink(refusing, self.tmp, 10, ("--rcpt-reply", "550 5.1.1 <{address}>: no such user"))
        self.procs.insert(0, sink)
        self.serve(VOUCH_SMTP_URL="smtp://127.0.0.1:%d" % port)
        self.order("e2", "c-erin", "erin.doe@gmail.com")

        def failed_with_address():
            status, _, body = self.http("GET", "/api/v1/jobs?status=failed", headers=self.auth())
            return status == 200 and "erin.doe@gmail.com" in body
        wait_for("the refusal echoing her address", failed_with_address, 20)
        self.assertIn(self.http("POST", "/u/" + unsubscribe)[0], (200, 303))

        status, _, body = self.http("DELETE", "/api/v1/customers/c-erin", headers=self.auth())
        self.assertEqual(status, 204, body)
        self.assertEqual(self.http("GET", "/r/" + code)[0], 404, "her code no longer resolves")
        for path in ("/api/v1/jobs?limit=1000", "/api/v1/referrals", "/api/v1/promoters?from=2020-01-01",
                     "/api/v1/responses?from=2020-01-01&to=2100-01-01",
                     "/api/v1/promoters.csv?from=2020-01-01", "/api/v1/responses.csv?from=2020-01-01"):
            status, _, body = self.http("GET", path, headers=self.auth())
            self.assertEqual(status, 200, "%s: %s" % (path, body[:300]))
            for trace in ("erin", "Erin", code):
                self.assertNotIn(trace, body, path)
        self.stop_node()
        with open(self.log, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertIn("[address]", log, "the refusal was logged, redacted")
        for trace in ("erin.doe", "c-erin", code):
            self.assertNotIn(trace, log)
        # Her unsubscribe holds for the person: a new customer id with the same mailbox written
        # another way is not surveyed.
        self.serve()
        again = self.order("e3", "c-erin-2", "Erin.Doe+shoes@googlemail.com")
        self.assertEqual(again["survey"], {"status": "skipped", "reason": "unsubscribed"})
        self.assertEqual(self.order("o1", "c-other", "olga@example.com", "Olga")["survey"]["status"], "scheduled")

    # --- 6. Smaller ones: the link secret's rotation -----------------------------------------------
    def test_links_signed_before_a_rotation_work_for_the_grace_period_then_stop(self):
        self.serve()
        token = self.survey_token()
        self.stop_node()
        out = json.loads(self.cli("secret", "rotate", "--grace-days", "1"))
        self.assertTrue(out["rotated"])
        self.serve()
        self.assertEqual(self.http("GET", "/s/%s/9" % token)[0], 200, "in its grace period")
        self.stop_node()
        self.cli("secret", "rotate", "--grace-days", "0")
        self.serve()
        self.assertEqual(self.http("GET", "/s/%s/9" % token)[0], 404, "after it")
        self.assertEqual(self.http("GET", "/u/%s" % token)[0], 404)

    # --- Operations: /metrics ------------------------------------------------------------------------
    def test_metrics_need_their_token_and_name_routes_not_paths(self):
        self.serve(VOUCH_METRICS_TOKEN="m-token")
        self.assertEqual(self.http("GET", "/r/GUESS-1234")[0], 404)
        self.assertEqual(self.http("GET", "/metrics")[0], 401)
        status, headers, body = self.http("GET", "/metrics", headers={"Authorization": "Bearer m-token"})
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        self.assertIn('vouch_http_requests_total{route="/r/{code}",status="404"} 1', body)
        self.assertIn('vouch_store_info{kind="sqlite"', body)
        self.assertNotIn("GUESS", body)

    # --- 7. Load: a full handler queue, and a flood of share links ---------------------------------
    def test_a_full_handler_queue_answers_503_with_retry_after(self):
        self.serve(VOUCH_HANDLER_THREADS="1", VOUCH_HANDLER_QUEUE="1")
        orders = [{"id": "q%d" % i, "created_at": "2026-11-20T10:00:00Z", "currency": "EUR", "total_price": "10.00",
                   "customer": {"id": "qc%d" % i, "email": "q%d@example.com" % i},
                   "line_items": [{"product_id": "p", "title": "Shoe", "quantity": 1, "price": "10.00"}]}
                  for i in range(10000)]
        batch = json.dumps(orders)
        answers = []
        lock = threading.Lock()

        def slow_batch():
            r = self.http("POST", "/api/v1/orders/batch", batch, self.auth(), timeout=120)
            with lock:
                answers.append(("batch", r[0], r[1].get("Retry-After")))

        def ask():
            r = self.http("GET", "/api/v1/settings", headers=self.auth(), timeout=60)
            with lock:
                answers.append(("settings", r[0], r[1].get("Retry-After")))

        # The batch takes the only handler thread for seconds; the questions behind it fill the
        # queue of one, and every one beyond is answered at once.
        t = threading.Thread(target=slow_batch)
        t.start()
        time.sleep(0.5)
        askers = [threading.Thread(target=ask) for _ in range(12)]
        for a in askers:
            a.start()
        for a in askers:
            a.join()
        t.join()
        busy = [a for a in answers if a[1] == 503]
        self.assertTrue(busy, answers)
        for _, _, retry_after in busy:
            self.assertEqual(retry_after, "1")
        batch_status = [s for k, s, _ in answers if k == "batch"]
        self.assertEqual(len(batch_status), 1, answers)
        self.assertIn(batch_status[0], (200, 207), answers)
        self.assertTrue([a for a in answers if a[0] == "settings" and a[1] == 200], "the queued one is answered")
        self.assertEqual(self.http("GET", "/api/v1/settings", headers=self.auth())[0], 200, "and after")

    def test_public_pages_run_on_their_own_lower_priority_threads(self):
        self.serve(VOUCH_PUBLIC_THREADS="3", VOUCH_PUBLIC_NICE="7")
        pid = self.procs[-1].pid

        def nice_of(stat):  # /proc/PID/task/TID/stat: the 19th field, counted after the name
            return int(stat[stat.rindex(")") + 2:].split()[16])
        nices = []
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                nices.append(nice_of(f.read()))
        with open("/proc/%d/stat" % pid) as f:
            base = nice_of(f.read())
        self.assertEqual(nices.count(min(base + 7, 19)), 3, (base, nices))
        # A nice out of range is refused at start, naming the setting.
        bad = subprocess.run([self.vouch, "serve"], cwd=self.tmp, stdin=subprocess.DEVNULL, capture_output=True,
                             text=True, timeout=30, env=self.env(VOUCH_LISTEN="127.0.0.1:%d" % free_port(),
                                                                   VOUCH_PUBLIC_NICE="20"))
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("public_nice", bad.stdout + bad.stderr)

    def order_latencies(self, prefix, n):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        out = []
        try:
            for i in range(n):
                order = {"id": "%s%d" % (prefix, i), "created_at": "2026-11-20T10:00:00Z", "currency": "EUR",
                         "total_price": "10.00", "customer": {"id": "%sc%d" % (prefix, i),
                                                              "email": "%s%d@example.com" % (prefix, i)},
                         "line_items": [{"product_id": "p", "title": "Shoe", "quantity": 1, "price": "10.00"}]}
                started = time.perf_counter()
                conn.request("POST", "/api/v1/orders", body=json.dumps(order), headers=self.auth())
                resp = conn.getresponse()
                resp.read()
                out.append(time.perf_counter() - started)
                self.assertEqual(resp.status, 201)
        finally:
            conn.close()
        out.sort()
        return out

    def test_a_flood_of_share_links_leaves_ingest_answering(self):
        wrk = shutil.which("wrk")
        if not wrk:
            self.skipTest("wrk is not installed (scripts/install-deps.sh installs it)")
        # VOUCH_FLOOD_PUBLIC_NICE=0 runs the public pages' threads at the API's priority, to measure
        # what their lower priority (public_nice, 10 by default) does.
        extra = {"VOUCH_PUBLIC_RATE": "0"}
        if os.environ.get("VOUCH_FLOOD_PUBLIC_NICE"):
            extra["VOUCH_PUBLIC_NICE"] = os.environ["VOUCH_FLOOD_PUBLIC_NICE"]
        self.serve(**extra)
        token = self.survey_token()
        code = self.promote(token)
        self.order_latencies("w", 100)  # warm up: the key cache, the connection, SQLite's pages
        n = 400
        p99 = lambda xs: xs[int(len(xs) * 0.99) - 1]
        quiet = self.order_latencies("a", n)
        # The flood: one wrk thread, 16 connections, half to the real code (a read, and a visit
        # counted once for this client), half to unknown ones.
        script = os.path.join(self.tmp, "flood.lua")
        with open(script, "w") as f:
            f.write('local n = 0\nrequest = function()\n  n = n + 1\n'
                    '  if n %% 2 == 0 then return wrk.format("GET", "/r/%s") end\n'
                    '  return wrk.format("GET", "/r/GUESS-" .. n)\nend\n' % code)
        argv = [wrk, "-t1", "-c16", "-d30s", "-s", script, "http://127.0.0.1:%d/" % self.port]
        # VOUCH_FLOOD_WRK_CPUS=1 (with the test itself under `taskset -c 0`) gives the flood's
        # generator its own core, so the figures measure the server, not two programs sharing CPUs.
        if os.environ.get("VOUCH_FLOOD_WRK_CPUS"):
            argv = ["taskset", "-c", os.environ["VOUCH_FLOOD_WRK_CPUS"]] + argv
        flood = subprocess.Popen(argv,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            time.sleep(1)
            loaded = self.order_latencies("b", n)
        finally:
            flood.send_signal(signal.SIGINT)  # wrk stops and prints its summary
            out = flood.communicate(timeout=10)[0]
        rate = re.search(r"Requests/sec:\s*([0-9.]+)", out)
        figures = {"unloaded_p50_ms": round(quiet[n // 2] * 1000, 2), "unloaded_p99_ms": round(p99(quiet) * 1000, 2),
                   "flood_p50_ms": round(loaded[n // 2] * 1000, 2), "flood_p99_ms": round(p99(loaded) * 1000, 2),
                   "flood_requests_per_s": float(rate.group(1)) if rate else None}
        print("\nflood figures: %s" % json.dumps(figures), file=sys.stderr)
        # What must hold anywhere: every order during the flood was taken (order_latencies asserts
        # each 201) and the flood was a flood.
        self.assertIsNotNone(rate, out)
        self.assertGreater(float(rate.group(1)), 200, figures)
        # The latency bound is a performance figure, and performance is measured on a quiet machine,
        # not asserted in CI (a sanitizer build on 2 shared cores measured 2.4x to 5x here): set
        # VOUCH_TIMING_ASSERTS=1 to check it (docs/SECURITY.md records the figures).
        if os.environ.get("VOUCH_TIMING_ASSERTS") == "1":
            self.assertLessEqual(p99(loaded), 2 * p99(quiet) + 0.020, figures)

    # --- 5. Bad bytes -----------------------------------------------------------------------------
    def survey_token(self):
        """Ingests an order and returns the answer token from its survey mail."""
        self.cli("shop", "set", "--id", "1", "survey_delay_seconds=0")
        order = {"id": "u1", "created_at": "2026-11-20T10:00:00Z", "currency": "EUR", "total_price": "10.00",
                 "customer": {"id": "cu1", "email": "ute@example.com", "first_name": "Ute"},
                 "line_items": [{"product_id": "p", "title": "Shoe", "quantity": 1, "price": "10.00"}]}
        status, _, body = self.http("POST", "/api/v1/orders", json.dumps(order), self.auth())
        self.assertEqual(status, 201, body)
        names = wait_for("the survey mail", lambda: [n for n in os.listdir(self.maildir) if n.endswith(".eml")], 20)
        with open(os.path.join(self.maildir, names[0]), "rb") as f:
            mail = email.message_from_binary_file(f, policy=email.policy.default)
        text = mail.get_body(preferencelist=("plain",)).get_content()
        m = re.search(r"/s/([A-Za-z0-9_-]+)/9", text)
        self.assertIsNotNone(m, text)
        return m.group(1)

    def test_no_bad_byte_yields_a_500(self):
        self.serve(VOUCH_LOG_LEVEL="debug")
        token = self.survey_token()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.putrequest("GET", "/s/%s/9" % token)
        conn.putheader("User-Agent", b"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0 \xff\xfe\xc3")
        conn.endheaders()
        resp = conn.getresponse()
        resp.read()
        conn.close()
        self.assertEqual(resp.status, 200)
        status, _, body = self.http("POST", "/s/%s/comment" % token, "comment=gut%FF%FE%C3",
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertIn(status, (200, 303), body)
        self.assertEqual(self.http("GET", "/s/%s" % token)[0], 200)
        status, _, body = self.http("GET", "/api/v1/responses?from=2020-01-01&to=2030-01-01", headers=self.auth())
        self.assertEqual(status, 200, body)
        self.assertIn("gut\ufffd\ufffd\ufffd", json.loads(body)["responses"][0]["comment"])
        status, _, body = self.http("GET", "/api/v1/customers/cu1/export", headers=self.auth())
        self.assertNotEqual(status, 500, body)
        status, _, body = self.http("PUT", "/api/v1/templates/en/survey.txt", b"Caf\xe9 {{first_name}}", self.auth())
        self.assertEqual(status, 400, body)
        for path, body in (("/api/v1/orders", b'{"id": "\xff"}'), ("/api/v1/orders/batch", b"\xff\n\xfe"),
                           ("/api/v1/settings", b'{"name": "\xc3"}'), ("/api/v1/orders", b"\xff" * 100)):
            status, _, text = self.http("PATCH" if "settings" in path else "POST", path, body, self.auth())
            self.assertLess(status, 500, "%s %r -> %s" % (path, body, text))
            self.assertGreaterEqual(status, 200)
        # The access log names routes, not the link tokens and customer ids in their paths.
        with open(self.log, encoding="utf-8", errors="replace") as f:
            access = [json.loads(line) for line in f if '"http.request"' in line]
        paths = {entry["path"] for entry in access}
        self.assertIn("/s/{token}/{score}", paths)
        self.assertIn("/api/v1/customers/{id}/export", paths)
        for entry in access:
            self.assertNotIn(token, json.dumps(entry))
            self.assertNotIn("cu1", entry["path"])

    # --- 6. Smaller ones ---------------------------------------------------------------------------
    def test_smtp_credentials_without_tls_are_refused_at_start(self):
        url = "smtp://vouch:secret@127.0.0.1:%d" % self.smtp_port
        r = subprocess.run([self.vouch, "serve"], cwd=self.tmp, capture_output=True, text=True, timeout=30,
                           env=self.env(VOUCH_LISTEN="127.0.0.1:%d" % free_port(), VOUCH_SMTP_URL=url))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("credentials but no TLS", r.stdout + r.stderr)
        self.assertNotIn("secret", r.stdout + r.stderr)
        self.serve(VOUCH_SMTP_URL=url, VOUCH_SMTP_ALLOW_PLAINTEXT_AUTH="true")

    def test_connections_beyond_the_cap_get_503_and_are_closed(self):
        self.serve(VOUCH_MAX_CONNECTIONS="8", VOUCH_HTTP_THREADS="1")

        def ask(s):
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            return s.recv(4096).decode(errors="replace")

        # Eight keep-alive connections, each answered (so the server holds them all); one still
        # refused means a health check's connection was not yet gone: try that one again.
        held = []
        try:
            deadline = time.monotonic() + 10
            while len(held) < 8:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                if ask(s).startswith("HTTP/1.1 200"):
                    held.append(s)
                else:
                    s.close()
                    self.assertLess(time.monotonic(), deadline, "could not hold eight connections")
                    time.sleep(0.1)
            extra = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            answer = extra.recv(4096).decode(errors="replace")
            extra.close()
            self.assertTrue(answer.startswith("HTTP/1.1 503"), answer)
            self.assertIn("Retry-After: 1", answer)
        finally:
            for s in held:
                s.close()
        wait_for("a connection after the others closed", self.healthy, 5)

if __name__ == "__main__":
    unittest.main(verbosity=2)
