-- Follow-up of a detractor's answer (as migrations/sqlite/0006_followups.sql): who owns it, a
-- note, open or resolved. One row per survey (the answer), written when someone first acts on
-- it; a detractor without a row is open. shop_id is the survey's, so a shop reads and changes
-- only its own.
CREATE TABLE followups (
  survey_id   BIGINT PRIMARY KEY REFERENCES surveys(id),
  shop_id     BIGINT NOT NULL REFERENCES shops(id),
  owner       TEXT,
  note        TEXT,
  status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  resolved_at BIGINT
);
CREATE INDEX followups_shop_status ON followups (shop_id, status);
-- The answers feed and its export page through a shop's answers by survey id (keyset).
CREATE INDEX surveys_shop_id ON surveys (shop_id, id);
