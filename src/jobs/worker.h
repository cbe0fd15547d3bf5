#pragma once
// Workers drain the durable job queue: claim due jobs in batches under a lease, build each
// message, send it through the sender of its channel, and record the result. Delivery is
// at-least-once: a crash after the mail server accepted a message but before the result was
// recorded resends it after the lease expires, with the same Message-ID. A worker sends its next
// message while the last one's record commits, so a crash may resend up to a claimed batch. Every other path
// sends each cause's message once. A job on a channel without a sender fails at once ("no sender for channel
// sms"), visible at /api/v1/jobs: never dropped, never retried.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "app/app.h"
#include "delivery/sender.h"

namespace vouch::jobs {

struct WorkerOptions {
  int threads = 2;              // each with its own senders (and SMTP connection)
  int batch = 32;               // jobs claimed per round trip
  Millis lease{60'000};         // a claimed job returns to the queue after this; no send of a
                                // batch starts in the last quarter of its lease
  Millis retry_base{30'000};    // first retry delay; doubles per attempt
  Millis retry_max{3'600'000};  // cap of the retry delay
  int max_attempts = 12;        // then the job fails with its last error
  int max_claims = 5;           // a job whose lease runs out after this many claims fails
  Millis idle_poll{1'000};      // longest sleep when the queue looks empty
};

// Makes one thread's senders, one per configured channel; called once per worker thread.
using SendersFactory = std::function<delivery::Senders()>;

// The worker threads of one node. Start/Wake/Stop may be called from any thread; RunOnce runs on
// the caller's thread with the caller's senders. `app` must outlive the Worker.
class Worker {
 public:
  Worker(app::App& app, SendersFactory senders, WorkerOptions options);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // One claim-and-send round on the calling thread with `senders`; returns how many jobs it
  // claimed. For tests, the demo and the threads below.
  int RunOnce(delivery::Senders& senders);
  // The same with `mailer` as the only sender (email); other channels' jobs fail.
  int RunOnce(delivery::Mailer& mailer);
  // Starts the worker threads.
  void Start();
  // Wakes sleeping threads (new work due now).
  void Wake();
  // Stops and joins the threads; jobs in flight finish first. Idempotent.
  void Stop();

  // Retry delay after `attempts` failed attempts.
  static Millis Backoff(int attempts, const WorkerOptions& o);

 private:
  void Loop();
  // The records of one RunOnce's sends still being committed (Outbox::RecordSentAsync): the
  // round waits for them before it returns, so the next claim, a test's next look and Stop see
  // every sent job done.
  class InFlight {
   public:
    void Add(store::Id customer);
    void Done(store::Id customer);
    // Whether this round recorded a send to `customer` (still being committed, or committed
    // after a message built meanwhile read the store).
    bool Touched(store::Id customer);
    void Wait();

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::unordered_multiset<store::Id> customers_;  // in flight
    std::unordered_set<store::Id> touched_;
  };

  void Handle(const store::Job& job, delivery::Senders& senders, InFlight& in_flight);
  // Records a send's outcome: done, retried with backoff (transient) or failed (permanent).
  // A sent job's record is committed while the next message goes out (`in_flight`).
  void Record(const store::Job& job, const delivery::SendResult& sent, const std::string& message_id,
              store::Id customer, InFlight& in_flight);
  // A failure that may pass: retried with backoff until max_attempts, then failed.
  void RetryOrFail(const store::Job& job, const std::string& reason, Instant now);
  // Logs a failure to record an outcome (the lease runs out and the job comes back).
  void Check(const store::Job& job, const Status& s);

  app::App& app_;
  SendersFactory senders_;
  WorkerOptions options_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t wakes_ = 0;
};

}  // namespace vouch::jobs
