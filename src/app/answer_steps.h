#pragma once
// The pure steps Answers shares between single answers (app/answers.cc) and the click set
// (app/click_set.cc): the change window, rollup moves, and what one click or confirmation does to
// its survey. Internal to app; no I/O, thread-safe.
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "core/clicks.h"
#include "store/records.h"

namespace vouch::app::answer_steps {

bool IsPromoter(const store::Survey& s);
// An answer can be changed for a week after it was first given.
bool IsLocked(const store::Survey& s, Instant now);

// The rollup changes that move the survey's contribution from `before` to `after`:
// fn(day, segment, score, delta).
template <class F>
Status ForRollupMoves(const store::Survey& before, const store::Survey& after, F&& fn) {
  const bool was = before.score && IsCounted(before.answer_state);
  const bool is = after.score && IsCounted(after.answer_state);
  const int64_t day = DayNumber(*after.answered_at);
  if (was && is && *before.score == *after.score) return OkStatus();
  if (was) VOUCH_TRY(fn(day, after.segment, *before.score, -1));
  if (is) VOUCH_TRY(fn(day, after.segment, *after.score, +1));
  return OkStatus();
}

// What one click or confirmation does to its survey, from the survey and, for a click, the
// clicks on it in the burst window before `now`.
struct AnswerStep {
  enum class Kind { kLocked, kIgnored, kWrite } kind = Kind::kWrite;
  core::ClickVerdict verdict = core::ClickVerdict::kCount;
  store::Click click;   // kWrite: the click to log
  store::Survey after;  // kWrite: the survey to save
};

AnswerStep DecideAnswer(const store::Survey& before, const std::vector<store::Click>& recent, int score,
                        std::string_view method, std::string_view user_agent, bool confirmed, Instant now);

}  // namespace vouch::app::answer_steps
