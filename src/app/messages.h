#pragma once
// Messages: the message a job owes (survey invitation, promoter activation, reward notice),
// rendered from the shop's templates in the customer's locale, or why the job is moot.
// Reads only. Thread-safe; Build blocks on the store. Errors: store and template errors (the
// worker retries those); a moot job is not an error.
#include <optional>
#include <string>

#include "app/config.h"
#include "app/links.h"
#include "app/unsubscribes.h"
#include "base/result.h"
#include "base/time.h"
#include "delivery/mailer.h"
#include "store/store.h"

namespace vouch::app {

// The message a job sends, on the job's channel (a survey job: its survey's). nullopt message:
// the job is moot (e.g. the customer unsubscribed), `skip_reason` says why.
struct JobMessage {
  std::optional<delivery::Message> message;
  std::string skip_reason;
  // Set (and no message): the message may not go before then (an SMS in the customer's quiet
  // hours); the job waits without using up an attempt.
  std::optional<Instant> defer_until;
  // With a message: the customer it goes to (a worker holding that customer's last record
  // uncommitted builds again once it lands, so the message budget counts it).
  store::Id customer_id = 0;
};

// Whether a job's message is marketing, counted against the message budget (core/budget.h):
// surveys and activation mails (and reminders, once they are jobs). Reward notices are not.
bool IsMarketing(store::JobKind kind);

class Messages {
 public:
  // `config.public_url` without a trailing '/'.
  Messages(store::Store& store, const Clock& clock, const Links& links, AppConfig config,
           Unsubscribes& unsubscribes)
      : store_(store),
        clock_(clock),
        links_(links),
        config_(std::move(config)),
        unsubscribes_(unsubscribes) {}

  // The message `job` owes, built for its channel (SMS: app/text_messages.h). A marketing
  // message (IsMarketing) to a customer who had the shop's `max_messages` in the last
  // `budget_days` is skipped with core::kOverBudget.
  Result<JobMessage> Build(const store::Job& job);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
  const AppConfig config_;
  Unsubscribes& unsubscribes_;
};

}  // namespace vouch::app
