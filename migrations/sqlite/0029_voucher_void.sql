-- A clawed-back reward's voucher (issue 11): voucher_used_at and voucher_used_order record the
-- first order of the shop that carried the reward's code among its discount codes (written at
-- ingest, found through rewards' UNIQUE (shop_id, code)); voucher_voided_at is when a clawback
-- voided the voucher because it was still unused. Orders ingested before this migration are
-- looked at once, below, for the rewards still released.
ALTER TABLE rewards ADD COLUMN voucher_used_at INTEGER;
ALTER TABLE rewards ADD COLUMN voucher_used_order TEXT NOT NULL DEFAULT '';
ALTER TABLE rewards ADD COLUMN voucher_voided_at INTEGER;
UPDATE rewards SET voucher_used_order = COALESCE((
  SELECT o.external_id FROM orders o
  WHERE o.shop_id = rewards.shop_id AND o.created_at >= COALESCE(rewards.released_at, rewards.created_at)
    AND char(10) || UPPER(REPLACE(o.discount_codes, ' ', '')) || char(10) LIKE '%' || char(10) || rewards.code || char(10) || '%'
  ORDER BY o.created_at, o.id LIMIT 1), '')
WHERE status = 'released';
UPDATE rewards SET voucher_used_at = (
  SELECT o.created_at FROM orders o WHERE o.shop_id = rewards.shop_id AND o.external_id = rewards.voucher_used_order)
WHERE voucher_used_order <> '';

-- Where promoters answered from (issue 11's shared-network rule): per promoter (customer) and
-- shop, keyed hashes of the networks their answers came from (core::NetworkHash under the
-- installation's identity_key: never the IP), with the source ('answered') and the last time
-- seen; the latest 20 per promoter are kept. Erasure deletes them.
CREATE TABLE promoter_networks (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  network_hash TEXT NOT NULL,
  source       TEXT NOT NULL,
  at           INTEGER NOT NULL,
  UNIQUE (customer_id, network_hash, source)
);
