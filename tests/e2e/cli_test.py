#!/usr/bin/python3
"""The command line: shops, settings, the NPS report in the terminal, and clear errors for bad
configuration (file and line). Runs $VOUCH_BIN against a SQLite file in a temp folder.

    VOUCH_BIN=build/dev/src/vouch /usr/bin/python3 tests/e2e/cli_test.py
"""

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import free_port  # noqa: E402

VOUCH = os.environ.get("VOUCH_BIN", "build/dev/src/vouch")


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="vouch-cli-")
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("VOUCH_") and k != "VOUCH_BIN":
                del self.env[k]
        self.env["VOUCH_DB"] = "sqlite:" + os.path.join(self.tmp.name, "vouch.db")
        self.env["VOUCH_LOG_LEVEL"] = "warn"

    def tearDown(self):
        self.tmp.cleanup()

    def vouch(self, *args, ok=True, input=None):
        p = subprocess.run([VOUCH, *args], env=self.env, cwd=self.tmp.name, capture_output=True,
                           text=True, timeout=60, input=input)
        if ok:
            self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def create_shop(self):
        out = json.loads(self.vouch("shop", "create", "--name", "Trail Shop", "--url",
                                    "https://trail.example").stdout)
        return out["shop_id"], out["api_key"]

    def test_shop_create_prints_a_key_shown_once(self):
        shop_id, key = self.create_shop()
        self.assertEqual(shop_id, 1)
        self.assertTrue(key.startswith("vk_"))
        listed = self.vouch("shop", "list").stdout
        self.assertIn("Trail Shop", listed)
        self.assertNotIn(key, listed)
        rotated = json.loads(self.vouch("shop", "rotate-key", "--id", "1").stdout)["api_key"]
        self.assertNotEqual(rotated, key)

    def test_shop_set_changes_and_validates_settings(self):
        self.create_shop()
        out = json.loads(self.vouch("shop", "set", "--id", "1", "survey_delay_seconds=0",
                                    "discount_value=20", "locale=de").stdout)
        self.assertEqual(out["survey_delay_seconds"], 0)
        self.assertEqual(out["discount_value"], 20)
        self.assertEqual(out["locale"], "de")
        bad = self.vouch("shop", "set", "--id", "1", "discount_kind=free", ok=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("discount_kind", bad.stderr)
        unknown = self.vouch("shop", "set", "--id", "1", "colour=red", ok=False)
        self.assertIn("colour", unknown.stderr)
        missing = self.vouch("shop", "show", "--id", "9", ok=False)
        self.assertIn("not found", missing.stderr)

    def test_user_create_prints_a_one_time_password_or_takes_one_from_stdin(self):
        self.create_shop()
        ann = json.loads(self.vouch("user", "create", "--shop", "1", "--email", "Ann@Example.com",
                                    "--role", "admin").stdout)
        self.assertEqual(ann["shop_id"], 1)
        self.assertEqual(ann["email"], "ann@example.com")
        self.assertEqual(ann["role"], "admin")
        self.assertIsInstance(ann["user_id"], int)
        self.assertRegex(ann["password"], r"^[A-Za-z0-9_-]{24}$")

        dup = self.vouch("user", "create", "--shop", "1", "--email", "ann@example.com", "--role",
                         "viewer", ok=False)
        self.assertNotEqual(dup.returncode, 0)
        self.assertIn("email", dup.stderr)
        self.assertIn("already", dup.stderr)

        bob = json.loads(self.vouch("user", "create", "--shop", "1", "--email", "bob@example.com",
                                    "--role", "viewer", "--password-stdin",
                                    input="a chosen passphrase\n").stdout)
        self.assertEqual(bob["role"], "viewer")
        self.assertNotIn("password", bob)  # the caller chose it: nothing to show
        self.assertNotEqual(bob["user_id"], ann["user_id"])

        bad_role = self.vouch("user", "create", "--shop", "1", "--email", "c@example.com", "--role",
                              "owner", ok=False)
        self.assertEqual(bad_role.returncode, 2)
        self.assertIn("--role", bad_role.stderr)
        bad_email = self.vouch("user", "create", "--shop", "1", "--email", "nobody", "--role",
                               "admin", ok=False)
        self.assertEqual(bad_email.returncode, 2)
        self.assertIn("email", bad_email.stderr)
        short = self.vouch("user", "create", "--shop", "1", "--email", "d@example.com", "--role",
                           "admin", "--password-stdin", input="short\n", ok=False)
        self.assertEqual(short.returncode, 2)
        self.assertIn("password", short.stderr)
        no_shop = self.vouch("user", "create", "--shop", "9", "--email", "e@example.com", "--role",
                             "admin", ok=False)
        self.assertNotEqual(no_shop.returncode, 0)
        self.assertIn("not found", no_shop.stderr)

    def test_report_nps_prints_the_table_with_intervals(self):
        self.create_shop()
        empty = self.vouch("report", "nps", "--shop", "1", "--interval", "month").stdout
        self.assertRegex(empty, r"(?m)^overall\s+-\s+0\s+0\s+0\s+0$")
        self.assertIn("adjusted Wald", empty)
        bad = self.vouch("report", "nps", "--shop", "1", "--interval", "year", ok=False)
        self.assertIn("interval", bad.stderr)
        bad_date = self.vouch("report", "nps", "--shop", "1", "--from", "2026-02-30", ok=False)
        self.assertIn("--from", bad_date.stderr)

    def get(self, base, key, path):
        req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + key})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read().decode("utf-8"), r.headers

    def run_demo(self, demo, port, check):
        """Runs `vouch demo` until it prints its welcome, calls check(printed text), stops it."""
        p = subprocess.Popen([VOUCH, "demo", "--dir", demo], env=self.env, cwd=self.tmp.name,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            seen = ""
            for line in p.stdout:
                seen += line
                if "Stop with Ctrl-C" in line:
                    break
            self.assertIn("API key:", seen)
            check(seen)
        finally:
            p.terminate()
            p.wait(timeout=30)
            p.stdout.close()
        self.assertEqual(p.returncode, 0)

    def test_demo_seeds_a_living_shop_with_a_sign_in(self):
        # Six months of answers, follow-ups, referrals and a demo admin; the report shows them
        # with a real interval, the dashboard's data routes answer, and a second run keeps it all.
        demo = os.path.join(self.tmp.name, "demo")
        port = free_port()
        base = "http://127.0.0.1:%d" % port
        self.env = dict(self.env, VOUCH_DB="sqlite:" + os.path.join(demo, "vouch.db"),
                        VOUCH_LISTEN="127.0.0.1:%d" % port, VOUCH_PUBLIC_URL=base)

        def first_run(seen):
            self.assertIn("dashboard: %s/" % base, seen)
            m = re.search(r"sign in:\s+demo@vouch\.local / (\S+)\s+\(shown only this once\)", seen)
            self.assertIsNotNone(m, seen)
            self.assertGreaterEqual(len(m[1]), 16)
            key = re.search(r"API key:\s+(\S+)", seen)[1]
            summary = json.loads(self.get(base, key, "/api/v1/followups/summary")[0])
            self.assertGreater(summary["open"], 0)
            self.assertGreater(summary["resolved"], 0)
            self.assertGreater(summary["median_hours_to_resolve"], 0)
            funnel = json.loads(self.get(base, key, "/api/v1/funnel?from=2000-01-01")[0])
            self.assertGreater(funnel["orders"], 2000)
            self.assertGreater(funnel["rewards"], 0)
            german = json.loads(self.get(base, key, "/api/v1/responses?q=Lieferung&limit=5")[0])
            self.assertTrue(german["responses"], "German comments")
            csv, headers = self.get(base, key, "/api/v1/promoters.csv")
            self.assertIn("attachment", headers["Content-Disposition"])
            rows = csv.split("\r\n")
            self.assertTrue(rows[0].startswith("customer_id,"))
            self.assertGreater(len(rows), 100)
            top = json.loads(self.get(base, key, "/api/v1/promoters?limit=1")[0])["promoters"][0]
            page = json.loads(self.get(base, key, "/api/v1/promoters/" + top["customer_id"])[0])
            self.assertTrue(page["referrals"] and page["rewards"] and page["answers"])
            # One offer experiment runs over the last two months, its promoters split in two.
            experiments = json.loads(self.get(base, key, "/api/v1/experiments")[0])["experiments"]
            self.assertEqual([e["status"] for e in experiments], ["running"])
            results = json.loads(self.get(base, key, "/api/v1/experiments/%d" % experiments[0]["id"])[0])
            counted = [v["complete"] for v in results["results"]["variants"]]
            self.assertEqual(len(counted), 2)
            self.assertGreater(min(counted), 20, results["results"])
            # The month the carrier changed is a visible dip.
            months = json.loads(self.get(base, key, "/api/v1/nps?interval=month&from=2000-01-01")[0])
            scores = [b["nps"] for b in months["buckets"] if b["n"] > 100]
            self.assertGreater(max(scores) - min(scores), 15, scores)
            # Issue 16's reports each have something to say.
            program = json.loads(self.get(base, key, "/api/v1/program?from=2000-01-01")[0])
            self.assertGreaterEqual(len(program["generations"]), 2, "friends who became promoters")
            self.assertGreater(program["generations"][1]["promoters"], 0, program)
            self.assertGreater(program["all"]["referred_customers"], 0, program)
            themes = json.loads(self.get(base, key, "/api/v1/themes?from=2000-01-01")[0])
            self.assertTrue(themes["detractor_terms"] and themes["promoter_terms"], themes)
            tagged = json.loads(self.get(base, key, "/api/v1/themes/tagged?from=2000-01-01")[0])
            delivery = [t for t in tagged["themes"] if t["name"] == "Delivery"]
            self.assertEqual(len(delivery), 1, tagged)
            self.assertGreater(delivery[0]["detractors"]["tagged"], 0, tagged)
            timeline = json.loads(self.get(base, key, "/api/v1/themes/over-time?from=2000-01-01&interval=month")[0])
            self.assertTrue(any(x["vs_previous"] and x["vs_previous"]["significant"]
                                for b in timeline["buckets"] for x in b["themes"]), timeline)
            channels = json.loads(self.get(base, key, "/api/v1/compare/channels?from=2000-01-01")[0])
            campaign = [c for c in channels["channels"] if c["channel"] == "campaign"]
            self.assertEqual(len(campaign), 1, channels)
            self.assertGreater(campaign[0]["new_customers"], 0, channels)
            # Three audiences, each cutting the reports to a part of the shop.
            audiences = json.loads(self.get(base, key, "/api/v1/audiences")[0])["audiences"]
            self.assertEqual([a["name"] for a in audiences],
                             ["German speakers", "Campers", "Big baskets (120 EUR and more)"])
            whole = json.loads(self.get(base, key, "/api/v1/nps?from=2000-01-01")[0])["overall"]["n"]
            for a in audiences:
                cut = json.loads(self.get(base, key, "/api/v1/nps?from=2000-01-01&audience=%d" % a["id"])[0])
                self.assertEqual(cut["audience"]["name"], a["name"])
                self.assertTrue(0 < cut["overall"]["n"] < whole, (a["name"], cut["overall"]))

        self.run_demo(demo, port, first_run)
        with contextlib.closing(sqlite3.connect(os.path.join(demo, "vouch.db"))) as db:
            statuses = {r[0] for r in db.execute("SELECT DISTINCT status FROM referrals")}
        self.assertIn("qualified", statuses)
        self.assertTrue(statuses - {"qualified"}, "some referrals are rejected, for a reason")
        report = self.vouch("report", "nps", "--shop", "1", "--interval", "week").stdout
        m = re.search(r"(?m)^overall\s+(-?\d+\.\d)\s+\[(-?\d+\.\d), (-?\d+\.\d)\]\s+(\d+)", report)
        self.assertIsNotNone(m, report)
        nps, low, high, n = float(m[1]), float(m[2]), float(m[3]), int(m[4])
        self.assertGreater(n, 500)  # the report's default range: the last months
        self.assertLess(low, nps)
        self.assertLess(nps, high)
        self.assertTrue(os.listdir(os.path.join(demo, "mail")), "the demo writes its mail as .eml files")

        def second_run(seen):
            self.assertIn("demo@vouch.local", seen)
            self.assertNotIn("shown only this once", seen)
            self.assertIn("vouch user create --shop 1", seen)

        self.run_demo(demo, port, second_run)
        again = self.vouch("report", "nps", "--shop", "1", "--interval", "week").stdout
        m2 = re.search(r"(?m)^overall\s+\S+\s+\[\S+ \S+\]\s+(\d+)", again)
        self.assertIsNotNone(m2, again)
        self.assertEqual(int(m2[1]), n, "a second run keeps the seeded history as it was")

    def test_bad_config_file_is_named_with_its_line(self):
        cfg = os.path.join(self.tmp.name, "vouch.toml")
        with open(cfg, "w") as f:
            f.write('listen = "127.0.0.1:9999"\n\nworkers = "many"\n')
        p = self.vouch("--config", cfg, "shop", "list", ok=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("vouch.toml:3", p.stderr)
        with open(cfg, "w") as f:
            f.write('listen = "127.0.0.1:9999"\nlisten_port = 3\n')
        p = self.vouch("--config", cfg, "shop", "list", ok=False)
        self.assertIn("vouch.toml:2", p.stderr)
        self.assertIn("listen_port", p.stderr)
        with open(cfg, "w") as f:
            f.write('listen = "127.0.0.1:9999\n')
        p = self.vouch("--config", cfg, "shop", "list", ok=False)
        self.assertIn("vouch.toml:1", p.stderr)
        p = self.vouch("--config", os.path.join(self.tmp.name, "missing.toml"), "shop", "list", ok=False)
        self.assertIn("missing.toml", p.stderr)

    def test_environment_overrides_the_file_and_bad_values_are_named(self):
        cfg = os.path.join(self.tmp.name, "vouch.toml")
        with open(cfg, "w") as f:
            f.write('db = "sqlite:from-file.db"\n')
        self.vouch("--config", cfg, "migrate")
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "from-file.db")),
                         "VOUCH_DB must override the file")
        self.env["VOUCH_WORKERS"] = "lots"
        p = self.vouch("migrate", ok=False)
        self.assertIn("VOUCH_WORKERS", p.stderr)
        del self.env["VOUCH_WORKERS"]
        self.env["VOUCH_DB"] = "mysql://nope"
        p = self.vouch("migrate", ok=False)
        self.assertIn("VOUCH_DB", p.stderr)

    def test_shop_set_takes_webhook_secrets_and_never_prints_them(self):
        self.create_shop()
        out = self.vouch("shop", "set", "--id", "1", "shopify_webhook_secret=shpss_e2e_secret",
                         "shopify_ingest_on=orders/paid").stdout
        self.assertNotIn("shpss_e2e_secret", out)
        self.assertTrue(json.loads(out)["shopify_webhook_secret_set"])
        self.assertEqual(json.loads(out)["shopify_ingest_on"], "orders/paid")

    def test_import_orders_reports_bad_rows_and_is_idempotent(self):
        self.create_shop()
        path = os.path.join(self.tmp.name, "orders.csv")
        with open(path, "w", newline="") as f:
            f.write("Name,Email,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price,Id\r\n"
                    "#1001,anna@example.com,2026-06-01 10:15:00 +0200,EUR,64.90,1,Trail shoe,59.90,4001\r\n"
                    "#1001,,,,,2,Socks,2.50,4001\r\n"
                    "#1002,not-an-email,2026-06-02 10:15:00 +0200,EUR,10.00,1,Cap,10.00,4002\r\n")
        first = self.vouch("import", "orders", path, "--shop", "1", ok=False)
        self.assertEqual(first.returncode, 1, first.stderr)
        report = json.loads(first.stdout)
        self.assertEqual((report["created"], report["failed"], report["surveyed"]), (1, 1, 0))
        self.assertEqual(report["problems"][0]["line"], 4)
        self.assertEqual(report["problems"][0]["field"], "customer.email")
        again = json.loads(self.vouch("import", "orders", path, "--shop", "1", ok=False).stdout)
        self.assertEqual((again["created"], again["existing"]), (0, 1))
        bad = self.vouch("import", "orders", path, "--shop", "1", "--survey-recent", "soon", ok=False)
        self.assertIn("--survey-recent", bad.stderr)
        missing = self.vouch("import", "orders", path, "--shop", "7", ok=False)
        self.assertIn("--shop", missing.stderr)

    def test_migrate_reports_the_schema_version(self):
        out = self.vouch("migrate").stdout
        self.assertRegex(out, r"schema version \d+ \(sqlite\)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
