#pragma once
// A shop and its program settings.
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

// A shop's program settings; every field has a sensible default.
struct ShopSettings {
  int64_t survey_delay_seconds = 3 * 86400;
  int64_t throttle_days = 90;
  std::string discount_kind = "percent";  // "percent" or "amount": what a referred friend gets
  int64_t discount_value = 15;            // percent, or minor units of `currency`
  int64_t reward_minor = 1000;            // what the promoter gets per qualified referral
  std::string currency = "EUR";           // of reward and amount discounts
  int64_t code_expiry_days = 365;         // 0: codes never expire
  int64_t code_max_uses = 0;              // 0: unlimited
  // Where a share link lands; "{code}" is replaced by the (URL-encoded) code. Empty: shop URL
  // with "?discount={code}".
  std::string landing_url;
  std::string locale = "en";  // messages to customers without a locale of their own
  std::string sender_name;    // mail From name; empty: the shop's name
  // Rewards (issue 11): a referred order whose net revenue (total less refunds) falls below this,
  // in minor units of its currency, loses its reward; 0: no minimum.
  int64_t reward_min_order = 0;
  // A reward is held this many seconds after its order (the shop's return window; 14 days by
  // default), then released and mailed; 0: released at once. (Was reward_hold_days until
  // migration 0011, which converted it; the API and CLI still take reward_hold_days on input.)
  int64_t reward_hold_seconds = 14 * 86400;
  // Rewards a promoter earns per UTC calendar month; referrals beyond it earn none; 0: no cap.
  int64_t reward_cap_per_month = 0;
  // Fraud rules (core/fraud.h): more than velocity_max qualified referrals on one code within
  // velocity_hours fires "velocity" (velocity_max 0: off); rule_actions changes what a rule
  // does ("velocity=reject,disposable_email=ignore"; empty: the defaults); disposable_domains
  // adds domains to the built-in list of throwaway mailboxes ("-domain" takes one off).
  int64_t velocity_max = 5;
  int64_t velocity_hours = 24;
  std::string rule_actions;
  std::string disposable_domains;
  // Webhooks from the shop's store software (api/routes_hooks.cc). The secrets are kept as given
  // (a signature is checked with the key itself) and never shown back; empty: not set, every
  // delivery refused.
  std::string shopify_webhook_secret;
  std::string shopify_ingest_on = "orders/create";  // or "orders/paid": the topic that ingests an order
  std::string woocommerce_webhook_secret;
  // One reminder (issue 17): a survey not answered this many seconds after its message was sent
  // gets one reminder on the same channel; 0: no reminders.
  int64_t reminder_after_seconds = 0;
  // Text messages: "email", "sms", "sms_first" (SMS when the customer has a mobile number and SMS
  // consent, else email) or "email_first"; the region national phone numbers are read in ("DE",
  // "" none: international form only).
  std::string channel = "email";
  std::string default_region;
  // One message budget (issue 11): a customer gets at most max_messages marketing messages
  // (surveys, activation mails, reminders; any channel) in budget_days; 0: no budget.
  int64_t max_messages = 3;
  int64_t budget_days = 30;
  // Messages the shop's jobs may send per UTC clock hour, over every channel and node (a shared
  // instance is no bulk relay): beyond it a message waits for the next hour; 0: no quota.
  int64_t messages_per_hour = 0;
  // Attribution by landing URL (issue 11): an order without a referral discount code whose
  // landing_site holds a code counts as its referral when a visit to the code's share link came at
  // most this many days before it; 0: off.
  int64_t attribution_days = 30;
  // Coupon leak (issue 11): when, within attribution_days (30 when that is off), this many more
  // buyers used a code than its share link had visits, the code is paused (core/signals.h); 0: off.
  int64_t coupon_leak_buyers = 10;
  // Where Vouch mails the shop (a paused code: job kind coupon_leak); '' = none, nothing mailed.
  std::string contact_email;
  // Holdout (issue 16): this share of would-be promoters, 0…50 percent, get the thank-you but no
  // code, so the report can measure what activation itself does (app/holdout.h); 0: none.
  int64_t holdout_percent = 0;
};

struct Shop {
  Id id = 0;
  std::string name;
  std::string url;
  ShopSettings settings;
  Instant created_at{};
};

// One of a shop's API keys (for machines). Only the key's SHA-256 is stored; `prefix` (its first
// characters) tells keys apart in a list. A revoked key keeps its row.
struct ApiKey {
  Id id = 0;
  Id shop_id = 0;
  std::string name;
  std::string prefix;
  std::string key_hash;  // hex SHA-256
  Instant created_at{};
  std::optional<Instant> last_used_at, revoked_at;
};

// A shop found by one of its keys, with that key's id.
struct KeyedShop {
  Shop shop;
  Id key_id = 0;
};

}  // namespace vouch::store
