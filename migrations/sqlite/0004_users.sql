-- The people who sign in to a shop's dashboard. Emails are stored lower-cased (the application
-- normalises them), unique per shop; the password only as an encoded Argon2id hash. A role is
-- 'admin' (everything) or 'viewer' (read only).
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  shop_id       INTEGER NOT NULL REFERENCES shops(id),
  email         TEXT NOT NULL CHECK (email = lower(email)),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (shop_id, email)
);
