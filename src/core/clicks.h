#pragma once
// Telling people from mail security scanners on one-click answer links.
//
// Scanners fetch links before (or instead of) the recipient: some send HEAD, some announce
// themselves in the User-Agent, and some open every link of a message within a second. The method
// (see docs/answer-links.md):
//   1. HEAD/OPTIONS and known scanner agents are never recorded (the page is still served).
//   2. Any other GET is recorded at once and counts, so a real one-click answer is never lost —
//      unless it is suspect: no User-Agent at all, within a few seconds of the mail being accepted,
//      or part of a burst (a click on a different score of the same survey within the burst
//      window). A burst makes every click in it suspect, including the one counted before it.
//   3. A suspect answer is kept but not counted until a person confirms it with a button on the
//      page (a form POST, which scanners do not send). The page's script also confirms a counted
//      answer from the browser, which upgrades it to "confirmed".
//   4. A promoter's activation mail waits out the burst window, so a burst that began on a 9 or
//      10 does not send a code to someone who never answered.
#include <optional>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace vouch::core {

inline constexpr Millis kBurstWindow{10'000};
inline constexpr Millis kTooSoonAfterSend{2'000};

struct PriorClick {
  Instant at;
  int score;
};

struct ClickContext {
  std::string_view method;  // "GET", "HEAD", ...
  std::string_view user_agent;
  Instant at;
  std::optional<Instant> sent_at;         // when the mail server accepted the survey
  std::vector<PriorClick> recent_clicks;  // this survey's recorded clicks, any order
  int score = 0;
};

enum class ClickVerdict {
  kIgnore,   // not a person: serve the page, record nothing
  kCount,    // record and count
  kSuspect,  // record, do not count until confirmed on the page
  kConfirm,  // a person confirmed the answer on the page (recorded; JudgeClick never returns it)
};
// "ignore", "count", "suspect", "confirm": the names stored with each recorded click.
const char* ClickVerdictName(ClickVerdict v);
std::optional<ClickVerdict> ParseClickVerdict(std::string_view s);

ClickVerdict JudgeClick(const ClickContext& click);
// Whether the User-Agent names a link scanner, previewer or HTTP library.
bool IsKnownScannerAgent(std::string_view user_agent);
// Whether `click` lands within the burst window of a click on a different score.
bool IsBurst(const std::vector<PriorClick>& prior, Instant at, int score);

}  // namespace vouch::core
