-- One reminder (issue 17): a survey not answered this many seconds after its message was sent gets
-- one reminder on the same channel (a job of kind 'reminder', unique per survey and channel like
-- every job); 0: no reminders.
ALTER TABLE shops ADD COLUMN reminder_after_seconds BIGINT NOT NULL DEFAULT 0;
