-- Resuming a paused code (issue 11): POST /api/v1/codes/{code}/resume clears paused_at and
-- stores resumed_at; the coupon-leak rule then counts only referrals from resumed_at on.
ALTER TABLE referral_codes ADD COLUMN resumed_at INTEGER;
