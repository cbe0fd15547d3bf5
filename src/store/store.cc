#include "store/records.h"

namespace vouch::store {

const char* AnswerStateName(AnswerState s) {
  switch (s) {
    case AnswerState::kNone: return "none";
    case AnswerState::kCounted: return "counted";
    case AnswerState::kSuspect: return "suspect";
    case AnswerState::kConfirmed: return "confirmed";
  }
  return "none";
}

AnswerState ParseAnswerState(const std::string& s) {
  if (s == "counted") return AnswerState::kCounted;
  if (s == "suspect") return AnswerState::kSuspect;
  if (s == "confirmed") return AnswerState::kConfirmed;
  return AnswerState::kNone;
}

const char* JobKindName(JobKind k) {
  switch (k) {
    case JobKind::kSurvey: return "survey";
    case JobKind::kActivation: return "activation";
    case JobKind::kReward: return "reward";
    case JobKind::kRewardRelease: return "reward_release";
    case JobKind::kReminder: return "reminder";
    case JobKind::kWebhook: return "webhook";
    case JobKind::kWebhookDisabled: return "webhook_disabled";
    case JobKind::kCouponLeak: return "coupon_leak";
  }
  return "survey";
}

std::optional<JobKind> ParseJobKind(const std::string& s) {
  if (s == "survey") return JobKind::kSurvey;
  if (s == "activation") return JobKind::kActivation;
  if (s == "reward") return JobKind::kReward;
  if (s == "reward_release") return JobKind::kRewardRelease;
  if (s == "reminder") return JobKind::kReminder;
  if (s == "webhook") return JobKind::kWebhook;
  if (s == "webhook_disabled") return JobKind::kWebhookDisabled;
  if (s == "coupon_leak") return JobKind::kCouponLeak;
  return std::nullopt;
}

const char* WebhookKindName(WebhookKind k) { return k == WebhookKind::kSlack ? "slack" : "standard"; }

std::optional<WebhookKind> ParseWebhookKind(std::string_view s) {
  if (s == "standard") return WebhookKind::kStandard;
  if (s == "slack") return WebhookKind::kSlack;
  return std::nullopt;
}

const char* SurveyStatusName(SurveyStatus s) {
  switch (s) {
    case SurveyStatus::kScheduled: return "scheduled";
    case SurveyStatus::kSent: return "sent";
    case SurveyStatus::kFailed: return "failed";
  }
  return "scheduled";
}

std::optional<SurveyStatus> ParseSurveyStatus(std::string_view s) {
  for (SurveyStatus v : {SurveyStatus::kScheduled, SurveyStatus::kSent, SurveyStatus::kFailed}) {
    if (s == SurveyStatusName(v)) return v;
  }
  return std::nullopt;
}

const char* JobStatusName(JobStatus s) {
  switch (s) {
    case JobStatus::kPending: return "pending";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kSkipped: return "skipped";
  }
  return "pending";
}

std::optional<JobStatus> ParseJobStatus(std::string_view s) {
  for (JobStatus v : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed,
                      JobStatus::kSkipped}) {
    if (s == JobStatusName(v)) return v;
  }
  return std::nullopt;
}

const char* RewardStatusName(RewardStatus s) {
  switch (s) {
    case RewardStatus::kHeld: return "held";
    case RewardStatus::kReleased: return "released";
    case RewardStatus::kVoided: return "voided";
    case RewardStatus::kClawedBack: return "clawed_back";
  }
  return "released";
}

std::optional<RewardStatus> ParseRewardStatus(std::string_view s) {
  for (RewardStatus v :
       {RewardStatus::kHeld, RewardStatus::kReleased, RewardStatus::kVoided, RewardStatus::kClawedBack}) {
    if (s == RewardStatusName(v)) return v;
  }
  return std::nullopt;
}

const char* RoleName(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kViewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (Role v : {Role::kAdmin, Role::kViewer}) {
    if (s == RoleName(v)) return v;
  }
  return std::nullopt;
}

const char* FollowupStatusName(FollowupStatus s) {
  switch (s) {
    case FollowupStatus::kOpen: return "open";
    case FollowupStatus::kResolved: return "resolved";
  }
  return "open";
}

std::optional<FollowupStatus> ParseFollowupStatus(std::string_view s) {
  for (FollowupStatus v : {FollowupStatus::kOpen, FollowupStatus::kResolved}) {
    if (s == FollowupStatusName(v)) return v;
  }
  return std::nullopt;
}

}  // namespace vouch::store
