-- Issue 12: unsubscribes per person, and per-shop sending quotas.

-- Unsubscribes per shop and person: a row per canonical email or phone a customer
-- unsubscribed with, as a keyed hash ("e:" or "p:" and base64url of HMAC-SHA256 under the meta
-- key "identity_key"), so a new customer row with the same address is not surveyed again and
-- an erased customer's unsubscribe survives without keeping the address.
CREATE TABLE unsubscribes (
  shop_id  INTEGER NOT NULL REFERENCES shops(id),
  identity TEXT NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (shop_id, identity)
);

-- Per-shop sending quotas: messages sent per UTC clock hour (Unix hours), counted by the workers
-- of every node before each send; a shop over shops.messages_per_hour (0: no quota) waits.
ALTER TABLE shops ADD COLUMN messages_per_hour INTEGER NOT NULL DEFAULT 0;
CREATE TABLE shop_sends (
  shop_id INTEGER NOT NULL REFERENCES shops(id),
  hour    INTEGER NOT NULL,
  sent    INTEGER NOT NULL,
  PRIMARY KEY (shop_id, hour)
);
