#pragma once
// The follow-up of a detractor's answer: who owns it, a note, open or resolved; and the filters
// the answers feed and its exports take. Plain records; time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "store/records/audiences.h"
#include "store/records/id.h"

namespace vouch::store {

// Stored as "open" and "resolved". A detractor's answer without a stored follow-up is open.
enum class FollowupStatus { kOpen, kResolved };
const char* FollowupStatusName(FollowupStatus s);
std::optional<FollowupStatus> ParseFollowupStatus(std::string_view s);

struct Followup {
  Id survey_id = 0;  // the answer's survey; one follow-up per answer
  Id shop_id = 0;
  std::optional<std::string> owner;
  std::optional<std::string> note;
  FollowupStatus status = FollowupStatus::kOpen;
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> resolved_at;
};

// Detractors' follow-ups among the answers given in a range: how many are open (stored or not)
// and resolved, and how long each resolved one took from the answer to its resolution.
struct FollowupCounts {
  int64_t open = 0;
  int64_t resolved = 0;
  std::vector<int64_t> resolve_millis;
};

// Which answers a feed or an export lists: answered in [from, to), score in [min_score,
// max_score], the comment containing `text` (case-insensitive, taken literally: % and _ are no
// wildcards; empty for any), and, when `followup` is set, only detractors whose follow-up is in
// that state.
struct ResponseFilter {
  Instant from{};
  Instant to{};
  int min_score = 0;
  int max_score = 10;
  std::string text;
  std::optional<FollowupStatus> followup;
  std::optional<std::string> segment;   // the survey's product category (as NPS segments)
  std::optional<AudienceCut> audience;  // only surveys in the audience (issue 16)
};

}  // namespace vouch::store
