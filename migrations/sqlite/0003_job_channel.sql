-- Jobs carry the channel their message goes by: one cause (a survey, a code, a reward) may owe
-- one mail and one text message, so a job is unique per (kind, ref_id, channel). Existing jobs
-- were all mail. SQLite cannot drop a table constraint, so the table is rebuilt with the same
-- ids, data and indexes (nothing references jobs).
CREATE TABLE jobs_new (
  id           INTEGER PRIMARY KEY,
  shop_id      INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  ref_id       INTEGER NOT NULL,
  channel      TEXT NOT NULL DEFAULT 'email',
  run_at       INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL,
  locked_until INTEGER,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  UNIQUE (kind, ref_id, channel)
);
INSERT INTO jobs_new (id, shop_id, kind, ref_id, channel, run_at, attempts, status, locked_until, last_error,
                      created_at, finished_at)
SELECT id, shop_id, kind, ref_id, 'email', run_at, attempts, status, locked_until, last_error, created_at,
       finished_at
FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_shop_status ON jobs (shop_id, status);
