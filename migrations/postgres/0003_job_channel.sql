-- Jobs carry the channel their message goes by: one cause (a survey, a code, a reward) may owe
-- one mail and one text message, so a job is unique per (kind, ref_id, channel). Existing jobs
-- were all mail (a constant default: no table rewrite).
ALTER TABLE jobs ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_ref_id_key;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_ref_id_channel_key UNIQUE (kind, ref_id, channel);
