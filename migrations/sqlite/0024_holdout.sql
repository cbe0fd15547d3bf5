-- Holdout (issue 16): a shop may keep holdout_percent (0…50) of its would-be promoters from
-- activation (the thank-you, but no code and no share link) to measure what activation itself does
-- to the promoters' own buying. Each promoter answered while the holdout is on is drawn once
-- (app/holdout.h: an HMAC of shop and customer under the server's link secret) and the draw is
-- kept here, held out or not, so a later answer does not draw again and the report finds both
-- groups.
ALTER TABLE shops ADD COLUMN holdout_percent INTEGER NOT NULL DEFAULT 0;
CREATE TABLE holdout_draws (
  shop_id     INTEGER NOT NULL REFERENCES shops(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  survey_id   INTEGER NOT NULL REFERENCES surveys(id),
  held_out    INTEGER NOT NULL CHECK (held_out IN (0, 1)),
  percent     INTEGER NOT NULL,  -- the shop's holdout_percent at the draw
  drawn_at    INTEGER NOT NULL,  -- the answer that made them a promoter
  PRIMARY KEY (shop_id, customer_id)
);
CREATE INDEX holdout_draws_time ON holdout_draws (shop_id, drawn_at);
