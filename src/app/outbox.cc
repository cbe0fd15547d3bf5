#include "app/outbox.h"

#include <algorithm>

namespace vouch::app {

Result<std::vector<store::Job>> Outbox::Claim(Instant now, Millis lease, int batch, int max_claims) {
  const std::string reason = "abandoned: its lease ran out " + std::to_string(max_claims) +
                             " times (the workers that took it stalled or crashed)";
  return store_.Write<std::vector<store::Job>>([&](store::Tx& tx) -> Result<std::vector<store::Job>> {
    auto abandoned = tx.jobs().FailAbandoned(now, max_claims, reason);
    if (!abandoned) return abandoned.error();
    for (const store::Job& job : *abandoned) {
      if (job.kind == store::JobKind::kSurvey) VOUCH_TRY(tx.surveys().MarkFailed(job.ref_id));
    }
    return tx.jobs().Claim(now, lease, batch);
  });
}

Result<std::optional<Instant>> Outbox::NextDue() {
  return store_.Read<std::optional<Instant>>([](store::ReadTx& tx) { return tx.jobs().NextDue(); });
}

Status Outbox::Finish(const store::Job& job, store::JobStatus status, const std::string& reason,
                      Instant now) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.jobs().Finish(job.id, status, reason, now); });
}

Status Outbox::Retry(const store::Job& job, Instant run_at, const std::string& reason) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.jobs().Retry(job.id, run_at, reason); });
}

Status Outbox::RecordSent(const store::Job& job, Instant now) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    VOUCH_TRY(tx.jobs().Finish(job.id, store::JobStatus::kDone, "", now));
    if (job.kind != store::JobKind::kSurvey) return OkStatus();
    VOUCH_TRY(tx.surveys().MarkSent(job.ref_id, now));
    // The survey's one reminder, on the same channel, when the shop wants one. A job is unique
    // per (kind, survey, channel), so a survey message sent again (a crash after the mail server
    // took it) queues no second reminder. Whether it still goes out is decided when it is due.
    auto shop = tx.shops().Get(job.shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value() || (*shop)->settings.reminder_after_seconds <= 0) return OkStatus();
    const Instant due = now + std::chrono::seconds((*shop)->settings.reminder_after_seconds);
    auto queued = tx.jobs().Enqueue(job.shop_id, store::JobKind::kReminder, job.ref_id, job.channel, due);
    if (!queued) return queued.error();
    return OkStatus();
  });
}

Status Outbox::Defer(const store::Job& job, Instant until) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    return tx.sms().Defer(job.id, until, "quiet hours until " + FormatRfc3339(until));
  });
}

Status Outbox::RecordRefused(const store::Job& job, const std::string& reason, Instant now) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    VOUCH_TRY(tx.jobs().Finish(job.id, store::JobStatus::kFailed, reason, now));
    if (job.kind == store::JobKind::kSurvey) VOUCH_TRY(tx.surveys().MarkFailed(job.ref_id));
    return OkStatus();
  });
}

Result<std::vector<store::Job>> Outbox::List(store::Id shop, std::optional<store::JobStatus> status,
                                             int limit) {
  return ListAll(shop, status, std::clamp(limit, 1, 1000));
}

Result<std::vector<store::Job>> Outbox::ListAll(store::Id shop, std::optional<store::JobStatus> status,
                                                int limit) {
  return store_.Read<std::vector<store::Job>>(
      [&](store::ReadTx& tx) { return tx.jobs().List(shop, status, limit); });
}

Result<store::JobCounts> Outbox::Counts(store::Id shop) {
  return store_.Read<store::JobCounts>([&](store::ReadTx& tx) { return tx.jobs().Count(shop); });
}

}  // namespace vouch::app
