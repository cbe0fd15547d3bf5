#pragma once
// The jobs repository: the durable job queue (outbox), written in the same transaction as the
// facts that cause its messages. One job per (kind, ref, channel): one cause may owe one message
// per channel. Obtained from a transaction (ReadTx::jobs(), Tx::jobs()); not thread-safe, valid
// only inside the function the transaction was handed to. Errors: kUnavailable for a database
// fault.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "base/result.h"
#include "core/channel.h"
#include "store/records/jobs.h"

namespace vouch::store {

class JobReads {
 public:
  virtual ~JobReads() = default;
  virtual Result<std::optional<Job>> Find(JobKind kind, Id ref, core::Channel channel) = 0;
  // The shop's newest jobs first; all statuses when `status` is nullopt.
  virtual Result<std::vector<Job>> List(Id shop, std::optional<JobStatus> status, int limit) = 0;
  virtual Result<JobCounts> Count(Id shop) = 0;
  // Every shop's jobs counted by kind and status (one GROUP BY over the table).
  virtual Result<std::vector<JobTally>> Tally() = 0;
  virtual Result<std::optional<Instant>> NextDue() = 0;
  // The marketing messages (survey and activation jobs, any channel) sent to `customer` of
  // `shop` at or after `since`: the message budget's count (core/budget.h).
  virtual Result<int64_t> CountMarketingSent(Id shop, Id customer, Instant since) = 0;
};

class Jobs : public JobReads {
 public:
  // Enqueue is idempotent per (kind, ref, channel): a second call is a no-op that returns false.
  virtual Result<bool> Enqueue(Id shop, JobKind kind, Id ref, core::Channel channel, Instant run_at) = 0;
  // Enqueue for each (ref, run_at); returns how many were new. Set form for ingest (one statement
  // on PostgreSQL, chunks of up to 256 rows on SQLite).
  virtual Result<int64_t> EnqueueMany(Id shop, JobKind kind, core::Channel channel,
                                      const std::vector<std::pair<Id, Instant>>& jobs) = 0;
  virtual Status Reschedule(JobKind kind, Id ref, core::Channel channel, Instant run_at) = 0;  // pending only
  // Claims up to `limit` due jobs (pending with run_at <= now, or running with an expired lease),
  // leasing them until now + lease.
  virtual Result<std::vector<Job>> Claim(Instant now, Millis lease, int limit) = 0;
  // Fails for good, with `reason`, the running jobs whose lease has run out and that have been
  // claimed `max_claims` times or more (a job that kills or stalls every worker taking it), and
  // returns them. Run before Claim, in the same transaction.
  virtual Result<std::vector<Job>> FailAbandoned(Instant now, int max_claims, const std::string& reason) = 0;
  virtual Status Finish(Id job, JobStatus status, const std::string& note, Instant at) = 0;
  virtual Status Retry(Id job, Instant run_at, const std::string& error) = 0;
  // Back to pending until `run_at` without spending an attempt (the claim's is given back).
  virtual Status Defer(Id job, Instant run_at, const std::string& note) = 0;
  // Counts one message against the shop's quota for `hour` (Unix hours): false, counting
  // nothing, when `quota` were sent that hour already. Forgets the shop's earlier hours.
  virtual Result<bool> TakeSendQuota(Id shop, int64_t hour, int64_t quota) = 0;
};

}  // namespace vouch::store
