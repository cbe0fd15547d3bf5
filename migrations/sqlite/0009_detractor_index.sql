-- The detractors of a range, for the follow-up counts (GET /api/v1/followups/summary) and the
-- feed's detractor filter, without reading every answer of the range. Partial: a survey enters it
-- only when answered 0-6, so ingest (score still NULL) never writes to it.
CREATE INDEX surveys_shop_detractors ON surveys (shop_id, answered_at) WHERE score <= 6;
