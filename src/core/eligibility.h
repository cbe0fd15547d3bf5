#pragma once
// Whether and when a purchase earns its buyer a survey.
#include <optional>
#include <string>

#include "base/time.h"

namespace vouch::core {

struct SurveyPolicy {
  Millis delay{std::chrono::days{3}};           // survey at order time + delay
  Millis throttle{std::chrono::days{90}};       // at most one survey per customer per window
  Millis max_age{std::chrono::days{30}};        // a backfilled order older than this is not surveyed
};

struct CustomerState {
  bool has_email = false;
  bool unsubscribed = false;
  std::optional<Instant> last_survey_at;  // due time of the customer's latest scheduled survey
};

enum class SurveySkip { kNone, kNoChannel, kUnsubscribed, kThrottled, kTooOld };
const char* SkipName(SurveySkip s);

struct SurveyPlan {
  SurveySkip skip = SurveySkip::kNone;  // kNone: schedule at `due_at`
  Instant due_at{};
};

// Pure decision: data in, plan out.
SurveyPlan PlanSurvey(Instant order_time, const CustomerState& customer, const SurveyPolicy& policy,
                      Instant now);

}  // namespace vouch::core
