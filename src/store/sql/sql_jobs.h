#pragma once
// store::Jobs in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/jobs.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlJobs final : public Jobs, SqlRepo {
 public:
  explicit SqlJobs(Connection& c) : SqlRepo(c) {}
  // CountMarketingSent's statement (?1 shop, ?2 customer, ?3 since, in ms): tests check its plan.
  static const char* const kCountMarketingSentSql;
  Result<std::optional<Job>> Find(JobKind kind, Id ref, core::Channel channel) override;
  Result<std::vector<Job>> List(Id shop, std::optional<JobStatus> status, int limit) override;
  Result<JobCounts> Count(Id shop) override;
  Result<std::optional<Instant>> NextDue() override;
  Result<int64_t> CountMarketingSent(Id shop, Id customer, Instant since) override;
  Result<std::vector<JobTally>> Tally() override;
  Status Defer(Id job, Instant run_at, const std::string& note) override;
  Result<bool> TakeSendQuota(Id shop, int64_t hour, int64_t quota) override;
  Result<bool> Enqueue(Id shop, JobKind kind, Id ref, core::Channel channel, Instant run_at) override;
  Result<int64_t> EnqueueMany(Id shop, JobKind kind, core::Channel channel,
                              const std::vector<std::pair<Id, Instant>>& jobs) override;
  Status Reschedule(JobKind kind, Id ref, core::Channel channel, Instant run_at) override;
  Result<std::vector<Job>> Claim(Instant now, Millis lease, int limit) override;
  Result<std::vector<Job>> FailAbandoned(Instant now, int max_claims, const std::string& reason) override;
  Status Finish(Id job, JobStatus status, const std::string& note, Instant at) override;
  Status Retry(Id job, Instant run_at, const std::string& error) override;
};

}  // namespace vouch::store::sql
