#include "jobs/worker.h"

#include <algorithm>

#include "base/log.h"

namespace vouch::jobs {

Worker::Worker(app::App& app, SendersFactory senders, WorkerOptions options)
    : app_(app), senders_(std::move(senders)), options_(options) {}

Worker::~Worker() { Stop(); }

Millis Worker::Backoff(int attempts, const WorkerOptions& o) {
  Millis d = o.retry_base;
  for (int i = 1; i < attempts && d < o.retry_max; ++i) d *= 2;
  return std::min(d, o.retry_max);
}

int Worker::RunOnce(delivery::Mailer& mailer) {
  delivery::Senders senders;
  senders.Set(delivery::MakeEmailSender(mailer));
  return RunOnce(senders);
}

int Worker::RunOnce(delivery::Senders& senders) {
  const Instant now = app_.clock().Now();
  auto claimed = app_.outbox().Claim(now, options_.lease, options_.batch, options_.max_claims);
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
  InFlight in_flight;
  for (const auto& job : *claimed) {
    if (app_.clock().Now() >= stop_at) {
      Log(LogLevel::kWarn, "jobs.lease_running_out",
          {{"left", std::to_string(claimed->size() - handled)},
           {"lease_ms", std::to_string(options_.lease.count())}});
      break;
    }
    Handle(job, senders, in_flight);
    ++handled;
  }
  in_flight.Wait();
  return static_cast<int>(claimed->size());
}

void Worker::InFlight::Add(store::Id customer) {
  std::lock_guard lock(mu_);
  customers_.insert(customer);
  touched_.insert(customer);
}

void Worker::InFlight::Done(store::Id customer) {
  // Notified under the lock: once Wait sees none left it may return and destroy this object.
  std::lock_guard lock(mu_);
  customers_.erase(customers_.find(customer));
  cv_.notify_all();
}

bool Worker::InFlight::Touched(store::Id customer) {
  std::lock_guard lock(mu_);
  return touched_.contains(customer);
}

void Worker::InFlight::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return customers_.empty(); });
}

void Worker::Handle(const store::Job& job, delivery::Senders& senders, InFlight& in_flight) {
  const std::string kind = store::JobKindName(job.kind);
  // A held reward's hold ended: release it (its mail is a job of its own). Sends nothing.
  if (job.kind == store::JobKind::kRewardRelease) {
    auto released = app_.rewards().Release(job);
    if (!released) {
      RetryOrFail(job, released.error().message, app_.clock().Now());
      return;
    }
    Log(LogLevel::kInfo, released->empty() ? "jobs.reward_released" : "jobs.skipped",
        {{"job", std::to_string(job.id)}, {"kind", kind}, {"reason", *released}});
    return;
  }
  // A webhook: posted over HTTP, its outcome recorded by app::Webhooks (backoff for 24 hours).
  if (job.kind == store::JobKind::kWebhook) {
    app_.webhooks().Run(job);
    return;
  }
  // Nothing on this node can send on the job's channel: fail it now rather than retry for ever.
  if (senders.For(job.channel) == nullptr) {
    Record(job, {delivery::SendOutcome::kPermanent, delivery::NoSenderReason(job.channel)}, "", 0, in_flight);
    return;
  }
  auto message = app_.messages().Build(job);
  // This round sent the customer a message whose record may have landed after the build read the
  // store: build again once it has, so the message budget counts it (rare: one customer twice
  // in a batch).
  if (message && message->message && app::IsMarketing(job.kind) && in_flight.Touched(message->customer_id)) {
    in_flight.Wait();
    message = app_.messages().Build(job);
  }
  if (!message) {
    Log(LogLevel::kWarn, "jobs.build_failed",
        {{"job", std::to_string(job.id)}, {"error", message.error().message}});
    const Instant now = app_.clock().Now();
    // A template that does not parse or would render too much stays so: fail at once.
    if (message.error().code == Code::kInvalidArgument) {
      const std::string reason = message.error().field + ": " + message.error().message;
      Check(job, app_.outbox().RecordRefused(job, reason, now));
    } else {
      RetryOrFail(job, message.error().message, now);
    }
    return;
  }
  if (message->defer_until) {
    Check(job, app_.outbox().Defer(job, *message->defer_until));
    Log(LogLevel::kInfo, "jobs.deferred",
        {{"job", std::to_string(job.id)}, {"kind", kind}, {"until", FormatRfc3339(*message->defer_until)}});
    return;
  }
  if (!message->message) {
    Check(job,
          app_.outbox().Finish(job, store::JobStatus::kSkipped, message->skip_reason, app_.clock().Now()));
    Log(LogLevel::kInfo, "jobs.skipped",
        {{"job", std::to_string(job.id)}, {"kind", kind}, {"reason", message->skip_reason}});
    return;
  }
  // The shop's hourly quota (settings.messages_per_hour): over it, the message waits, never lost.
  auto wait = app_.outbox().TakeSendQuota(job, app_.clock().Now());
  if (!wait) {
    RetryOrFail(job, wait.error().message, app_.clock().Now());
    return;
  }
  if (*wait) {
    Check(job, app_.outbox().Defer(job, **wait, "waiting for the shop's hourly message quota"));
    Log(LogLevel::kInfo, "jobs.deferred",
        {{"job", std::to_string(job.id)}, {"kind", kind}, {"until", FormatRfc3339(**wait)}});
    return;
  }
  // Built for the job's channel (Messages::Build), so that channel's sender takes it.
  const delivery::SendResult sent = senders.Send(*message->message);
  Record(job, sent, delivery::MessageIdOf(*message->message), message->customer_id, in_flight);
}

