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
    case SurveySkip::kNotRequested: return "not_requested";
  }
  return "";
}

std::optional<Channel> PickChannel(const ChannelSet& reachable, Channel preferred) {
  if (reachable.Has(preferred)) return preferred;
  for (Channel c : kAllChannels) {
    if (reachable.Has(c)) return c;
  }
  return std::nullopt;
}

SurveyPlan PlanSurvey(Instant order_time, const CustomerState& customer, const SurveyPolicy& policy,
                      Instant now) {
  SurveyPlan plan;
  if (customer.unsubscribed) {
    plan.skip = SurveySkip::kUnsubscribed;
    return plan;
  }
  const std::optional<Channel> channel = PickChannel(customer.reachable, policy.preferred_channel);
  if (!channel) {
    plan.skip = SurveySkip::kNoChannel;
    return plan;
  }
  plan.channel = *channel;
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
