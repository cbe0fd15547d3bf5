#include "core/eligibility.h"

#include <algorithm>

namespace vouch::core {

const char* SkipName(SurveySkip s) {
  switch (s) {
    case SurveySkip::kNone: return "";
    case SurveySkip::kNoChannel: return "no_channel";
    case SurveySkip::kUnsubscribed: return "unsubscribed";
    case SurveySkip::kThrottled: return "throttled";
    case SurveySkip::kTooOld: return "too_old";
  }
  return "";
}

SurveyPlan PlanSurvey(Instant order_time, const CustomerState& customer, const SurveyPolicy& policy,
                      Instant now) {
  SurveyPlan plan;
  if (customer.unsubscribed) {
    plan.skip = SurveySkip::kUnsubscribed;
    return plan;
  }
  if (!customer.has_email) {
    plan.skip = SurveySkip::kNoChannel;
    return plan;
  }
  const Instant due = order_time + policy.delay;
  if (now - due > policy.max_age) {
    plan.skip = SurveySkip::kTooOld;
    return plan;
  }
  // A survey due in the past goes out now rather than being back-dated.
  plan.due_at = std::max(due, now);
  if (customer.last_survey_at) {
    const auto gap = plan.due_at - *customer.last_survey_at;
    if (gap < policy.throttle && gap > -policy.throttle) {
      plan.skip = SurveySkip::kThrottled;
      return plan;
    }
  }
  return plan;
}

}  // namespace vouch::core
