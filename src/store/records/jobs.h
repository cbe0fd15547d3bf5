#pragma once
// A queued message job (the outbox), its kind and status, and the queue's counts.
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "core/channel.h"
#include "store/records/id.h"

namespace vouch::store {

// kRewardRelease sends nothing: it releases a held reward when its hold ends (app/rewards.h),
// which then queues the kReward mail. kReminder (ref: the survey) is a survey's one reminder,
// queued when its survey message is sent, due `reminder_after_seconds` later (app/outbox.cc).
// kWebhook delivers one webhook (ref: the delivery, app/webhooks.h); kWebhookDisabled mails the
// shop's admins that an endpoint was disabled (ref: the endpoint). kCouponLeak mails the shop's
// contact_email that the coupon-leak rule paused a code (ref: the referral code; queued with the
// pause, in its transaction, so once per pause).
enum class JobKind {
  kSurvey,
  kActivation,
  kReward,
  kRewardRelease,
  kReminder,
  kWebhook,
  kWebhookDisabled,
  kCouponLeak
};
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
  Id ref_id = 0;                                  // survey, referral code, reward, ..., by kind
  core::Channel channel = core::Channel::kEmail;  // one job per (kind, ref, channel)
  Instant run_at{};
  int attempts = 0;
  JobStatus status = JobStatus::kPending;
  std::string last_error;
  Instant created_at{};
  std::optional<Instant> finished_at;
  // The gateway's delivery report (SMS): "" none yet, "delivered" or "failed", and its words.
  std::string delivery;
  std::string delivery_detail;
};

// How many jobs of a kind are in a status, over all shops (/metrics).
struct JobTally {
  JobKind kind = JobKind::kSurvey;
  JobStatus status = JobStatus::kPending;
  int64_t count = 0;
};

struct JobCounts {
  int64_t pending = 0, running = 0, done = 0, failed = 0, skipped = 0;
};

}  // namespace vouch::store
