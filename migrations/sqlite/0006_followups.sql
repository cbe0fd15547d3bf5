-- Follow-up of a detractor's answer: who owns it, a note, open or resolved. One row per survey
-- (the answer), written when someone first acts on it; a detractor without a row is open.
-- shop_id is the survey's, so a shop reads and changes only its own.
CREATE TABLE followups (
  survey_id   INTEGER PRIMARY KEY REFERENCES surveys(id),
  shop_id     INTEGER NOT NULL REFERENCES shops(id),
  owner       TEXT,
  note        TEXT,
  status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  resolved_at INTEGER
);
CREATE INDEX followups_shop_status ON followups (shop_id, status);
-- The answers feed and its export page through a shop's answers by survey id (keyset).
CREATE INDEX surveys_shop_id ON surveys (shop_id, id);
