-- Money a shop can trust (issue 11): refunds and cancellations of orders, rewards as a ledger
-- (held through the return window, released, voided or clawed back, each step an entry with its
-- time and reason), the referral decision with the rules that fired, and the settings that steer
-- them. Only additions: existing columns keep their meaning, except that
-- referrals.revenue_minor is the referred order's net revenue (its total less refunds; 0 once
-- cancelled).

-- Orders: what was refunded so far, and when the order was cancelled.
ALTER TABLE orders ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN cancelled_at INTEGER;

-- One row per refund the shop reported, unique per (order, refund id): a repeated call is a no-op.
CREATE TABLE order_refunds (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  order_id     INTEGER NOT NULL REFERENCES orders(id),
  refund_id    TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  UNIQUE (order_id, refund_id)
);

-- Rewards: where each stands ('held', 'released', 'voided', 'clawed_back'). Rewards from before
-- this version were mailed at once: released when they were made.
ALTER TABLE rewards ADD COLUMN status TEXT NOT NULL DEFAULT 'released';
ALTER TABLE rewards ADD COLUMN hold_until INTEGER;
ALTER TABLE rewards ADD COLUMN released_at INTEGER;
ALTER TABLE rewards ADD COLUMN reversed_at INTEGER;
ALTER TABLE rewards ADD COLUMN reverse_reason TEXT NOT NULL DEFAULT '';
UPDATE rewards SET released_at = created_at;
CREATE INDEX rewards_promoter ON rewards (promoter_id, created_at);

-- The ledger: every step of every reward ('earned', 'held', 'released', 'voided',
-- 'clawed_back'), with its time and reason.
CREATE TABLE reward_entries (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  reward_id    INTEGER NOT NULL REFERENCES rewards(id),
  promoter_id  INTEGER NOT NULL REFERENCES customers(id),
  kind         TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  at           INTEGER NOT NULL
);
CREATE INDEX reward_entries_promoter ON reward_entries (promoter_id, at);
CREATE INDEX reward_entries_reward ON reward_entries (reward_id);

-- Referrals: the decision ('qualified', 'pending_review', 'rejected'; status keeps the verdict
-- it always held), the rules that fired ("rule<TAB>detail" lines) and when a person reviewed it.
ALTER TABLE referrals ADD COLUMN decision TEXT NOT NULL DEFAULT 'qualified';
ALTER TABLE referrals ADD COLUMN rules TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN reviewed_at INTEGER;
UPDATE referrals SET decision = 'rejected', rules = status || '	' WHERE status <> 'qualified';
CREATE INDEX referrals_shop_decision ON referrals (shop_id, decision, created_at);
CREATE INDEX referrals_code_time ON referrals (code_id, created_at);

-- Shop settings for the money rules.
ALTER TABLE shops ADD COLUMN reward_hold_days INTEGER NOT NULL DEFAULT 14;
ALTER TABLE shops ADD COLUMN reward_cap_per_month INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN reward_min_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN velocity_max INTEGER NOT NULL DEFAULT 5;
ALTER TABLE shops ADD COLUMN velocity_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE shops ADD COLUMN rule_actions TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN disposable_domains TEXT NOT NULL DEFAULT '';
