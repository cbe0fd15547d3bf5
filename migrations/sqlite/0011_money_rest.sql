-- Money a shop can trust, the rest (issue 11; as migrations/postgres/0011_money_rest.sql).

-- One message budget: a customer gets at most max_messages marketing messages (surveys,
-- activation mails, reminders; any channel) in budget_days; 0: no budget. Counted from the jobs
-- that were sent (jobs joined to their survey or code), so nothing new is written per message.
ALTER TABLE shops ADD COLUMN max_messages INTEGER NOT NULL DEFAULT 3;
ALTER TABLE shops ADD COLUMN budget_days INTEGER NOT NULL DEFAULT 30;

-- The reward hold in seconds (as the issue names it), so a test can hold a reward for a few
-- seconds: the column keeps its place and is renamed, its days converted. Every shop row is
-- written with all its settings, so the column's default is never used (SQLite cannot change a
-- column's default; PostgreSQL's is set to 14 days in seconds).
ALTER TABLE shops RENAME COLUMN reward_hold_days TO reward_hold_seconds;
UPDATE shops SET reward_hold_seconds = reward_hold_seconds * 86400;
