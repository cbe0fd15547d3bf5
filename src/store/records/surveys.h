#pragma once
// A survey, where its message and answer stand, and the clicks on its answer links.
// Plain records; money in minor units, time as Instant (UTC).
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "core/channel.h"
#include "core/clicks.h"
#include "store/records/id.h"

namespace vouch::store {

enum class AnswerState { kNone, kCounted, kSuspect, kConfirmed };
const char* AnswerStateName(AnswerState s);
AnswerState ParseAnswerState(const std::string& s);
inline bool IsCounted(AnswerState s) { return s == AnswerState::kCounted || s == AnswerState::kConfirmed; }

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
  Instant order_at{};   // the order's created_at: the funnel's cohort, read from one index
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

}  // namespace vouch::store
