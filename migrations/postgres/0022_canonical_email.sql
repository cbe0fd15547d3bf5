-- The canonical email of each customer (issue 11: core::CanonicalEmail, the mailbox an address
-- reaches: "A.nna+x@googlemail.com" → "anna@gmail.com"), written by the store with every insert
-- and update of a customer, so "is this buyer an earlier customer?" reads one index. '' for a
-- customer without an email and for an erased one. Rows older than this migration are filled
-- in C++ in the same transaction (src/store/sql/migrate.cc: SQL has no Gmail rules, SQLite no
-- regex), so no reader needs a fallback to the raw email.
ALTER TABLE customers ADD COLUMN canonical_email TEXT NOT NULL DEFAULT '';
CREATE INDEX customers_shop_canonical_email ON customers (shop_id, canonical_email);
