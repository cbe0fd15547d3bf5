-- Fewer index entries per new order (issue 18): a single order wrote 19 B-tree entries, and the
-- writer's cost per order follows them. Each index below was checked against every query that
-- reads its table (docs/BENCHMARKS.md, "Fewer index entries per order"):
-- surveys_shop_due (shop_id, due_at) is read by no query (the job queue holds the due times).
DROP INDEX surveys_shop_due;
-- surveys_shop_answered keeps only answered surveys: a new survey has no answer yet, and every
-- range over answered_at implies answered_at IS NOT NULL, so such a range may still use it.
DROP INDEX surveys_shop_answered;
CREATE INDEX surveys_shop_answered ON surveys (shop_id, answered_at) WHERE answered_at IS NOT NULL;
-- Built again after it, so that SQLite (which has no statistics here) still takes the smaller
-- surveys_shop_detractors for the detractor counts where both indexes fit the range.
DROP INDEX surveys_shop_detractors;
CREATE INDEX surveys_shop_detractors ON surveys (shop_id, answered_at) WHERE score <= 6;
-- Customers without a phone ('' when absent) no longer go into the phone indexes; the text
-- message look-up by phone names the same condition, so it still reads customers_phone_all.
DROP INDEX customers_phone;
CREATE INDEX customers_phone ON customers (shop_id, phone) WHERE phone <> '';
DROP INDEX customers_phone_all;
CREATE INDEX customers_phone_all ON customers (phone) WHERE phone <> '';
