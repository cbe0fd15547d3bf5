#pragma once
// Report rows: NPS day counts, the funnel, top promoters, a promoter's page, answers.
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "core/nps.h"
#include "store/records/customers.h"
#include "store/records/followups.h"
#include "store/records/id.h"
#include "store/records/referrals.h"
#include "store/records/surveys.h"

namespace vouch::store {

// Report rows.
struct DayCounts {
  int64_t day = 0;  // days since 1970-01-01 (UTC)
  core::ScoreCounts counts;
};

// A segment's answers summed over a range of days.
struct SegmentCounts {
  std::string segment;
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
  // The one reminder (issue 17): reminders sent to the cohort's surveys, and the responses that
  // came after their survey's reminder (the rest came without one).
  int64_t reminders_sent = 0;
  int64_t responses_after_reminder = 0;
};

struct PromoterRow {
  Id customer_id = 0;
  Id code_id = 0;  // the order of an export (one code per promoter)
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
  std::optional<Followup> followup;  // stored follow-up, if any (detractors only)
};

// What a promoter's page shows: the customer, their codes, answers, referrals and rewards.
struct PromoterAnswer {
  Id survey_id = 0;
  std::string order_external_id;
  int score = 0;
  std::string comment;
  AnswerState state = AnswerState::kNone;
  Instant answered_at{};
};

struct PromoterReferral {
  Id id = 0;
  std::string order_external_id;
  std::string code;
  std::string status;  // as stored: "qualified" or the rule that held it back
  int64_t revenue_minor = 0;
  std::string currency;
  Instant created_at{};
};

struct PromoterPage {
  Customer customer;
  std::vector<ReferralCode> codes;
  std::vector<PromoterAnswer> answers;      // newest first
  std::vector<PromoterReferral> referrals;  // newest first
  std::vector<Reward> rewards;              // newest first
};

}  // namespace vouch::store
