-- A clawed-back reward's voucher (issue 11): voucher_used_at and voucher_used_order record the
-- first order of the shop that carried the reward's code among its discount codes (written at
-- ingest, found through rewards' UNIQUE (shop_id, code)); voucher_voided_at is when a clawback
-- voided the voucher because it was still unused. Orders ingested before this migration are
-- looked at once, below, for the rewards still released.
ALTER TABLE rewards ADD COLUMN voucher_used_at BIGINT;
ALTER TABLE rewards ADD COLUMN voucher_used_order TEXT NOT NULL DEFAULT '';
ALTER TABLE rewards ADD COLUMN voucher_voided_at BIGINT;
UPDATE rewards SET voucher_used_order = COALESCE((
  SELECT o.external_id FROM orders o
  WHERE o.shop_id = rewards.shop_id AND o.created_at >= COALESCE(rewards.released_at, rewards.created_at)
    AND chr(10) || UPPER(REPLACE(o.discount_codes, ' ', '')) || chr(10) LIKE '%' || chr(10) || rewards.code || chr(10) || '%'
  ORDER BY o.created_at, o.id LIMIT 1), '')
WHERE status = 'released';
UPDATE rewards SET voucher_used_at = (
  SELECT o.created_at FROM orders o WHERE o.shop_id = rewards.shop_id AND o.external_id = rewards.voucher_used_order)
WHERE voucher_used_order <> '';
