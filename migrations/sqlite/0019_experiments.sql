-- Offer experiments (issue 16): a shop tries two to four offers (the friend's discount, the
-- promoter's reward, the share text) on newly activated promoters, each promoter in one variant
-- chosen by a hash of the experiment and the customer (core/experiments.h). At most one
-- experiment of a shop runs at a time.
CREATE TABLE experiments (
  id                   INTEGER PRIMARY KEY,
  shop_id              INTEGER NOT NULL REFERENCES shops(id),
  name                 TEXT NOT NULL,
  metric               TEXT NOT NULL CHECK (metric IN ('referred_orders', 'net_revenue')),
  minimum_effect_milli INTEGER NOT NULL,  -- δ × 1000, in orders or minor units per promoter
  window_days          INTEGER NOT NULL,  -- each promoter's outcome: referrals in this many days
  status               TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'adopted')),
  created_at           INTEGER NOT NULL,
  stopped_at           INTEGER,
  adopted_variant      INTEGER
);
CREATE INDEX experiments_shop ON experiments (shop_id, id);
CREATE UNIQUE INDEX experiments_one_running ON experiments (shop_id) WHERE status = 'running';
CREATE TABLE experiment_variants (
  experiment_id  INTEGER NOT NULL REFERENCES experiments(id),
  variant        INTEGER NOT NULL,  -- 0 is the control
  shop_id        INTEGER NOT NULL REFERENCES shops(id),
  name           TEXT NOT NULL,
  discount_kind  TEXT NOT NULL CHECK (discount_kind IN ('percent', 'amount')),
  discount_value INTEGER NOT NULL,
  reward_minor   INTEGER NOT NULL,
  share_text     TEXT NOT NULL,  -- a share.txt template; empty: the shop's
  PRIMARY KEY (experiment_id, variant)
);
-- Which variant a promoter's code carries: written when the code is made, read wherever the
-- code's offer is shown or its rewards earned.
CREATE TABLE experiment_assignments (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  customer_id   INTEGER NOT NULL REFERENCES customers(id),
  shop_id       INTEGER NOT NULL REFERENCES shops(id),
  variant       INTEGER NOT NULL,
  code_id       INTEGER NOT NULL REFERENCES referral_codes(id),
  assigned_at   INTEGER NOT NULL,
  PRIMARY KEY (experiment_id, customer_id)
);
CREATE INDEX experiment_assignments_promoter ON experiment_assignments (shop_id, customer_id);
