-- A user whose password was made by Vouch (a one-time password from `vouch user create` without
-- --password-stdin, or an invitation from Settings) must choose their own before doing anything
-- else: until then a session may only change its password (issue 15). 1 = must change.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
