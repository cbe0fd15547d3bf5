#!/usr/bin/python3
"""End-to-end test of the money rules (issue 11) against a real server and the real SMTP sink:
a promoter's plus-addressed self-referral gets no reward mail, a refunded referred order's reward
is never mailed, a clean one's reward mail goes out once the hold (a few seconds) ends, and a
friend who follows the share link and buys without the code is attributed by the landing URL; a
code used by far more buyers than its share link had visits is paused (coupon leak), and the
shop's contact_email gets one mail that names the code.
Uses the harness of promoter_loop_test.py (the vouch binary in $VOUCH_BIN, the sink needing
Debian's python3-aiosmtpd; VOUCH_TEST_DB=postgres with $VOUCH_TEST_PG for PostgreSQL).
"""
import datetime
import json
import sys
import time
import unittest

import promoter_loop_test as loop

HOLD_SECONDS = 6
CONTACT = "owner@shop.example"


class MoneyTest(loop.PromoterLoopTest):
    test_promoter_loop = None  # the harness's own test runs in e2e.promoter_loop

    def create_shop(self):
        out = json.loads(self.cli("shop", "create", "--name", loop.SHOP_NAME, "--url", loop.SHOP_URL))
        self.api_key = out["api_key"]
        self.shop_id = out["shop_id"]
        shown = json.loads(self.cli("shop", "set", "--id", str(self.shop_id), "survey_delay_seconds=0",
                                    "reward_hold_seconds=%d" % HOLD_SECONDS, "contact_email=Owner@Shop.Example"))
        self.assertEqual(shown["reward_hold_seconds"], HOLD_SECONDS)
        self.assertEqual(shown["contact_email"], CONTACT)
        self.assertEqual(shown["max_messages"], 3)
        self.settings = shown

    def order_now(self, order_id, customer, total, codes, landing_site=None):
        """An order placed now (the hold runs from the order's time)."""
        payload = {
            "id": order_id,
            "created_at": loop.iso(datetime.datetime.now(datetime.timezone.utc)),
            "currency": "EUR",
            "total_price": total,
            "customer": customer,
            "discount_codes": codes,
            "line_items": [{"product_id": "p-1", "title": "Espresso beans 1 kg", "category": "coffee",
                            "quantity": 1, "price": total}],
        }
        if landing_site is not None:
            payload["landing_site"] = landing_site
        _, out = self.api("POST", "/api/v1/orders", payload, expect=201)
        return out

    def rewards_of(self, promoter_id):
        _, out = self.api("GET", "/api/v1/promoters/%d/rewards" % promoter_id, expect=200)
        return out

    def test_money(self):
        try:
            self.money()
        except BaseException:
            self.dump_logs()
            raise
        sys.stderr.write("\n[money] %.1f s\n" % (time.monotonic() - self.t0))

    def money(self):
        anna = {"id": "cust-anna", "email": "anna.berg@gmail.com", "first_name": "Anna"}
        self.order("A-1", anna, "59.90")
        mail = self.wait_mail(anna["email"], "survey")
        token, _ = self.check_survey_mail(mail, "Anna")
        self.wait_job_done(int(mail.msg["X-Vouch-Job"]))
        time.sleep(loop.SAFE_AFTER_SEND)  # a click counts only >= 2 s after the mail was accepted
        page = self.click(token, 10)
        code = loop.element_text(page, "code")
        self.assertRegex(code or "", r"^ANNA-", page)
        # The answer page's share links disclose the reward (honest sharing).
        self.assertIn("I%20get%20%E2%82%AC10%20when%20you%20buy%20through%20my%20link", page)

        # 1. Anna again, plus-addressed at googlemail.com under another customer id: self-referral.
        alias = {"id": "cust-anna-2", "email": "A.nna.Berg+deals@googlemail.com", "first_name": "Anna"}
        out = self.order_now("S-1", alias, "80.00", [code])
        self.assertEqual(out["referral"]["decision"], "rejected", out)
        self.assertEqual(out["referral"]["rules"],
                         [{"rule": "self_referral", "detail": "the buyer is the promoter (same email)"}], out)
        self.assertNotIn("reward_code", out["referral"])
        self.assertNotIn("anna", json.dumps(out["referral"]["rules"]).lower(), "no personal data as evidence")

        # 2. Bert's referred order is refunded in full while its reward is held: voided, never mailed.
        bert = {"id": "cust-bert", "email": "bert@example.com", "first_name": "Bert"}
        out = self.order_now("B-1", bert, "40.00", [code])
        self.assertEqual(out["referral"]["decision"], "qualified", out)
        bert_reward = out["referral"]["reward_code"]
        _, refund = self.api("POST", "/api/v1/orders/B-1/refunds", {"refund_id": "r-1", "amount": "40.00"},
                             expect=201)
        self.assertEqual(refund["reward"]["status"], "voided", refund)

        # 3. Cleo's referred order stands: its reward is held, then released and mailed once.
        cleo = {"id": "cust-cleo", "email": "cleo@example.com", "first_name": "Cleo"}
        t_order = time.time()
        out = self.order_now("C-1", cleo, "42.50", [code])
        self.assertEqual(out["referral"]["decision"], "qualified", out)
        cleo_reward = out["referral"]["reward_code"]
        promoter_id = refund["reward"]["promoter_customer_id"]
        held = {r["code"]: r["status"] for r in self.rewards_of(promoter_id)["rewards"]}
        self.assertEqual(held, {bert_reward: "voided", cleo_reward: "held"})
        self.assertEqual([m for m in self.mails() if m.kind == "reward"], [], "no reward mail during the hold")

        reward_mail = self.wait_mail(anna["email"], "reward", timeout=HOLD_SECONDS + 20)
        self.assertGreaterEqual(time.time() - t_order, HOLD_SECONDS - 1.5, "mailed before the hold ended")
        self.assertIn(cleo_reward, reward_mail.part("plain"))
        self.assertNotIn(bert_reward, reward_mail.part("plain"))
        self.wait_queue_idle()
        rewards = [m for m in self.mails() if m.kind == "reward"]
        self.assertEqual(len(rewards), 1, rewards)
        _, jobs = self.api("GET", "/api/v1/jobs?limit=1000", expect=200)
        skipped = [j for j in jobs["jobs"] if j["kind"] == "reward_release" and j["status"] == "skipped"]
        self.assertEqual(len(skipped), 1, jobs)  # Bert's: its reward was voided
        released = {r["code"]: r["status"] for r in self.rewards_of(promoter_id)["rewards"]}
        self.assertEqual(released, {bert_reward: "voided", cleo_reward: "released"})

        # 4. Dana follows the share link and buys without typing the code: the shop's landing URL
        # the link redirected to carries it, so her order is Anna's referral (attribution_days).
        self.assertEqual(self.settings["attribution_days"], 30)
        status, hdrs, _ = self.browse("%s/r/%s" % (self.public, code))
        self.assertEqual(status, 302)
        landing = hdrs["Location"]
        self.assertIn(code, landing)
        deadline = time.monotonic() + 10
        while True:  # the node counts visits in a set, a moment later
            _, promoter = self.api("GET", "/api/v1/promoters/%s" % anna["id"], expect=200)
            if promoter["codes"][0]["share_visits"] >= 1:
                break
            self.assertLess(time.monotonic(), deadline, "the share visit was never counted")
            time.sleep(0.1)
        time.sleep(1.1)  # orders carry whole seconds: Dana's comes after her visit
        dana = {"id": "cust-dana", "email": "dana@example.com", "first_name": "Dana"}
        out = self.order_now("D-1", dana, "30.00", [], landing_site=landing)
        self.assertEqual(out["referral"]["code"], code, out)
        self.assertEqual(out["referral"]["decision"], "qualified", out)
        dana_reward = out["referral"]["reward_code"]
        deadline = time.monotonic() + HOLD_SECONDS + 20
        while not any(dana_reward in m.part("plain") for m in self.mails() if m.kind == "reward"):
            self.assertLess(time.monotonic(), deadline, "Dana's referral's reward was never mailed")
            time.sleep(0.2)

        # 5. The code lands on a coupon site: Bert, Cleo and Dana used it with one share-link visit
        # between them; with coupon_leak_buyers 3, Finn's order makes three buyers too many. The code
        # is paused and his referral (and every later one) waits for review, with no reward.
        _, settings = self.api("PATCH", "/api/v1/settings", {"coupon_leak_buyers": 3}, expect=200)
        self.assertEqual(settings["coupon_leak_buyers"], 3)
        finn = {"id": "cust-finn", "email": "finn@example.com", "first_name": "Finn"}
        out = self.order_now("F-1", finn, "25.00", [code])
        self.assertEqual(out["referral"]["decision"], "pending_review", out)
        self.assertEqual([r["rule"] for r in out["referral"]["rules"]], ["coupon_leak"], out)
        self.assertNotIn("reward_code", out["referral"])
        _, promoter = self.api("GET", "/api/v1/promoters/%s" % anna["id"], expect=200)
        self.assertIsNotNone(promoter["codes"][0]["paused_at"], promoter)
        _, queue = self.api("GET", "/api/v1/referrals?status=pending_review", expect=200)
        self.assertEqual([r["order_id"] for r in queue["referrals"]], ["F-1"], queue)

        # 6. The pause mails the shop's contact address once: the code, the count, the threshold,
        # where to review. Gina's later order through the paused code mails nothing more.
        def leak_mails():
            return [m for m in self.mails() if m.to == CONTACT and ".coupon_leak." in m.message_id]
        deadline = time.monotonic() + 15
        while not leak_mails():
            self.assertLess(time.monotonic(), deadline, "no coupon-leak mail to %s: %r" % (CONTACT, self.mails()))
            time.sleep(0.05)
        leak = leak_mails()[0]
        self.assertIn(code, str(leak.msg["Subject"]))
        text = leak.part("plain")
        self.assertIn("Vouch paused the referral code %s of %s" % (code, loop.SHOP_NAME), text)
        self.assertIn("3 more buyers used this code than its share link had visits", text)
        self.assertIn("(the setting coupon_leak_buyers) is 3", text)
        self.assertIn("/referrals?status=pending_review", text)
        self.assertIn("<strong>%s</strong>" % code, leak.part("html"))
        self.assertEqual(str(leak.msg["Auto-Submitted"]), "auto-generated")
        gina = {"id": "cust-gina", "email": "gina@example.com", "first_name": "Gina"}
        out = self.order_now("G-1", gina, "27.00", [code])
        self.assertEqual(out["referral"]["decision"], "pending_review", out)
        jobs = self.wait_queue_idle()
        notices = [j for j in jobs["jobs"] if j["kind"] == "coupon_leak"]
        self.assertEqual([j["status"] for j in notices], ["done"], jobs)
        self.assertEqual(len(leak_mails()), 1, self.mails())


if __name__ == "__main__":
    unittest.main(verbosity=2)
