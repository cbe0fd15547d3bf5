#pragma once
// The follow-ups repository: detractors' answers someone owns, notes and resolves. One row per
// survey, scoped by shop. Obtained from a transaction (ReadTx::followups(), Tx::followups()); not
// thread-safe, valid only inside the function the transaction was handed to. Errors: kUnavailable
// for a database fault.
#include <optional>

#include "base/result.h"
#include "base/time.h"
#include "store/records/followups.h"

namespace vouch::store {

class FollowupReads {
 public:
  virtual ~FollowupReads() = default;
  // The follow-up stored for the shop's survey, if any.
  virtual Result<std::optional<Followup>> Find(Id shop, Id survey) = 0;
  // Over the detractors' answers (score 0-6, listed in the feed) given in [from, to).
  virtual Result<FollowupCounts> Counts(Id shop, Instant from, Instant to) = 0;
};

class Followups : public FollowupReads {
 public:
  // Inserts the follow-up or replaces the stored one's owner, note, status, updated_at and
  // resolved_at (its created_at stays). The caller has checked the survey is the shop's.
  virtual Status Upsert(const Followup& f) = 0;
};

}  // namespace vouch::store
