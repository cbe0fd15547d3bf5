-- A shop's webhooks from its store software (as migrations/sqlite/0008_shop_hooks.sql): the
-- secrets Shopify and WooCommerce sign their deliveries with (kept as given: a signature can only
-- be checked with the key itself; never shown back), which Shopify topic ingests an order, and
-- the deliveries seen lately, so a delivery sent again is answered without being done twice.
ALTER TABLE shops ADD COLUMN shopify_webhook_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN shopify_ingest_on TEXT NOT NULL DEFAULT 'orders/create';
ALTER TABLE shops ADD COLUMN woocommerce_webhook_secret TEXT NOT NULL DEFAULT '';

CREATE TABLE hook_deliveries (
  shop_id     BIGINT NOT NULL REFERENCES shops(id),
  source      TEXT NOT NULL,  -- 'shopify' or 'woocommerce'
  delivery_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (shop_id, source, delivery_id)
);
CREATE INDEX hook_deliveries_age ON hook_deliveries (shop_id, received_at);
