-- Attribution by landing URL (issue 11): an order without a referral discount code whose
-- landing_site holds a code is that code's referral when a visit to its share link came at most
-- attribution_days before the order; 0: off.
ALTER TABLE shops ADD COLUMN attribution_days BIGINT NOT NULL DEFAULT 30;
