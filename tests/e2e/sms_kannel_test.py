#!/usr/bin/python3
"""End-to-end test of text messages through a real Kannel (Debian's kannel and kannel-extras).

    order with a mobile number -> survey SMS at fakesmsc -> inbound "10" from fakesmsc answers it
    -> activation SMS with the code and share link -> delivery reports reach /api/v1/jobs
    -> inbound "STOP" opts the number out (confirmed once) -> the next order of that number gets
    no SMS

bearerbox, smsbox and two fakesmsc clients run on loopback ports the test picks: one fake SMSC
receives every text Vouch sends (a long-lived fakesmsc), the other carries the phone's replies
(one fakesmsc per reply, which also shows Kannel's answer to it: the STOP confirmation).
Run by CTest as e2e.sms_kannel (VOUCH_BIN names the binary); skipped when Kannel is not installed.
Quiet hours (21:00-09:00 at the customer) are real: the test picks a phone number of a region
where it is daytime now.
"""

import datetime
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from e2e_support import free_port, stop_processes, wait_for
from kannel_rig import SECRET, SENDER, Fakesmsc, Kannel, daytime_region, installed


def daytime_number():
    """A number of a region where it is 09:30-20:00 now, so quiet hours do not hold the test up."""
    region, _, national, e164, _, _ = daytime_region()
    return region, national, e164


class SmsKannelTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        if not installed():
            self.skipTest("Kannel is not installed: apt-get install kannel kannel-extras")
        self.vouch = os.path.abspath(os.environ.get("VOUCH_BIN", ""))
        if not os.access(self.vouch, os.X_OK):
            self.fail("set VOUCH_BIN to the vouch binary")
        self.tmp = tempfile.mkdtemp(prefix="vouch-sms-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.procs = []
        self.addCleanup(lambda: stop_processes(self.procs, grace=5))
        self.db = "sqlite:" + os.path.join(self.tmp, "vouch.db")
        self.port = free_port()
        self.public = "http://127.0.0.1:%d" % self.port
        try:
            self.start_kannel()
            self.create_shop()
            self.start_vouch()
        except BaseException:
            self.dump_logs()
            raise

    def dump_logs(self):
        for name in sorted(os.listdir(self.tmp)):
            if name.endswith(".log"):
                sys.stderr.write("\n===== %s =====\n" % name)
                with open(os.path.join(self.tmp, name), encoding="utf-8", errors="replace") as f:
                    sys.stderr.write(f.read()[-6000:])


    # --- Kannel ----------------------------------------------------------------------------------
    def start_kannel(self):
        self.kannel = Kannel(self.tmp, self.public, self.spawn)
        self.kannel.start()
        self.handset = self.kannel.handset

    def spawn(self, argv, log_name, stdin=subprocess.DEVNULL, env=None):
        log = open(os.path.join(self.tmp, log_name), "ab")
        p = subprocess.Popen(argv, cwd=self.tmp, stdin=stdin, stdout=log, stderr=log, env=env)
        log.close()
        self.procs.append(p)
        return p

    def reply(self, phone, text, expect_answer=None):
        """The phone sends `text` through the MO fake SMSC; returns Kannel's answers to it."""
        log = os.path.join(self.tmp, "mo-%d.log" % time.monotonic_ns())

        def output():
            with open(log, errors="replace") as f:
                return f.read()
        # Counted before the text leaves: Kannel's answer can reach the handset before fakesmsc
        # reports the text sent.
        before = len(self.handset.messages())
        with open(log, "wb") as out:
            p = subprocess.Popen(self.kannel.reply_argv(phone, text), stdout=out, stderr=subprocess.STDOUT,
                                 cwd=self.tmp)
        try:
            wait_for("fakesmsc to send %r" % text, lambda: "sent message 1" in output(), 10)
            # Kannel routes the answer back through the SMSC the text came from, or, while that
            # client reconnects, through the other one: look at both.
            if expect_answer:
                wait_for("Kannel's answer to %r" % text, lambda: Fakesmsc(log).messages() or
                         [m for m in self.handset.messages()[before:] if "START" in m[2]], 40)
            else:
                time.sleep(1.0)  # room for a wrong answer to show up
            return Fakesmsc(log).messages() + [m for m in self.handset.messages()[before:] if "START" in m[2]]
        finally:
            if p.poll() is None:
                p.terminate()
            p.wait(timeout=5)

    # --- Vouch -----------------------------------------------------------------------------------
    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("VOUCH_")}
        env["VOUCH_DB"] = self.db
        env.update(extra)
        return env

    def cli(self, *args):
        r = subprocess.run([self.vouch, *args], env=self.env(), cwd=self.tmp, capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return json.loads(r.stdout)

    def create_shop(self):
        out = self.cli("shop", "create", "--name", "Trail Shop", "--url", "https://trail.example/")
        self.api_key, self.shop_id = out["api_key"], out["shop_id"]
        shown = self.cli("shop", "set", "--id", str(self.shop_id), "survey_delay_seconds=0", "channel=sms",
                         "default_region=DE")
        self.assertEqual((shown["channel"], shown["default_region"]), ("sms", "DE"))

    def start_vouch(self):
        os.mkdir(os.path.join(self.tmp, "mail"))
        self.spawn([self.vouch, "serve"], "vouch.log",
                   env=self.env(VOUCH_LISTEN="127.0.0.1:%d" % self.port, VOUCH_PUBLIC_URL=self.public,
                                VOUCH_MAIL_DIR=os.path.join(self.tmp, "mail"), VOUCH_LOG_LEVEL="debug",
                                VOUCH_SMS_URL=self.kannel.sms_url(),
                                VOUCH_SMS_FROM=SENDER, VOUCH_SMS_HOOK_SECRET=SECRET))
        wait_for("vouch serve", lambda: self.http_ok("/healthz"), 15)

    def http(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read().decode("utf-8", errors="replace")
        finally:
            conn.close()

    def http_ok(self, path):
        try:
            return self.http("GET", path)[0] == 200
        except OSError:
            return False

    def api(self, method, path, payload=None, expect=200):
        headers = {"Authorization": "Bearer " + self.api_key}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        status, text = self.http(method, path, body, headers)
        self.assertEqual(status, expect, "%s %s -> %s %s" % (method, path, status, text))
        return json.loads(text) if text else None

    def order(self, order_id, customer_id, phone, expect=201):
        now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
        return self.api("POST", "/api/v1/orders", {
            "id": order_id, "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "currency": "EUR",
            "total_price": "40.00",
            "customer": {"id": customer_id, "phone": phone, "first_name": "Ana", "accepts_sms_marketing": True},
            "line_items": [{"product_id": "p-1", "title": "Trail shoes", "category": "shoes", "quantity": 1,
                            "price": "40.00"}],
        }, expect=expect)

    def jobs(self):
        return self.api("GET", "/api/v1/jobs?limit=50")["jobs"]

    # --- The test --------------------------------------------------------------------------------
    def test_survey_answer_activation_and_opt_out_through_kannel(self):
        try:
            self.loop()
        except BaseException:
            self.dump_logs()
            raise

    def loop(self):
        region, national, e164 = daytime_number()
        if region != "DE":  # a national number is read in the shop's default_region
            national = e164
        # An invalid number is a field error, nothing stored.
        bad = self.api("POST", "/api/v1/orders", {
            "id": "bad-1", "created_at": "2026-01-01T10:00:00Z", "currency": "EUR", "total_price": "1.00",
            "customer": {"id": "c-bad", "phone": "0151 1", "accepts_sms_marketing": True}}, expect=400)
        self.assertIn("phone", json.dumps(bad))

        self.order("o-1", "c-ana", national)
        # The survey text: the question and a short link to the eleven answers, at the handset.
        texts = wait_for("the survey SMS", lambda: self.handset.messages(), 20)
        self.assertEqual(len(texts), 1, texts)
        sender, to, body = texts[0]
        self.assertEqual((sender, to), (SENDER, e164))
        self.assertIn("Trail Shop", body)
        link = re.search(r"(%s/q/[A-Za-z0-9_-]+)" % re.escape(self.public), body)
        self.assertIsNotNone(link, body)
        self.assertTrue(body.endswith(link.group(1)) or "STOP" in body[link.end():], body)
        # The link's page shows the eleven answers.
        status, page = self.http("GET", link.group(1)[len(self.public):])
        self.assertEqual(status, 200)
        self.assertEqual(len(re.findall(r'href="%s/s/[^"]+/(\d+)"' % re.escape(self.public), page)), 11)

        # Delivery report from the fake SMSC: the survey job shows "delivered".
        def survey_job():
            return [j for j in self.jobs() if j["kind"] == "survey" and j["channel"] == "sms"]
        delivered = wait_for("the delivery report",
                             lambda: [j for j in survey_job() if j["delivery"] == "delivered"], 20)
        self.assertEqual(delivered[0]["status"], "done")

        # The handset replies "10": the answer counts, and the activation text follows.
        self.assertEqual(self.reply(e164, " 10 "), [])
        texts = wait_for("the activation SMS", lambda: self.handset.messages()[1:], 20)
        _, to, activation = texts[0]
        self.assertEqual(to, e164)
        promoters = self.api("GET", "/api/v1/promoters")
        code = json.dumps(promoters)
        m = re.search(r"Your code (\S+) gives friends", activation)
        self.assertIsNotNone(m, activation)
        self.assertIn(m.group(1), code)
        self.assertIn(self.public + "/r/" + m.group(1), activation)
        funnel = self.api("GET", "/api/v1/funnel?from=2020-01-01&to=2100-01-01")
        self.assertEqual((funnel["responses"], funnel["promoters"]), (1, 1), funnel)

        # STOP: opted out at once, confirmed once; a second STOP is not confirmed again.
        answers = self.reply(e164, "Stop", expect_answer=True)
        self.assertEqual(len(answers), 1, answers)
        self.assertIn("START", answers[0][2])
        self.assertEqual(self.reply(e164, "STOP"), [])

        # The next order of that number gets no text: SMS is not reachable any more.
        second = self.order("o-2", "c-ana-2", e164)
        self.assertEqual(second["survey"], {"status": "skipped", "reason": "no_channel"})
        time.sleep(1.0)
        texts = [m for m in self.handset.messages() if "START" not in m[2]]
        self.assertEqual(len(texts), 2, self.handset.messages())


if __name__ == "__main__":
    unittest.main()
