-- What a shop's store knows about an order and its customer beyond the purchase (as
-- migrations/postgres/0010_order_fields.sql): the page the visit landed on, the buyer's IP address
-- (validated, v4 or v6, in its canonical text), where the order was shipped ('' where not given),
-- and the customer's marketing consent per channel: 1 yes, 0 no, NULL unknown.
ALTER TABLE orders ADD COLUMN landing_site TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN browser_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_zip TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN accepts_email_marketing INTEGER;
ALTER TABLE customers ADD COLUMN accepts_sms_marketing INTEGER;
