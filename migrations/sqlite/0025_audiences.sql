-- Audiences (issue 16): groups of a shop's customers by the surveyed order (its product category,
-- its value), the customer's locale and whether they had bought before. Membership is decided
-- in SQL over the survey, its order and its customer (store/sql/sql_audiences.h), so the
-- activation gate, the audience offer and the reports' audience cut share one definition. A
-- deleted audience keeps its row (deleted_at) for the codes that carry its offer.
CREATE TABLE audiences (
  id                 INTEGER PRIMARY KEY,
  shop_id            INTEGER NOT NULL REFERENCES shops(id),
  name               TEXT NOT NULL,
  categories         TEXT NOT NULL,  -- one product category a line; empty: any
  min_order_minor    INTEGER,        -- the surveyed order's total at least this; NULL: no bound
  max_order_minor    INTEGER,        -- at most this; NULL: no bound
  locales            TEXT NOT NULL,  -- one locale a line; empty: any
  repeat_buyer       TEXT NOT NULL CHECK (repeat_buyer IN ('any', 'yes', 'no')),
  gate               INTEGER NOT NULL CHECK (gate IN (0, 1)),  -- activation limited to gated audiences
  offer_kind         TEXT CHECK (offer_kind IN ('percent', 'amount')),  -- NULL: the shop's offer
  offer_value        INTEGER,
  offer_reward_minor INTEGER,
  created_at         INTEGER NOT NULL,
  deleted_at         INTEGER
);
CREATE INDEX audiences_shop ON audiences (shop_id, id);
-- Which audience's offer a promoter's code carries: written when the code is made.
CREATE TABLE audience_offers (
  shop_id     INTEGER NOT NULL REFERENCES shops(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  audience_id INTEGER NOT NULL REFERENCES audiences(id),
  code_id     INTEGER NOT NULL REFERENCES referral_codes(id),
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, customer_id)
);
