#include "core/eligibility.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace vouch::core {
namespace {

using std::chrono::days;
using std::chrono::hours;

const Instant kNow = FromUnixMillis(1'795'169'700'000);  // 2026-11-20T10:15:00Z

// Default policy: delay 3 days, throttle 90 days, max age 30 days.
const SurveyPolicy kPolicy{};

// A customer with an email address: reachable by email only, as every customer is today.
CustomerState Reachable() {
  CustomerState c;
  c.reachable.Add(Channel::kEmail);
  return c;
}

CustomerState ReachableOn(std::initializer_list<Channel> channels) {
  CustomerState c;
  for (Channel ch : channels) c.reachable.Add(ch);
  return c;
}

SurveyPolicy Preferring(Channel channel) {
  SurveyPolicy policy;
  policy.preferred_channel = channel;
  return policy;
}

CustomerState SurveyedAt(Instant t) {
  CustomerState c = Reachable();
  c.last_survey_at = t;
  return c;
}

TEST(SurveyPolicyTest, DefaultsAreThreeNinetyAndThirtyDaysByEmail) {
  EXPECT_EQ(kPolicy.delay, days{3});
  EXPECT_EQ(kPolicy.throttle, days{90});
  EXPECT_EQ(kPolicy.max_age, days{30});
  EXPECT_EQ(kPolicy.preferred_channel, Channel::kEmail);
}

TEST(ChannelSetTest, HoldsWhatWasAdded) {
  ChannelSet set;
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Has(Channel::kEmail));
  EXPECT_FALSE(set.Has(Channel::kSms));
  set.Add(Channel::kSms);
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(set.Has(Channel::kSms));
  EXPECT_FALSE(set.Has(Channel::kEmail));
  set.Add(Channel::kEmail);
  set.Add(Channel::kEmail);
  EXPECT_TRUE(set.Has(Channel::kEmail));
  EXPECT_TRUE(set.Has(Channel::kSms));
}

TEST(PlanSurveyTest, EligibleOrderIsDueAfterTheDelay) {
  const SurveyPlan plan = PlanSurvey(kNow, Reachable(), kPolicy, kNow);
  EXPECT_EQ(plan.skip, SurveySkip::kNone);
  EXPECT_EQ(plan.due_at, kNow + days{3});
}

TEST(PlanSurveyTest, ZeroDelayIsDueNow) {
  SurveyPolicy policy;
  policy.delay = Millis{0};
  const SurveyPlan plan = PlanSurvey(kNow, Reachable(), policy, kNow);
  EXPECT_EQ(plan.skip, SurveySkip::kNone);
  EXPECT_EQ(plan.due_at, kNow);
}

TEST(PlanSurveyTest, UnsubscribedIsSkipped) {
  CustomerState c = Reachable();
  c.unsubscribed = true;
  EXPECT_EQ(PlanSurvey(kNow, c, kPolicy, kNow).skip, SurveySkip::kUnsubscribed);
}

TEST(PlanSurveyTest, NoEmailIsNoChannel) {
  CustomerState c;  // reachable on nothing
  EXPECT_EQ(PlanSurvey(kNow, c, kPolicy, kNow).skip, SurveySkip::kNoChannel);
  EXPECT_EQ(PlanSurvey(kNow, c, Preferring(Channel::kSms), kNow).skip, SurveySkip::kNoChannel);
}

TEST(PlanSurveyTest, AnEmailAddressMeansTheSurveyGoesByEmail) {
  const SurveyPlan plan = PlanSurvey(kNow, Reachable(), kPolicy, kNow);
  EXPECT_EQ(plan.skip, SurveySkip::kNone);
  EXPECT_EQ(plan.channel, Channel::kEmail);
}

TEST(PlanSurveyTest, APreferenceForSmsWithoutSmsFallsBackToEmail) {
  const SurveyPlan plan = PlanSurvey(kNow, Reachable(), Preferring(Channel::kSms), kNow);
  EXPECT_EQ(plan.skip, SurveySkip::kNone);
  EXPECT_EQ(plan.channel, Channel::kEmail);
  EXPECT_EQ(plan.due_at, kNow + days{3});
}

TEST(PlanSurveyTest, ThePreferredChannelWinsWhenReachable) {
  const CustomerState both = ReachableOn({Channel::kEmail, Channel::kSms});
  EXPECT_EQ(PlanSurvey(kNow, both, Preferring(Channel::kSms), kNow).channel, Channel::kSms);
  EXPECT_EQ(PlanSurvey(kNow, both, Preferring(Channel::kEmail), kNow).channel, Channel::kEmail);
}

TEST(PlanSurveyTest, OnlySmsReachableGoesBySmsWhateverThePreference) {
  const CustomerState sms = ReachableOn({Channel::kSms});
  const SurveyPlan plan = PlanSurvey(kNow, sms, kPolicy, kNow);
  EXPECT_EQ(plan.skip, SurveySkip::kNone);
  EXPECT_EQ(plan.channel, Channel::kSms);
}

TEST(PlanSurveyTest, UnsubscribedWinsOverAReachableChannel) {
  CustomerState c = ReachableOn({Channel::kEmail, Channel::kSms});
  c.unsubscribed = true;
  EXPECT_EQ(PlanSurvey(kNow, c, Preferring(Channel::kSms), kNow).skip, SurveySkip::kUnsubscribed);
}

