#include "store/store.h"

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
  }
  return "survey";
}

std::optional<JobKind> ParseJobKind(const std::string& s) {
  if (s == "survey") return JobKind::kSurvey;
  if (s == "activation") return JobKind::kActivation;
  if (s == "reward") return JobKind::kReward;
  return std::nullopt;
}

}  // namespace vouch::store