void Worker::Record(const store::Job& job, const delivery::SendResult& sent, const std::string& message_id,
                    store::Id customer, InFlight& in_flight) {
  const std::string kind = store::JobKindName(job.kind);
  const Instant now = app_.clock().Now();
  switch (sent.outcome) {
    case delivery::SendOutcome::kSent:
      Log(LogLevel::kInfo, "jobs.sent",
          {{"job", std::to_string(job.id)}, {"kind", kind}, {"message_id", message_id}});
      in_flight.Add(customer);
      app_.outbox().RecordSentAsync(job, now, [this, job, customer, &in_flight](Status s) {
        Check(job, s);
        in_flight.Done(customer);
      });
      break;
    case delivery::SendOutcome::kTransient:
      RetryOrFail(job, sent.detail, now);
      Log(LogLevel::kWarn, "jobs.retry",
          {{"job", std::to_string(job.id)}, {"kind", kind}, {"error", RedactContacts(sent.detail)}});
      break;
    case delivery::SendOutcome::kPermanent:
      Check(job, app_.outbox().RecordRefused(job, sent.detail, now));
      Log(LogLevel::kWarn, "jobs.failed",
          {{"job", std::to_string(job.id)}, {"kind", kind}, {"error", RedactContacts(sent.detail)}});
      break;
  }
}

// A transient failure: retried with backoff until the attempts run out, then failed for good.
void Worker::RetryOrFail(const store::Job& job, const std::string& reason, Instant now) {
  if (job.attempts >= options_.max_attempts) {
    Check(job, app_.outbox().Finish(job, store::JobStatus::kFailed, reason, now));
  } else {
    Check(job, app_.outbox().Retry(job, now + Backoff(job.attempts, options_), reason));
  }
}

void Worker::Check(const store::Job& job, const Status& s) {
  // If recording fails the lease runs out and the job is tried again: nothing is lost.
  if (!s)
    Log(LogLevel::kError, "jobs.record_failed",
        {{"job", std::to_string(job.id)}, {"error", s.error().message}});
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
  delivery::Senders senders = senders_();
  while (true) {
    uint64_t seen;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakes_;
    }
    if (RunOnce(senders) > 0) continue;
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
