#include "app/answer_steps.h"

#include "base/utf8.h"
#include "core/nps.h"

namespace vouch::app::answer_steps {
namespace {

constexpr Millis kChangeWindow{std::chrono::days{7}};

}  // namespace

bool IsPromoter(const store::Survey& s) {
  return s.score && IsCounted(s.answer_state) &&
         core::Classify(core::Score{*s.score}) == core::NpsCategory::kPromoter;
}

bool IsLocked(const store::Survey& s, Instant now) {
  return s.answered_at && now - *s.answered_at > kChangeWindow;
}

AnswerStep DecideAnswer(const store::Survey& before, const std::vector<store::Click>& recent, int score,
                        std::string_view method, std::string_view user_agent, bool confirmed, Instant now) {
  AnswerStep step;
  if (IsLocked(before, now)) {
    step.kind = AnswerStep::Kind::kLocked;
    return step;
  }
  if (!confirmed) {
    core::ClickContext ctx;
    ctx.method = method;
    ctx.user_agent = user_agent;
    ctx.at = now;
    ctx.sent_at = before.sent_at;
    ctx.score = score;
    for (const auto& c : recent) {
      if (c.verdict != core::ClickVerdict::kIgnore) ctx.recent_clicks.push_back({c.at, c.score});
    }
    step.verdict = core::JudgeClick(ctx);
    if (step.verdict == core::ClickVerdict::kIgnore) {
      step.kind = AnswerStep::Kind::kIgnored;
      return step;
    }
  }
  step.click = store::Click{before.id, now, score, confirmed ? core::ClickVerdict::kConfirm : step.verdict,
                            RepairUtf8(user_agent, 300)};  // stored: valid UTF-8 only
  store::Survey& after = step.after;
  after = before;
  after.score = score;
  if (!after.answered_at) after.answered_at = now;
  after.updated_at = now;
  // A burst also withdraws the answer counted just before it, unless a person confirmed it.
  const bool stays_confirmed = before.answer_state == store::AnswerState::kConfirmed && before.score == score;
  if (confirmed) {
    after.answer_state = store::AnswerState::kConfirmed;
  } else if (stays_confirmed) {
    after.answer_state = store::AnswerState::kConfirmed;
  } else {
    after.answer_state = step.verdict == core::ClickVerdict::kSuspect ? store::AnswerState::kSuspect
                                                                      : store::AnswerState::kCounted;
  }
  return step;
}

}  // namespace vouch::app::answer_steps
