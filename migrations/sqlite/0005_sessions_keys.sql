-- Dashboard sessions and API keys (issue 15).
--
-- sessions: one row per signed-in browser. The cookie holds a 256-bit random token; only its
-- SHA-256 (hex) is stored, so a copy of the database signs no one in. csrf_token is echoed by
-- the dashboard in X-CSRF-Token on every state-changing request. A session ends at expires_at
-- (absolute) or after a stretch without use (last_seen_at, touched at most once a minute; the
-- idle limit is the application's).
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER;

-- api_keys: a shop's keys for machines, each stored as SHA-256 (hex) only, with a short prefix
-- to tell them apart in a list. A revoked key keeps its row (revoked_at set) for the record; the
-- list shows unrevoked keys. The key each shop had (shops.api_key_hash) becomes its first key, so it keeps working;
-- shops.api_key_hash is no longer read (kept unique and NOT NULL: it follows the newest key).
CREATE TABLE api_keys (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL REFERENCES shops(id),
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_keys_shop ON api_keys (shop_id);
INSERT INTO api_keys (shop_id, name, prefix, key_hash, created_at)
  SELECT id, 'First key', 'vk_', api_key_hash, created_at FROM shops;
