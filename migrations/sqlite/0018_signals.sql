-- Attribution by landing URL (issue 11): an order without a referral discount code whose
-- landing_site holds a code is that code's referral when a visit to its share link came at most
-- attribution_days before the order; 0: off.
ALTER TABLE shops ADD COLUMN attribution_days INTEGER NOT NULL DEFAULT 30;
-- Coupon leak (issue 11): a code whose unrelated buyers within that window exceed its share
-- link's visits by coupon_leak_buyers (0: off) is paused: paused_at, and the count that paused it.
ALTER TABLE shops ADD COLUMN coupon_leak_buyers INTEGER NOT NULL DEFAULT 10;
ALTER TABLE referral_codes ADD COLUMN paused_at INTEGER;
ALTER TABLE referral_codes ADD COLUMN paused_buyers INTEGER NOT NULL DEFAULT 0;
