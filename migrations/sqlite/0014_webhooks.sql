-- Outgoing webhooks (as migrations/postgres/0014_webhooks.sql): a shop's endpoints, each with
-- its URL, kind ('standard': signed JSON as Standard Webhooks says; 'slack': an incoming-webhook
-- message), the event types it wants (one per line) and its signing secret (kept as created: an
-- HMAC needs the key itself; shown once, never again); and one delivery per (event, endpoint),
-- tried by a 'webhook' job of the jobs table. An endpoint failing for 5 days is disabled.
CREATE TABLE webhook_endpoints (
  id            INTEGER PRIMARY KEY,
  shop_id       INTEGER NOT NULL REFERENCES shops(id),
  url           TEXT NOT NULL,
  kind          TEXT NOT NULL,
  events        TEXT NOT NULL,
  secret        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  failing_since INTEGER,
  disabled_at   INTEGER,
  last_error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_endpoints_shop ON webhook_endpoints (shop_id);

CREATE TABLE webhook_deliveries (
  id          INTEGER PRIMARY KEY,
  shop_id     INTEGER NOT NULL REFERENCES shops(id),
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
  event_type  TEXT NOT NULL,
  ref_id      INTEGER NOT NULL,
  message_id  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id);
