#pragma once
// What the SQL repositories share: the record columns and row mappers (*From: a result row to a
// record, parsing the stored state names into enums at this edge), the statement helpers (One,
// Many, InsertUnlessTaken, …) and the chunking of SQLite's set forms. Stateless functions over a
// Connection; thread safety and errors are the connection's.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/records.h"
#include "store/sql/connection.h"
#include "store/sql/dialect.h"

namespace vouch::store::sql {

// What every SQL repository works with: the transaction's connection and its dialect.
class SqlRepo {
 protected:
  explicit SqlRepo(Connection& c) : c_(c), d_(c.dialect()) {}
  Connection& c_;
  const Dialect& d_;
};

// Multi-row statements come in five sizes, so each has five shapes at most, each prepared once
// per connection: n rows are cut into chunks of 256, 64, 16, 4 and 1. 256 rows of the widest
// (orders: fourteen columns) stay far below both databases' limits on parameters.
template <class F>
Status ForChunks(size_t n, F&& fn) {
  size_t at = 0;
  for (size_t size : {size_t{256}, size_t{64}, size_t{16}, size_t{4}, size_t{1}}) {
    while (n - at >= size) {
      VOUCH_TRY(fn(at, size));
      at += size;
    }
  }
  return OkStatus();
}

// "?2, ?3, ?4": n placeholders numbered from `first`.
std::string Placeholders(size_t n, size_t first);

// Matching the rows a set insert RETURNs to its input rows (customers', orders' InsertMany).
// Rows of a set insert by (shop, external id), to match what RETURNING gives back.
using KeyIndex = std::map<std::pair<Id, std::string_view>, size_t>;

template <class Rows>
KeyIndex IndexByKey(const Rows& rows) {
  KeyIndex where;
  for (size_t i = 0; i < rows.size(); ++i) {
    where.emplace(std::pair{rows[i].shop_id, std::string_view(rows[i].external_id)}, i);
  }
  return where;
}

// Records the id of a returned (id, shop_id, external_id) row at its input row.
inline void Returned(const KeyIndex& where, const Row& r, std::vector<std::optional<Id>>& ids) {
  const std::string key = Text(r, 2);
  auto it = where.find(std::pair{Int(r, 1), std::string_view(key)});
  if (it != where.end()) ids[it->second] = Int(r, 0);
}

// One optional row of `sql`, mapped by `from`.
template <class T, class F>
Result<std::optional<T>> One(Connection& c, const std::string& sql, const std::vector<Value>& params,
                             F from) {
  auto rows = c.Query(sql, params);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>{from(rows->front())};
}

template <class T, class F>
Result<std::vector<T>> Many(Connection& c, const std::string& sql, const std::vector<Value>& params, F from) {
  auto rows = c.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(from(r));
  return out;
}

Result<Id> InsertReturningId(Connection& c, const std::string& sql, const std::vector<Value>& params);
// An insert that may collide on the unique key `conflict` (a column list): kAlreadyExists
// without raising, because a failed statement aborts a PostgreSQL transaction and the caller
// may want to retry with another value in the same transaction.
Result<Id> InsertUnlessTaken(Connection& c, const std::string& sql, const std::string& conflict,
                             const std::vector<Value>& params, const std::string& what);
Result<int64_t> Count(Connection& c, const std::string& sql, const std::vector<Value>& params);
Status Exec(Connection& c, const std::string& sql, const std::vector<Value>& params);

// Discount codes are stored joined by newlines.
std::string JoinLines(const std::vector<std::string>& v);
std::vector<std::string> SplitLines(const std::string& s);

// Columns selected for each record, in the order its mapper reads them.
inline constexpr const char* kShopCols =
    "id, name, url, survey_delay_seconds, throttle_days, discount_kind, discount_value, "
    "reward_minor, currency, code_expiry_days, code_max_uses, landing_url, locale, sender_name, "
    "created_at, reward_min_order, reward_hold_seconds, reward_cap_per_month, velocity_max, velocity_hours, "
    "rule_actions, disposable_domains, shopify_webhook_secret, shopify_ingest_on, "
    "woocommerce_webhook_secret, "
    "reminder_after_seconds, channel, default_region, max_messages, budget_days, messages_per_hour, "
    "attribution_days, coupon_leak_buyers, "
    "contact_email, holdout_percent";
inline constexpr const char* kCustomerCols =
    "id, shop_id, external_id, email, phone, first_name, last_name, locale, unsubscribed_at, "
    "last_survey_at, accepts_email_marketing, accepts_sms_marketing, canonical_email";
inline constexpr const char* kOrderCols =
    "id, shop_id, external_id, customer_id, created_at, currency, total_minor, discount_codes, "
    "survey_id, survey_skip, referral_id, ingested_at, refunded_minor, cancelled_at, landing_site, "
    "browser_ip, ship_line1, ship_zip, ship_country";
inline constexpr const char* kSurveyCols =
    "id, shop_id, order_id, customer_id, channel, segment, due_at, status, sent_at, score, "
    "answer_state, answered_at, updated_at, comment, order_at";
inline constexpr const char* kClickCols = "survey_id, at, score, verdict, user_agent";
inline constexpr const char* kCodeCols =
    "id, shop_id, code, promoter_id, survey_id, created_at, expires_at, max_uses, uses, visits, paused_at, "
    "paused_buyers, resumed_at";
inline constexpr const char* kReferralCols =
    "id, shop_id, order_id, code_id, promoter_id, status, revenue_minor, currency, created_at, decision, "
    "rules, reviewed_at";
inline constexpr const char* kRewardCols =
    "id, shop_id, referral_id, promoter_id, code, amount_minor, currency, created_at, status, hold_until, "
    "released_at, reversed_at, reverse_reason, voucher_used_at, voucher_used_order, voucher_voided_at";
inline constexpr const char* kRefundCols = "id, shop_id, order_id, refund_id, amount_minor, created_at";
inline constexpr const char* kRewardEntryCols =
    "id, shop_id, reward_id, promoter_id, kind, amount_minor, currency, reason, at";
inline constexpr const char* kJobCols =
    "id, shop_id, kind, ref_id, channel, run_at, attempts, status, last_error, created_at, finished_at, "
    "delivery, delivery_detail";
inline constexpr const char* kUserCols =
    "id, shop_id, email, role, password_hash, created_at, last_sign_in_at, must_change_password";
inline constexpr const char* kFollowupCols =
    "survey_id, shop_id, owner, note, status, created_at, updated_at, resolved_at";

Shop ShopFrom(const Row& r);
Customer CustomerFrom(const Row& r);
Order OrderFrom(const Row& r);  // without its items
LineItem LineItemFrom(const Row& r);
Survey SurveyFrom(const Row& r);
Click ClickFrom(const Row& r);
ReferralCode CodeFrom(const Row& r);
Referral ReferralFrom(const Row& r);
Reward RewardFrom(const Row& r);
OrderRefund RefundFrom(const Row& r);
RewardEntry RewardEntryFrom(const Row& r);
Job JobFrom(const Row& r);
User UserFrom(const Row& r);
// A follow-up from kFollowupCols starting at column `first` (a join puts them after others).
Followup FollowupFrom(const Row& r, size_t first);
// A text column that may be NULL (nullopt), unlike Text, which reads NULL as "".
std::optional<std::string> OptText(const Row& r, size_t i);

// The stored names of the states (the same strings the schema has always held).
inline std::string Name(core::Channel c) { return std::string(core::ChannelName(c)); }
inline Value Stored(core::Channel c) { return Value{Name(c)}; }
inline Value Stored(SurveyStatus s) { return Value{std::string(SurveyStatusName(s))}; }
inline Value Stored(JobStatus s) { return Value{std::string(JobStatusName(s))}; }
inline Value Stored(core::ClickVerdict v) { return Value{std::string(core::ClickVerdictName(v))}; }
inline Value Stored(Role r) { return Value{std::string(RoleName(r))}; }
inline Value Stored(FollowupStatus s) { return Value{std::string(FollowupStatusName(s))}; }
inline Value Stored(RewardStatus s) { return Value{std::string(RewardStatusName(s))}; }
inline Value Stored(core::Decision d) { return Value{std::string(core::DecisionName(d))}; }
// Fired rules as "rule<TAB>detail" lines, and back.
std::string JoinRules(const std::vector<core::FiredRule>& rules);
std::vector<core::FiredRule> SplitRules(const std::string& s);
inline Value Stored(core::ReferralVerdict v) { return Value{std::string(core::VerdictName(v))}; }

}  // namespace vouch::store::sql
