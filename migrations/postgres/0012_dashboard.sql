-- As migrations/sqlite/0012_dashboard.sql: a user whose password was made by Vouch (a one-time
-- password) must choose their own before doing anything else. 1 = must change.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
