#pragma once
// Plain records the store reads and writes. Money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "core/channel.h"
#include "core/clicks.h"
#include "core/nps.h"
#include "core/referral.h"

namespace vouch::store {

using Id = int64_t;

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
};

struct Shop {
  Id id = 0;
  std::string name;
  std::string url;
  ShopSettings settings;
  Instant created_at{};
};

struct Customer {
  Id id = 0;
  Id shop_id = 0;
  std::string external_id;
  std::string email;  // lower-cased, may be empty
  std::string phone;  // E.164, may be empty
  std::string first_name;
  std::string last_name;
  std::string locale;
  std::optional<Instant> unsubscribed_at;
  std::optional<Instant> last_survey_at;
};

struct LineItem {
  std::string product_id;
  std::string title;
  std::string category;
  int64_t quantity = 1;
  int64_t price_minor = 0;
};

struct Order {
  Id id = 0;
  Id shop_id = 0;
  std::string external_id;
  Id customer_id = 0;
  Instant created_at{};
  std::string currency;
  int64_t total_minor = 0;
  std::vector<std::string> discount_codes;
  std::vector<LineItem> items;
  std::optional<Id> survey_id;
  std::string survey_skip;  // why no survey was scheduled, when none was
  std::optional<Id> referral_id;
  Instant ingested_at{};
};

enum class AnswerState { kNone, kCounted, kSuspect, kConfirmed };
const char* AnswerStateName(AnswerState s);
AnswerState ParseAnswerState(const std::string& s);
inline bool IsCounted(AnswerState s) {
  return s == AnswerState::kCounted || s == AnswerState::kConfirmed;
}

// Where a survey's message stands. Stored as "scheduled", "sent", "failed".
enum class SurveyStatus { kScheduled, kSent, kFailed };
const char* SurveyStatusName(SurveyStatus s);
std::optional<SurveyStatus> ParseSurveyStatus(std::string_view s);

struct Survey {
  Id id = 0;
  Id shop_id = 0;
  Id order_id = 0;
  Id customer_id = 0;
  core::Channel channel = core::Channel::kEmail;
  std::string segment;  // product category of the order's first item, "" if none
  Instant due_at{};
  SurveyStatus status = SurveyStatus::kScheduled;
  std::optional<Instant> sent_at;
  std::optional<int> score;
  AnswerState answer_state = AnswerState::kNone;
  std::optional<Instant> answered_at;  // first answer; the rollup day
  std::optional<Instant> updated_at;   // latest change of the answer
  std::string comment;
};

struct Click {
  Id survey_id = 0;
  Instant at{};
  int score = 0;
  core::ClickVerdict verdict = core::ClickVerdict::kCount;  // stored as count, suspect, ignore, confirm
  std::string user_agent;
};

struct ReferralCode {
  Id id = 0;
  Id shop_id = 0;
  std::string code;
  Id promoter_id = 0;  // customer
  Id survey_id = 0;
  Instant created_at{};
  std::optional<Instant> expires_at;
  int64_t max_uses = 0;
  int64_t uses = 0;
  int64_t visits = 0;
};

struct Referral {
  Id id = 0;
  Id shop_id = 0;
  Id order_id = 0;
  Id code_id = 0;
  Id promoter_id = 0;
  core::ReferralVerdict status = core::ReferralVerdict::kQualified;  // qualified, or the rejection reason
  int64_t revenue_minor = 0;
  std::string currency;
  Instant created_at{};
};

struct Reward {
  Id id = 0;
  Id shop_id = 0;
  Id referral_id = 0;
  Id promoter_id = 0;
  std::string code;
  int64_t amount_minor = 0;
  std::string currency;
  Instant created_at{};
};

enum class JobKind { kSurvey, kActivation, kReward };
const char* JobKindName(JobKind k);
std::optional<JobKind> ParseJobKind(const std::string& s);

// Where a job stands. Stored as "pending", "running", "done", "failed", "skipped".
enum class JobStatus { kPending, kRunning, kDone, kFailed, kSkipped };
const char* JobStatusName(JobStatus s);
std::optional<JobStatus> ParseJobStatus(std::string_view s);

struct Job {
  Id id = 0;
  Id shop_id = 0;
  JobKind kind = JobKind::kSurvey;
  Id ref_id = 0;  // survey, referral code or reward, by kind
  core::Channel channel = core::Channel::kEmail;  // one job per (kind, ref, channel)
  Instant run_at{};
  int attempts = 0;
  JobStatus status = JobStatus::kPending;
  std::string last_error;
  Instant created_at{};
  std::optional<Instant> finished_at;
};

// Report rows.
struct DayCounts {
  int64_t day = 0;  // days since 1970-01-01 (UTC)
  core::ScoreCounts counts;
};

struct Funnel {
  int64_t orders = 0;
  int64_t surveys_scheduled = 0;
  int64_t surveys_sent = 0;
  int64_t responses = 0;
  int64_t promoters = 0;
  int64_t activated = 0;
  int64_t share_visits = 0;
  int64_t referred_orders = 0;
  int64_t referred_revenue_minor = 0;
  int64_t rewards = 0;
  int64_t reward_cost_minor = 0;
};

struct PromoterRow {
  Id customer_id = 0;
  std::string external_id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string code;
  int64_t visits = 0;
  int64_t referrals = 0;
  int64_t revenue_minor = 0;
  int64_t reward_cost_minor = 0;
};

struct ResponseRow {
  Id survey_id = 0;
  std::string order_external_id;
  std::string customer_external_id;
  std::string email;
  std::string first_name;
  std::string last_name;
  int score = 0;
  std::string comment;
  AnswerState state = AnswerState::kNone;
  Instant answered_at{};
  std::string segment;
};

struct JobCounts {
  int64_t pending = 0, running = 0, done = 0, failed = 0, skipped = 0;
};

}  // namespace vouch::store
