#!/usr/bin/python3
"""End-to-end test of text messages through the Twilio-compatible REST gateway.

No Twilio server runs here, so a small HTTP server in this test stands in for it and checks each
request exactly as Twilio documents it: POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
HTTP basic auth AccountSid:AuthToken, a form-encoded body of To, From (or MessagingServiceSid),
Body and StatusCallback and nothing else; it answers 201 with a message resource. The test then
sends Vouch what Twilio would: status callbacks and inbound messages to /hooks/twilio, signed with
X-Twilio-Signature (base64 HMAC-SHA1 of the full URL and the sorted form parameters under the
Auth Token); a wrong signature is a 403. Run by CTest as e2e.sms_twilio (VOUCH_BIN).
"""

import base64
import datetime
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

from e2e_support import free_port, stop_processes, wait_for
from sms_kannel_test import daytime_number

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "twilio-auth-token-for-tests"
FROM = "+15005550006"


def signature(url, params):
    data = url + "".join(k + v for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


class TwilioStandIn(http.server.BaseHTTPRequestHandler):
    """Checks each request as Twilio's Messages API documents it; records the accepted ones."""

    received = []
    problems = []
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def fail(self, why):
        with self.lock:
            self.problems.append(why)
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        body = json.dumps({"code": 21604, "message": why, "status": 400}).encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != "/2010-04-01/Accounts/%s/Messages.json" % SID:
            return self.fail("path " + self.path)
        expected = "Basic " + base64.b64encode(("%s:%s" % (SID, TOKEN)).encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.fail("authorization %r" % self.headers.get("Authorization"))
        if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return self.fail("content type %r" % self.headers.get("Content-Type"))
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
        form = dict(pairs)
        if len(form) != len(pairs):
            return self.fail("repeated parameters: %r" % raw)
        if set(form) != {"To", "From", "Body", "StatusCallback"}:
            return self.fail("parameters %r" % sorted(form))
        if not re.fullmatch(r"\+[1-9]\d{6,14}", form["To"]) or form["From"] != FROM or not form["Body"]:
            return self.fail("values %r" % form)
        sid = "SM%032x" % len(self.received)
        with self.lock:
            self.received.append(dict(form, Sid=sid))
        body = json.dumps({"sid": sid, "account_sid": SID, "to": form["To"], "from": form["From"],
                           "body": form["Body"], "status": "queued", "num_segments": "1"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class SmsTwilioTest(unittest.TestCase):
    def setUp(self):
        self.vouch = os.path.abspath(os.environ.get("VOUCH_BIN", ""))
        if not os.access(self.vouch, os.X_OK):
            self.fail("set VOUCH_BIN to the vouch binary")
        self.tmp = tempfile.mkdtemp(prefix="vouch-twilio-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.procs = []
        self.addCleanup(lambda: stop_processes(self.procs, grace=5))
        TwilioStandIn.received, TwilioStandIn.problems = [], []
        self.twilio = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TwilioStandIn)
        threading.Thread(target=self.twilio.serve_forever, daemon=True).start()
        self.addCleanup(self.twilio.server_close)
        self.addCleanup(self.twilio.shutdown)
        self.db = "sqlite:" + os.path.join(self.tmp, "vouch.db")
        out = self.cli("shop", "create", "--name", "Trail Shop", "--url", "https://trail.example/")
        self.api_key, self.shop_id = out["api_key"], out["shop_id"]
        self.cli("shop", "set", "--id", str(self.shop_id), "survey_delay_seconds=0", "channel=sms_first")
        self.port = free_port()
        self.public = "http://127.0.0.1:%d" % self.port
        os.mkdir(os.path.join(self.tmp, "mail"))
        self.log = os.path.join(self.tmp, "vouch.log")
        with open(self.log, "ab") as log:
            self.procs.append(subprocess.Popen(
                [self.vouch, "serve"], cwd=self.tmp, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=self.env(VOUCH_LISTEN="127.0.0.1:%d" % self.port, VOUCH_PUBLIC_URL=self.public,
                             VOUCH_MAIL_DIR=os.path.join(self.tmp, "mail"),
                             VOUCH_SMS_URL="twilio+http://%s:%s@127.0.0.1:%d" % (SID, TOKEN,
                                                                                 self.twilio.server_port),
                             VOUCH_SMS_FROM=FROM)))
        wait_for("vouch serve", lambda: self.status("/healthz") == 200, 15)

    def run(self, result=None):
        before = len(result.failures) + len(result.errors) if result else 0
        out = super().run(result)
        if result and len(result.failures) + len(result.errors) > before:
            with open(self.log, errors="replace") as f:
                sys.stderr.write(f.read()[-6000:])
        return out

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

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode("utf-8", errors="replace")
        finally:
            conn.close()

    def status(self, path):
        try:
            return self.request("GET", path)[0]
        except OSError:
            return None

    def api(self, method, path, payload=None, expect=200):
        headers = {"Authorization": "Bearer " + self.api_key}
        body = None
        if payload is not None:
            body, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
        status, _, text = self.request(method, path, body, headers)
        self.assertEqual(status, expect, text)
        return json.loads(text) if text else None

    def twilio_post(self, url, params, sign=True):
        """POSTs `params` to `url` (one of Vouch's) as Twilio does, signed unless told not to."""
        self.assertTrue(url.startswith(self.public), url)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": signature(url, params) if sign else signature(url + "x", params)}
        return self.request("POST", url[len(self.public):], urllib.parse.urlencode(params), headers)

    def jobs(self):
        return self.api("GET", "/api/v1/jobs?limit=50")["jobs"]

    def test_messages_callbacks_and_replies_as_twilio_documents_them(self):
        _, _, e164 = daytime_number()
        now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
        self.api("POST", "/api/v1/orders", {
            "id": "o-1", "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "currency": "EUR",
            "total_price": "40.00",
            "customer": {"id": "c-1", "email": "ana@example.com", "phone": e164, "accepts_sms_marketing": True},
        }, expect=201)
        wait_for("the survey text at Twilio", lambda: TwilioStandIn.received, 20)
        self.assertEqual(TwilioStandIn.problems, [])
        survey = TwilioStandIn.received[0]
        self.assertEqual(survey["To"], e164)
        self.assertRegex(survey["Body"], r"%s/q/[A-Za-z0-9_-]+" % re.escape(self.public))
        callback = survey["StatusCallback"]
        self.assertTrue(callback.startswith(self.public + "/hooks/twilio?job="), callback)

        # A status callback with a wrong signature: 403, nothing recorded.
        delivered = {"AccountSid": SID, "MessageSid": survey["Sid"], "MessageStatus": "delivered",
                     "To": e164, "From": FROM, "ApiVersion": "2010-04-01"}
        self.assertEqual(self.twilio_post(callback, delivered, sign=False)[0], 403)
        self.assertEqual([j["delivery"] for j in self.jobs() if j["kind"] == "survey"], [""])
        # Signed: the job shows "delivered".
        self.assertEqual(self.twilio_post(callback, delivered)[0], 204)
        self.assertEqual([j["delivery"] for j in self.jobs() if j["kind"] == "survey"], ["delivered"])

        # An inbound reply "9/10": answered; the activation text goes out.
        inbound = {"AccountSid": SID, "MessageSid": "SM" + "1" * 32, "From": e164, "To": FROM, "Body": "9/10",
                   "NumMedia": "0"}
        self.assertEqual(self.twilio_post(self.public + "/hooks/twilio", inbound, sign=False)[0], 403)
        status, ctype, twiml = self.twilio_post(self.public + "/hooks/twilio", inbound)
        self.assertEqual((status, ctype.split(";")[0]), (200, "text/xml"))
        self.assertNotIn("<Message>", twiml)
        wait_for("the activation text", lambda: TwilioStandIn.received[1:], 20)
        activation = TwilioStandIn.received[1]
        self.assertIn("/r/", activation["Body"])
        # Its status callback says undelivered: the job fails with Twilio's reason.
        failed = {"AccountSid": SID, "MessageSid": activation["Sid"], "MessageStatus": "undelivered",
                  "ErrorCode": "30003", "To": e164, "From": FROM}
        self.assertEqual(self.twilio_post(activation["StatusCallback"], failed)[0], 204)
        act = [j for j in self.jobs() if j["kind"] == "activation"]
        self.assertEqual((act[0]["status"], act[0]["delivery"]), ("failed", "failed"), act)
        self.assertIn("30003", act[0]["last_error"])

        # STOP: confirmed in TwiML once, not twice.
        stop = dict(inbound, Body="stop", MessageSid="SM" + "2" * 32)
        status, _, twiml = self.twilio_post(self.public + "/hooks/twilio", stop)
        self.assertEqual(status, 200)
        self.assertRegex(twiml, r"<Response><Message>[^<]*START[^<]*</Message></Response>")
        status, _, twiml = self.twilio_post(self.public + "/hooks/twilio", dict(stop, MessageSid="SM" + "3" * 32))
        self.assertNotIn("<Message>", twiml)
        self.assertEqual(TwilioStandIn.problems, [])

    def test_template_preview_counts_characters_and_segments(self):
        preview = self.api("GET", "/api/v1/templates/en/survey.sms/preview")
        self.assertEqual((preview["encoding"], preview["segments"]), ("gsm7", 1), preview)
        self.assertEqual(preview["characters"], len(preview["text"]))
        self.assertRegex(preview["text"], r"^Trail Shop: .* %s/q/\S+$" % re.escape(self.public))
        # An override outside GSM-7 is UCS-2, and a long one is cut before its link, never in it.
        status, _, _ = self.request("PUT", "/api/v1/templates/en/survey.sms", ("Grüß dich ✓ " * 40).encode(),
                                    {"Authorization": "Bearer " + self.api_key})
        self.assertEqual(status, 200)
        preview = self.api("GET", "/api/v1/templates/en/survey.sms/preview")
        self.assertEqual((preview["encoding"], preview["segments"]), ("ucs2", 3), preview)
        self.assertRegex(preview["text"], r"\.\.\. %s/q/\S+$" % re.escape(self.public))
        self.api("GET", "/api/v1/templates/en/survey.txt/preview", expect=400)


if __name__ == "__main__":
    unittest.main()
