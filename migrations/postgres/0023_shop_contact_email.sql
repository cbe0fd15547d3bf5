-- The shop's contact address (issue 11): Vouch mails the shop there, e.g. when the coupon-leak
-- rule pauses one of its codes (job kind coupon_leak). '' = none: nothing is mailed.
ALTER TABLE shops ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
