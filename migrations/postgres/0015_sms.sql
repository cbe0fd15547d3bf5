-- Text messages. Shops choose the channel their surveys go on and the region national phone
-- numbers are read in. A job's delivery report ('' none yet, 'delivered', 'failed') as the
-- gateway sent it. Numbers that answered STOP: one row per number, for every shop, since all
-- shops' texts come from the one sender the number answered (START deletes the row).
ALTER TABLE shops ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE shops ADD COLUMN default_region TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN delivery_detail TEXT NOT NULL DEFAULT '';
CREATE TABLE sms_optouts (
  phone          TEXT PRIMARY KEY,
  opted_out_at   BIGINT NOT NULL
);
CREATE INDEX customers_phone_all ON customers (phone);
