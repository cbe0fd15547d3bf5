#pragma once
// Follow-ups: the people who run the program own a detractor's answer, note what they did and
// resolve it (issue 15's Responses page). One follow-up per answer, stored on the first change; a
// detractor's answer without one is open. Thread-safe; every method blocks on the store.
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

inline constexpr size_t kMaxFollowupOwner = 200;  // bytes
inline constexpr size_t kMaxFollowupNote = 4000;  // bytes

// What a change sets; an absent field keeps its value, an empty owner or note clears it.
// `{}` lets designated initializers skip fields without -Wmissing-field-initializers.
struct FollowupPatch {
  std::optional<std::string> owner{};
  std::optional<std::string> note{};
  std::optional<bool> resolved{};
};

struct FollowupSummary {
  int64_t open = 0;
  int64_t resolved = 0;
  std::optional<double> median_hours_to_resolve;  // none when nothing was resolved
};

// The follow-up a detractor's answer shows: the stored one, else an open one without owner,
// note or times.
store::Followup FollowupOrOpen(const std::optional<store::Followup>& stored, store::Id shop,
                               store::Id survey);

class Followups {
 public:
  Followups(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Applies `patch` to the follow-up of the shop's survey `survey` and returns it. Resolving
  // stamps resolved_at (kept when it was already resolved); reopening clears it.
  // Errors: kInvalidArgument "owner"/"note" over kMaxFollowupOwner/kMaxFollowupNote bytes or with
  // control characters (a note may hold line breaks), "body" for a patch that changes nothing;
  // kNotFound "survey_id" when the shop has no answered survey with this id (another shop's
  // included); kFailedPrecondition "survey_id" when the answer is not a detractor's (score 0-6);
  // store errors.
  Result<store::Followup> Update(store::Id shop, store::Id survey, const FollowupPatch& patch);

  // Open and resolved detractors among the answers given in [from, to), and the median time from
  // answer to resolution. kInvalidArgument "to" unless from < to.
  Result<FollowupSummary> Summary(store::Id shop, Instant from, Instant to);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace vouch::app
