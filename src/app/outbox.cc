#include "app/outbox.h"

#include <algorithm>
#include <chrono>

#include "base/crypto.h"

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
  Status s = store_.Write<Ok>([&](store::Tx& tx) { return tx.jobs().Finish(job.id, status, reason, now); });
  if (s.ok() && status == store::JobStatus::kFailed) CountsOf(job.channel).failed.Add();
  return s;
}

Status Outbox::Retry(const store::Job& job, Instant run_at, const std::string& reason) {
  Status s = store_.Write<Ok>([&](store::Tx& tx) { return tx.jobs().Retry(job.id, run_at, reason); });
  if (s.ok()) CountsOf(job.channel).retried.Add();
  return s;
}

Result<std::optional<Instant>> Outbox::TakeSendQuota(const store::Job& job, Instant now) {
  auto shop = store_.ReadOne<std::optional<store::Shop>>(
      [&](store::ReadTx& tx) { return tx.shops().Get(job.shop_id); });
  if (!shop) return shop.error();
  const int64_t quota = shop->has_value() ? (*shop)->settings.messages_per_hour : 0;
  if (quota <= 0) return std::optional<Instant>{};
  const int64_t hour = ToUnixMillis(now) / 3'600'000;
  auto taken =
      store_.Write<bool>([&](store::Tx& tx) { return tx.jobs().TakeSendQuota(job.shop_id, hour, quota); });
  if (!taken) return taken.error();
  if (*taken) return std::optional<Instant>{};
  return std::optional<Instant>{FromUnixMillis((hour + 1) * 3'600'000) +
                                std::chrono::seconds{RandomBelow(60)}};
}

Status Outbox::Defer(const store::Job& job, Instant run_at, const std::string& note) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.jobs().Defer(job.id, run_at, note); });
}

Result<std::vector<store::JobTally>> Outbox::Tally() {
  return store_.ReadOne<std::vector<store::JobTally>>([](store::ReadTx& tx) { return tx.jobs().Tally(); });
}

namespace {

// The job is done; a survey is marked sent and gets its reminder when the shop wants one.
Status RecordSentInTx(store::Tx& tx, const store::Job& job, Instant now) {
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
}

}  // namespace

Status Outbox::RecordSent(const store::Job& job, Instant now) {
  CountsOf(job.channel).sent.Add();  // sent whether or not the outcome is recorded
  return store_.Write<Ok>([&](store::Tx& tx) { return RecordSentInTx(tx, job, now); });
}

void Outbox::RecordSentAsync(const store::Job& job, Instant now, std::function<void(Status)> done) {
  CountsOf(job.channel).sent.Add();
  store_.WriteAsync([job, now](store::Tx& tx) { return RecordSentInTx(tx, job, now); }, std::move(done));
}

Status Outbox::Defer(const store::Job& job, Instant until) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    return tx.sms().Defer(job.id, until, "quiet hours until " + FormatRfc3339(until));
  });
}

Status Outbox::RecordRefused(const store::Job& job, const std::string& reason, Instant now) {
  CountsOf(job.channel).failed.Add();
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
