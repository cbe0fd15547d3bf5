#include "app/outbox.h"

#include <algorithm>

namespace vouch::app {

Result<std::vector<store::Job>> Outbox::Claim(Instant now, Millis lease, int batch) {
  return store_.Write<std::vector<store::Job>>(
      [&](store::Tx& tx) { return tx.ClaimJobs(now, lease, batch); });
}

Result<std::optional<Instant>> Outbox::NextDue() {
  return store_.Read<std::optional<Instant>>([](store::Tx& tx) { return tx.NextJobDue(); });
}

Status Outbox::Finish(const store::Job& job, const std::string& status, const std::string& reason, Instant now) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.FinishJob(job.id, status, reason, now); });
}

Status Outbox::Retry(const store::Job& job, Instant run_at, const std::string& reason) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.RetryJob(job.id, run_at, reason); });
}

Status Outbox::RecordSent(const store::Job& job, Instant now) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    VOUCH_TRY(tx.FinishJob(job.id, "done", "", now));
    if (job.kind == store::JobKind::kSurvey) VOUCH_TRY(tx.MarkSurveySent(job.ref_id, now));
    return OkStatus();
  });
}

Status Outbox::RecordRefused(const store::Job& job, const std::string& reason, Instant now) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    VOUCH_TRY(tx.FinishJob(job.id, "failed", reason, now));
    if (job.kind == store::JobKind::kSurvey) VOUCH_TRY(tx.MarkSurveyFailed(job.ref_id));
    return OkStatus();
  });
}

Result<std::vector<store::Job>> Outbox::List(store::Id shop, const std::string& status, int limit) {
  return ListAll(shop, status, std::clamp(limit, 1, 1000));
}

Result<std::vector<store::Job>> Outbox::ListAll(store::Id shop, const std::string& status, int limit) {
  return store_.Read<std::vector<store::Job>>([&](store::Tx& tx) { return tx.ListJobs(shop, status, limit); });
}

Result<store::JobCounts> Outbox::Counts(store::Id shop) {
  return store_.Read<store::JobCounts>([&](store::Tx& tx) { return tx.CountJobs(shop); });
}

}  // namespace vouch::app
