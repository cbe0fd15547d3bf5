-- Answers counted per (shop, UTC day) over every segment: the same counts as nps_daily summed
-- by day, so an NPS report without a segment reads one row per day, not one per day and segment
-- (docs/BENCHMARKS.md, scenario 3). Kept by a trigger on nps_daily, not by the application, so
-- nodes still running an older vouch during a rolling upgrade keep it right too.
CREATE TABLE nps_daily_total (
  shop_id BIGINT NOT NULL,
  day     BIGINT NOT NULL,
  s0 BIGINT NOT NULL DEFAULT 0, s1 BIGINT NOT NULL DEFAULT 0, s2 BIGINT NOT NULL DEFAULT 0,
  s3 BIGINT NOT NULL DEFAULT 0, s4 BIGINT NOT NULL DEFAULT 0, s5 BIGINT NOT NULL DEFAULT 0,
  s6 BIGINT NOT NULL DEFAULT 0, s7 BIGINT NOT NULL DEFAULT 0, s8 BIGINT NOT NULL DEFAULT 0,
  s9 BIGINT NOT NULL DEFAULT 0, s10 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, day)
);

-- Adds the row's change (NEW minus OLD; a missing side counts as zero) to its day's total.
-- (shop_id, day) of a rollup row never changes: only its counters move.
CREATE FUNCTION nps_daily_total_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r nps_daily%ROWTYPE;
  sign BIGINT := 1;
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := OLD;
    sign := -1;
  ELSE
    r := NEW;
  END IF;
  INSERT INTO nps_daily_total AS t (shop_id, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
  VALUES (r.shop_id, r.day,
          sign * r.s0 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s0 ELSE 0 END,
          sign * r.s1 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s1 ELSE 0 END,
          sign * r.s2 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s2 ELSE 0 END,
          sign * r.s3 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s3 ELSE 0 END,
          sign * r.s4 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s4 ELSE 0 END,
          sign * r.s5 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s5 ELSE 0 END,
          sign * r.s6 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s6 ELSE 0 END,
          sign * r.s7 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s7 ELSE 0 END,
          sign * r.s8 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s8 ELSE 0 END,
          sign * r.s9 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s9 ELSE 0 END,
          sign * r.s10 - CASE WHEN TG_OP = 'UPDATE' THEN OLD.s10 ELSE 0 END)
  ON CONFLICT (shop_id, day) DO UPDATE SET
    s0 = t.s0 + EXCLUDED.s0, s1 = t.s1 + EXCLUDED.s1, s2 = t.s2 + EXCLUDED.s2,
    s3 = t.s3 + EXCLUDED.s3, s4 = t.s4 + EXCLUDED.s4, s5 = t.s5 + EXCLUDED.s5,
    s6 = t.s6 + EXCLUDED.s6, s7 = t.s7 + EXCLUDED.s7, s8 = t.s8 + EXCLUDED.s8,
    s9 = t.s9 + EXCLUDED.s9, s10 = t.s10 + EXCLUDED.s10;
  RETURN NULL;
END;
$$;

-- The trigger first: creating it locks nps_daily against writers until this migration commits,
-- so the backfill below sees every count and none is added twice.
CREATE TRIGGER nps_daily_total_apply AFTER INSERT OR UPDATE OR DELETE ON nps_daily
  FOR EACH ROW EXECUTE FUNCTION nps_daily_total_apply();

INSERT INTO nps_daily_total (shop_id, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT shop_id, day, SUM(s0), SUM(s1), SUM(s2), SUM(s3), SUM(s4), SUM(s5), SUM(s6), SUM(s7),
       SUM(s8), SUM(s9), SUM(s10)
FROM nps_daily GROUP BY shop_id, day;
