#include "jobs/worker.h"

#include <algorithm>

#include "base/log.h"

namespace vouch::jobs {

Worker::Worker(app::App& app, MailerFactory mailers, WorkerOptions options)
    : app_(app), mailers_(std::move(mailers)), options_(options) {}

Worker::~Worker() { Stop(); }

Millis Worker::Backoff(int attempts, const WorkerOptions& o) {
  Millis d = o.retry_base;
  for (int i = 1; i < attempts && d < o.retry_max; ++i) d *= 2;
  return std::min(d, o.retry_max);
}

int Worker::RunOnce(delivery::Mailer& mailer) {
  const Instant now = app_.clock().Now();
  auto claimed = app_.outbox().Claim(now, options_.lease, options_.batch);
  if (!claimed) {
    Log(LogLevel::kWarn, "jobs.claim_failed", {{"error", claimed.error().message}});
    return 0;
  }
  // Another node may claim these jobs once the lease runs out; stop starting sends a quarter of
  // the lease before that (a send in flight may take a while), so a slow mail server never makes
  // two nodes send the same message. The jobs left over return to the queue with the lease.
  const Instant stop_at = now + options_.lease - options_.lease / 4;
  if (!claimed->empty() && LogEnabled(LogLevel::kDebug)) {
    std::string ids;
    for (const auto& job : *claimed) ids += (ids.empty() ? "" : ",") + std::to_string(job.id);
    Log(LogLevel::kDebug, "jobs.claimed",
        {{"jobs", ids}, {"lease_until_ms", std::to_string(ToUnixMillis(now + options_.lease))}});
  }
  size_t handled = 0;
  for (const auto& job : *claimed) {
    if (app_.clock().Now() >= stop_at) {
      Log(LogLevel::kWarn, "jobs.lease_running_out",
          {{"left", std::to_string(claimed->size() - handled)}, {"lease_ms", std::to_string(options_.lease.count())}});
      break;
    }
    Handle(job, mailer);
    ++handled;
  }
  return static_cast<int>(claimed->size());
}

void Worker::Handle(const store::Job& job, delivery::Mailer& mailer) {
  const std::string kind = store::JobKindName(job.kind);
  auto record = [&](const Status& s) {
    // If this fails the lease runs out and the job is tried again: nothing is lost.
    if (!s) Log(LogLevel::kError, "jobs.record_failed", {{"job", std::to_string(job.id)}, {"error", s.error().message}});
  };
  auto message = app_.messages().Build(job);
  if (!message) {
    Log(LogLevel::kWarn, "jobs.build_failed", {{"job", std::to_string(job.id)}, {"error", message.error().message}});
    const Instant now = app_.clock().Now();
    if (job.attempts >= options_.max_attempts) {
      record(app_.outbox().Finish(job, "failed", message.error().message, now));
    } else {
      record(app_.outbox().Retry(job, now + Backoff(job.attempts, options_), message.error().message));
    }
    return;
  }
  if (!message->mail) {
    record(app_.outbox().Finish(job, "skipped", message->skip_reason, app_.clock().Now()));
    Log(LogLevel::kInfo, "jobs.skipped", {{"job", std::to_string(job.id)}, {"kind", kind}, {"reason", message->skip_reason}});
    return;
  }
  const delivery::SendResult sent = mailer.Send(*message->mail);
  const Instant now = app_.clock().Now();
  switch (sent.outcome) {
    case delivery::SendOutcome::kSent:
      record(app_.outbox().RecordSent(job, now));
      Log(LogLevel::kInfo, "jobs.sent", {{"job", std::to_string(job.id)}, {"kind", kind}, {"message_id", message->mail->message_id}});
      break;
    case delivery::SendOutcome::kTransient:
      if (job.attempts >= options_.max_attempts) {
        record(app_.outbox().Finish(job, "failed", sent.detail, now));
      } else {
        record(app_.outbox().Retry(job, now + Backoff(job.attempts, options_), sent.detail));
      }
      Log(LogLevel::kWarn, "jobs.retry", {{"job", std::to_string(job.id)}, {"kind", kind}, {"error", sent.detail}});
      break;
    case delivery::SendOutcome::kPermanent:
      record(app_.outbox().RecordRefused(job, sent.detail, now));
      Log(LogLevel::kWarn, "jobs.failed", {{"job", std::to_string(job.id)}, {"kind", kind}, {"error", sent.detail}});
      break;
  }
}

void Worker::Start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { Loop(); });
}

void Worker::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

void Worker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Worker::Loop() {
  auto mailer = mailers_();
  while (true) {
    uint64_t seen;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakes_;
    }
    if (RunOnce(*mailer) > 0) continue;
    // Sleep until the next job is due (bounded), or until woken.
    Millis wait = options_.idle_poll;
    auto next = app_.outbox().NextDue();
    if (next && next->has_value()) {
      wait = std::clamp(std::chrono::duration_cast<Millis>(**next - app_.clock().Now()), Millis{5},
                        options_.idle_poll);
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, wait, [&] { return stopping_ || wakes_ != seen; });
  }
}

}  // namespace vouch::jobs
