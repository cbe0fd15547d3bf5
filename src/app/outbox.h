#pragma once
// Outbox: the job queue as its users see it. The workers claim due jobs under a lease and record
// each one's outcome; the API lists a shop's jobs. (The jobs themselves are queued by the use
// cases whose facts cause them, in the same transaction: ingest, answers, referrals.)
// Thread-safe; every method blocks on the store and returns its errors.
#include <array>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/result.h"
#include "base/time.h"
#include "core/channel.h"
#include "store/store.h"

namespace vouch::app {

class Outbox {
 public:
  explicit Outbox(store::Store& store) : store_(store) {}

  // Up to `batch` jobs due at `now`, each leased until now + lease. First, in the same
  // transaction, a job whose lease ran out after `max_claims` claims fails for good (and its
  // survey with it): whatever it does kills or stalls the workers that take it.
  Result<std::vector<store::Job>> Claim(Instant now, Millis lease, int batch, int max_claims);
  // When the next pending job is due, if any.
  Result<std::optional<Instant>> NextDue();

  // Outcomes. `status` of Finish: done, failed or skipped, with the reason (may be empty).
  Status Finish(const store::Job& job, store::JobStatus status, const std::string& reason, Instant now);
  Status Retry(const store::Job& job, Instant run_at, const std::string& reason);
  // The shop's sending quota (settings.messages_per_hour, per UTC clock hour, shared by every
  // node): nullopt when `job` may send now (one message counted), else when to try again (the
  // next hour, plus up to a minute so the waiting jobs do not all wake at once).
  Result<std::optional<Instant>> TakeSendQuota(const store::Job& job, Instant now);
  // Back to pending until `run_at` without spending one of its attempts (a quota wait).
  Status Defer(const store::Job& job, Instant run_at, const std::string& note);
  // The message was accepted: the job is done (and a survey marked sent).
  Status RecordSent(const store::Job& job, Instant now);
  // As RecordSent without waiting: `done` runs on the store's writer once the record is durable
  // (or with the error that rolled it back), so a worker sends its next message meanwhile and
  // the writer commits several workers' records at once.
  void RecordSentAsync(const store::Job& job, Instant now, std::function<void(Status)> done);
  // Puts the job back until `until` without counting this claim as an attempt (quiet hours).
  Status Defer(const store::Job& job, Instant until);
  // The message was refused for good: the job failed (and a survey is marked failed).
  Status RecordRefused(const store::Job& job, const std::string& reason, Instant now);

  // A shop's jobs with `status` (nullopt for all), newest first; `limit` clamped to 1..1000.
  Result<std::vector<store::Job>> List(store::Id shop, std::optional<store::JobStatus> status, int limit);
  // As List, without the cap (for tools such as the load harness's link list).
  Result<std::vector<store::Job>> ListAll(store::Id shop, std::optional<store::JobStatus> status, int limit);
  Result<store::JobCounts> Counts(store::Id shop);
  // Every shop's jobs by kind and status (/metrics).
  Result<std::vector<store::JobTally>> Tally();

  // Messages this node's workers sent, had refused for good (or gave up on) and put back for a
  // retry, per channel, since start (/metrics). Relaxed atomics: cheap on the send path.
  struct ChannelCounts {
    Counter sent, failed, retried;
  };
  const ChannelCounts& Sent(core::Channel c) const { return counts_[static_cast<size_t>(c)]; }

 private:
  ChannelCounts& CountsOf(core::Channel c) { return counts_[static_cast<size_t>(c)]; }
  store::Store& store_;
  std::array<ChannelCounts, std::size(core::kAllChannels)> counts_{};
};

}  // namespace vouch::app
