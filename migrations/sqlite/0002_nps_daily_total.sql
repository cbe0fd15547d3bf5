-- Answers counted per (shop, UTC day) over every segment: the same counts as nps_daily summed
-- by day, kept on write so an NPS report without a segment reads one row per day, not one per
-- day and segment (docs/BENCHMARKS.md, scenario 3).
CREATE TABLE nps_daily_total (
  shop_id INTEGER NOT NULL,
  day     INTEGER NOT NULL,
  s0 INTEGER NOT NULL DEFAULT 0, s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0,
  s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0,
  s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0,
  s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, day)
);

INSERT INTO nps_daily_total (shop_id, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT shop_id, day, SUM(s0), SUM(s1), SUM(s2), SUM(s3), SUM(s4), SUM(s5), SUM(s6), SUM(s7),
       SUM(s8), SUM(s9), SUM(s10)
FROM nps_daily GROUP BY shop_id, day;
