-- Answers counted per (shop, UTC day) over every segment: the same counts as nps_daily summed
-- by day, so an NPS report without a segment reads one row per day, not one per day and segment
-- (docs/BENCHMARKS.md, scenario 3). Kept by triggers on nps_daily, not by the application, so
-- nodes still running an older vouch during a rolling upgrade keep it right too.
CREATE TABLE nps_daily_total (
  shop_id INTEGER NOT NULL,
  day     INTEGER NOT NULL,
  s0 INTEGER NOT NULL DEFAULT 0, s1 INTEGER NOT NULL DEFAULT 0, s2 INTEGER NOT NULL DEFAULT 0,
  s3 INTEGER NOT NULL DEFAULT 0, s4 INTEGER NOT NULL DEFAULT 0, s5 INTEGER NOT NULL DEFAULT 0,
  s6 INTEGER NOT NULL DEFAULT 0, s7 INTEGER NOT NULL DEFAULT 0, s8 INTEGER NOT NULL DEFAULT 0,
  s9 INTEGER NOT NULL DEFAULT 0, s10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, day)
);

CREATE TRIGGER nps_daily_total_insert AFTER INSERT ON nps_daily BEGIN
  INSERT OR IGNORE INTO nps_daily_total (shop_id, day) VALUES (NEW.shop_id, NEW.day);
  UPDATE nps_daily_total SET
    s0 = s0 + NEW.s0, s1 = s1 + NEW.s1, s2 = s2 + NEW.s2, s3 = s3 + NEW.s3, s4 = s4 + NEW.s4,
    s5 = s5 + NEW.s5, s6 = s6 + NEW.s6, s7 = s7 + NEW.s7, s8 = s8 + NEW.s8, s9 = s9 + NEW.s9,
    s10 = s10 + NEW.s10
  WHERE shop_id = NEW.shop_id AND day = NEW.day;
END;

-- (shop_id, day) of a rollup row never changes: only its counters move.
CREATE TRIGGER nps_daily_total_update AFTER UPDATE ON nps_daily BEGIN
  UPDATE nps_daily_total SET
    s0 = s0 + NEW.s0 - OLD.s0, s1 = s1 + NEW.s1 - OLD.s1, s2 = s2 + NEW.s2 - OLD.s2,
    s3 = s3 + NEW.s3 - OLD.s3, s4 = s4 + NEW.s4 - OLD.s4, s5 = s5 + NEW.s5 - OLD.s5,
    s6 = s6 + NEW.s6 - OLD.s6, s7 = s7 + NEW.s7 - OLD.s7, s8 = s8 + NEW.s8 - OLD.s8,
    s9 = s9 + NEW.s9 - OLD.s9, s10 = s10 + NEW.s10 - OLD.s10
  WHERE shop_id = NEW.shop_id AND day = NEW.day;
END;

CREATE TRIGGER nps_daily_total_delete AFTER DELETE ON nps_daily BEGIN
  UPDATE nps_daily_total SET
    s0 = s0 - OLD.s0, s1 = s1 - OLD.s1, s2 = s2 - OLD.s2, s3 = s3 - OLD.s3, s4 = s4 - OLD.s4,
    s5 = s5 - OLD.s5, s6 = s6 - OLD.s6, s7 = s7 - OLD.s7, s8 = s8 - OLD.s8, s9 = s9 - OLD.s9,
    s10 = s10 - OLD.s10
  WHERE shop_id = OLD.shop_id AND day = OLD.day;
END;

INSERT INTO nps_daily_total (shop_id, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT shop_id, day, SUM(s0), SUM(s1), SUM(s2), SUM(s3), SUM(s4), SUM(s5), SUM(s6), SUM(s7),
       SUM(s8), SUM(s9), SUM(s10)
FROM nps_daily GROUP BY shop_id, day;
