#pragma once
// Whether and when a purchase earns its buyer a survey, and on which channel. Pure functions and
// plain values: thread-safe, no errors (a plan says why a survey is skipped).
#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"
#include "core/channel.h"

namespace vouch::core {

struct SurveyPolicy {
  Millis delay{std::chrono::days{3}};           // survey at order time + delay
  Millis throttle{std::chrono::days{90}};       // at most one survey per customer per window
  Millis max_age{std::chrono::days{30}};        // a backfilled order older than this is not surveyed
  Channel preferred_channel = Channel::kEmail;  // the shop's choice, when the customer has it
};

// A set of channels (e.g. those a customer can be reached on). A plain value.
class ChannelSet {
 public:
  constexpr ChannelSet() = default;
  constexpr void Add(Channel c) { bits_ |= Bit(c); }
  constexpr bool Has(Channel c) const { return (bits_ & Bit(c)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }

 private:
  static constexpr uint8_t Bit(Channel c) { return static_cast<uint8_t>(1u << static_cast<unsigned>(c)); }
  uint8_t bits_ = 0;
};

struct CustomerState {
  // The channels with a contact point and consent: email when the customer has an email address;
  // SMS once phones have consent and a shop setting (not yet: never reachable today).
  ChannelSet reachable;
  bool unsubscribed = false;
  std::optional<Instant> last_survey_at;  // due time of the customer's latest scheduled survey
};

// kNotRequested: the order's source asked for no survey (an imported order from the past).
enum class SurveySkip { kNone, kNoChannel, kUnsubscribed, kThrottled, kTooOld, kNotRequested };
const char* SkipName(SurveySkip s);

struct SurveyPlan {
  SurveySkip skip = SurveySkip::kNone;  // kNone: schedule at `due_at` on `channel`
  Instant due_at{};
  Channel channel = Channel::kEmail;
};

// The channel a survey goes on: the policy's preferred channel when the customer is reachable
// there, else the first reachable one in kAllChannels order; nullopt when none is reachable.
std::optional<Channel> PickChannel(const ChannelSet& reachable, Channel preferred);

// Pure decision: data in, plan out.
SurveyPlan PlanSurvey(Instant order_time, const CustomerState& customer, const SurveyPolicy& policy,
                      Instant now);

}  // namespace vouch::core