TEST(PickChannelTest, PreferredThenTheFirstReachable) {
  EXPECT_EQ(PickChannel(ChannelSet{}, Channel::kEmail), std::nullopt);
  EXPECT_EQ(PickChannel(ReachableOn({Channel::kEmail}).reachable, Channel::kSms), Channel::kEmail);
  EXPECT_EQ(PickChannel(ReachableOn({Channel::kSms}).reachable, Channel::kEmail), Channel::kSms);
  EXPECT_EQ(PickChannel(ReachableOn({Channel::kEmail, Channel::kSms}).reachable, Channel::kSms),
            Channel::kSms);
}

// The order is placed now, so the new survey would be due at now + 3 days; the throttle compares
// that due time with the last survey's due time, in either direction.
TEST(PlanSurveyTest, ThrottleWindowAroundTheLastSurvey) {
  const Instant due = kNow + days{3};
  struct Row {
    Instant last_survey;
    SurveySkip expected;
  };
  const Row rows[] = {
      {due - days{10}, SurveySkip::kThrottled},              // surveyed 10 days before
      {due - days{90} + Millis{1}, SurveySkip::kThrottled},  // 1 ms inside the window
      {due - days{90}, SurveySkip::kNone},                   // exactly at the boundary: allowed
      {due - days{91}, SurveySkip::kNone},
      {due, SurveySkip::kThrottled},             // same instant
      {due + days{10}, SurveySkip::kThrottled},  // a later survey already scheduled
      {due + days{90} - Millis{1}, SurveySkip::kThrottled},
      {due + days{90}, SurveySkip::kNone},
      {due + days{120}, SurveySkip::kNone},
  };
  for (const Row& row : rows) {
    const SurveyPlan plan = PlanSurvey(kNow, SurveyedAt(row.last_survey), kPolicy, kNow);
    EXPECT_EQ(plan.skip, row.expected)
        << "last survey " << FormatRfc3339(row.last_survey) << " → " << SkipName(plan.skip);
    if (row.expected == SurveySkip::kNone) {
      EXPECT_EQ(plan.due_at, due);
    }
  }
}

// A backfilled order: due = order + 3 days. Due within the last 30 days goes out now; due longer
// ago than that is skipped.
TEST(PlanSurveyTest, BackfilledOrdersByAge) {
  struct Row {
    Instant order_time;
    SurveySkip expected;
    Instant due_at;
  };
  const Row rows[] = {
      {kNow - days{1}, SurveySkip::kNone, kNow + days{2}},            // still in the future
      {kNow - days{3}, SurveySkip::kNone, kNow},                      // due exactly now
      {kNow - days{10}, SurveySkip::kNone, kNow},                     // due 7 days ago: now
      {kNow - days{33}, SurveySkip::kNone, kNow},                     // due exactly max_age ago
      {kNow - days{33} - Millis{1}, SurveySkip::kTooOld, Instant{}},  // 1 ms too old
      {kNow - days{365}, SurveySkip::kTooOld, Instant{}},
  };
  for (const Row& row : rows) {
    const SurveyPlan plan = PlanSurvey(row.order_time, Reachable(), kPolicy, kNow);
    EXPECT_EQ(plan.skip, row.expected) << FormatRfc3339(row.order_time);
    if (row.expected == SurveySkip::kNone) {
      EXPECT_EQ(plan.due_at, row.due_at) << FormatRfc3339(row.order_time);
    }
  }
}

TEST(PlanSurveyTest, ThrottleUsesTheActualSendTimeOfABackfilledOrder) {
  // Order due 20 days ago, sent now; the last survey was 80 days ago, so 80 days apart: throttled,
  // although the order's own due time is only 60 days after that survey.
  const Instant order = kNow - days{23};
  EXPECT_EQ(PlanSurvey(order, SurveyedAt(kNow - days{80}), kPolicy, kNow).skip, SurveySkip::kThrottled);
  EXPECT_EQ(PlanSurvey(order, SurveyedAt(kNow - days{90}), kPolicy, kNow).skip, SurveySkip::kNone);
}

TEST(PlanSurveyTest, CustomPolicyShiftsEveryLimit) {
  SurveyPolicy policy;
  policy.delay = hours{1};
  policy.throttle = days{7};
  policy.max_age = days{2};
  EXPECT_EQ(PlanSurvey(kNow, Reachable(), policy, kNow).due_at, kNow + hours{1});
  EXPECT_EQ(PlanSurvey(kNow - days{3}, Reachable(), policy, kNow).skip, SurveySkip::kTooOld);
  EXPECT_EQ(PlanSurvey(kNow, SurveyedAt(kNow - days{6}), policy, kNow).skip, SurveySkip::kThrottled);
  EXPECT_EQ(PlanSurvey(kNow, SurveyedAt(kNow - days{7} + hours{1}), policy, kNow).skip, SurveySkip::kNone);
}

TEST(SkipNameTest, NamesEachReason) {
  EXPECT_STREQ(SkipName(SurveySkip::kNone), "");
  EXPECT_STREQ(SkipName(SurveySkip::kNoChannel), "no_channel");
  EXPECT_STREQ(SkipName(SurveySkip::kUnsubscribed), "unsubscribed");
  EXPECT_STREQ(SkipName(SurveySkip::kThrottled), "throttled");
  EXPECT_STREQ(SkipName(SurveySkip::kTooOld), "too_old");
}

}  // namespace
}  // namespace vouch::core
