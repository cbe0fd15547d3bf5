-- The order's time on its survey (issue 15): the funnel follows the cohort of orders placed in a
-- range, and with the time here its survey stage reads one covering index instead of looking up
-- every survey's order (a million lookups on a shop with a million answers).
ALTER TABLE surveys ADD COLUMN order_at BIGINT;
UPDATE surveys SET order_at = o.created_at FROM orders o WHERE o.id = surveys.order_id;
CREATE INDEX surveys_shop_order_at ON surveys (shop_id, order_at, status, answer_state, score);
