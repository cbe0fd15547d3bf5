-- Paid campaigns (issue 16): what a shop spent on influencers or ads and the discount codes it
-- handed out, so reports can set the referral program's cost per new customer beside theirs.
-- Orders are attributed to a campaign when read (an order carrying one of its codes), not at
-- ingest: a campaign entered after its orders still counts them.
CREATE TABLE campaigns (
  id         INTEGER PRIMARY KEY,
  shop_id    INTEGER NOT NULL REFERENCES shops(id),
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('influencer', 'paid_social', 'other')),
  cost_minor INTEGER NOT NULL,
  currency   TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX campaigns_shop ON campaigns (shop_id, id);
-- A code belongs to at most one campaign of a shop; stored upper-cased (codes match
-- case-insensitively, as discount codes do at checkout).
CREATE TABLE campaign_codes (
  shop_id     INTEGER NOT NULL REFERENCES shops(id),
  code        TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  PRIMARY KEY (shop_id, code)
);
CREATE INDEX campaign_codes_campaign ON campaign_codes (campaign_id);
