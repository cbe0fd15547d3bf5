-- Vouch schema, version 1. Times are Unix milliseconds (UTC); money is integer minor units.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE shops (
  id                   INTEGER PRIMARY KEY,
  name                 TEXT NOT NULL,
  url                  TEXT NOT NULL,
  api_key_hash         TEXT NOT NULL UNIQUE,
  survey_delay_seconds INTEGER NOT NULL,
  throttle_days        INTEGER NOT NULL,
  discount_kind        TEXT NOT NULL,
  discount_value       INTEGER NOT NULL,
  reward_minor         INTEGER NOT NULL,
  currency             TEXT NOT NULL,
  code_expiry_days     INTEGER NOT NULL,
  code_max_uses        INTEGER NOT NULL,
  landing_url          TEXT NOT NULL,
  locale               TEXT NOT NULL,
  sender_name          TEXT NOT NULL,
  created_at           INTEGER NOT NULL
);

CREATE TABLE customers (
  id              INTEGER PRIMARY KEY,
  shop_id         INTEGER NOT NULL REFERENCES shops(id),
  external_id     TEXT NOT NULL,
  email           TEXT NOT NULL,
  phone           TEXT NOT NULL,
  first_name      TEXT NOT NULL,
  last_name       TEXT NOT NULL,
  locale          TEXT NOT NULL,
  unsubscribed_at INTEGER,
  last_survey_at  INTEGER,
  UNIQUE (shop_id, external_id)
);
CREATE INDEX customers_email ON customers (shop_id, email);
CREATE INDEX customers_phone ON customers (shop_id, phone);

CREATE TABLE orders (
  id             INTEGER PRIMARY KEY,
  shop_id        INTEGER NOT NULL REFERENCES shops(id),
  external_id    TEXT NOT NULL,
  customer_id    INTEGER NOT NULL REFERENCES customers(id),
  created_at     INTEGER NOT NULL,
  currency       TEXT NOT NULL,
  total_minor    INTEGER NOT NULL,
  discount_codes TEXT NOT NULL,  -- codes joined by newlines
  survey_id      INTEGER,
  survey_skip    TEXT NOT NULL DEFAULT '',
  referral_id    INTEGER,
  ingested_at    INTEGER NOT NULL,
  UNIQUE (shop_id, external_id)
);
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_shop_time ON orders (shop_id, created_at);

CREATE TABLE order_items (
  order_id    INTEGER NOT NULL REFERENCES orders(id),
  position    INTEGER NOT NULL,
  product_id  TEXT NOT NULL,
  title       TEXT NOT NULL,
  category    TEXT NOT NULL,
  quantity    INTEGER NOT NULL,
  price_minor INTEGER NOT NULL,
  PRIMARY KEY (order_id, position)
);

CREATE TABLE surveys (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  order_id     INTEGER NOT NULL UNIQUE REFERENCES orders(id),
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  channel      TEXT NOT NULL,
  segment      TEXT NOT NULL,
  due_at       INTEGER NOT NULL,
  status       TEXT NOT NULL,
  sent_at      INTEGER,
  score        INTEGER,
  answer_state TEXT NOT NULL DEFAULT 'none',
  answered_at  INTEGER,
  updated_at   INTEGER,
  comment      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX surveys_shop_due ON surveys (shop_id, due_at);
CREATE INDEX surveys_shop_answered ON surveys (shop_id, answered_at);
CREATE INDEX surveys_customer ON surveys (customer_id);

CREATE TABLE clicks (
  survey_id  INTEGER NOT NULL REFERENCES surveys(id),
  at         INTEGER NOT NULL,
  score      INTEGER NOT NULL,
  verdict    TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX clicks_survey ON clicks (survey_id, at);

-- Answers counted per (shop, UTC day, segment): NPS for any range without scanning answers.
CREATE TABLE nps_daily (
  shop_id INTEGER NOT NULL,
  day     INTEGER NOT NULL,
  segment TEXT NOT NULL,
  s0 INTEGER NOT NULL DEFAULT 0, s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0,
  s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0,
  s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0,
  s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, day, segment)
);

CREATE TABLE referral_codes (
  id          INTEGER PRIMARY KEY,
  shop_id     INTEGER NOT NULL REFERENCES shops(id),
  code        TEXT NOT NULL,
  promoter_id INTEGER NOT NULL REFERENCES customers(id),
  survey_id   INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  max_uses    INTEGER NOT NULL,
  uses        INTEGER NOT NULL DEFAULT 0,
  visits      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (code),  -- unique across shops, so a share link /r/{code} needs no shop
  UNIQUE (shop_id, promoter_id)
);

CREATE TABLE share_visits (
  code_id INTEGER NOT NULL REFERENCES referral_codes(id),
  at      INTEGER NOT NULL
);
CREATE INDEX share_visits_code ON share_visits (code_id, at);

CREATE TABLE referrals (
  id            INTEGER PRIMARY KEY,
  shop_id       INTEGER NOT NULL REFERENCES shops(id),
  order_id      INTEGER NOT NULL UNIQUE REFERENCES orders(id),
  code_id       INTEGER NOT NULL REFERENCES referral_codes(id),
  promoter_id   INTEGER NOT NULL REFERENCES customers(id),
  status        TEXT NOT NULL,
  revenue_minor INTEGER NOT NULL,
  currency      TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX referrals_shop_time ON referrals (shop_id, created_at);
CREATE INDEX referrals_promoter ON referrals (promoter_id);

CREATE TABLE rewards (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  referral_id  INTEGER NOT NULL UNIQUE REFERENCES referrals(id),
  promoter_id  INTEGER NOT NULL REFERENCES customers(id),
  code         TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  UNIQUE (shop_id, code)
);

-- The outbox: work owed to the outside, written with the facts that cause it.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  ref_id       INTEGER NOT NULL,
  run_at       INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL,
  locked_until INTEGER,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  UNIQUE (kind, ref_id)
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_shop_status ON jobs (shop_id, status);

CREATE TABLE templates (
  shop_id INTEGER NOT NULL REFERENCES shops(id),
  key     TEXT NOT NULL,
  body    TEXT NOT NULL,
  PRIMARY KEY (shop_id, key)
);
