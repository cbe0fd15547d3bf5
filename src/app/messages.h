#pragma once
// Messages: the message a job owes (survey invitation, promoter activation, reward notice),
// rendered from the shop's templates in the customer's locale, or why the job is moot.
// Reads only. Thread-safe; Build blocks on the store. Errors: store and template errors (the
// worker retries those); a moot job is not an error.
#include <optional>
#include <string>

#include "app/config.h"
#include "app/links.h"
#include "base/result.h"
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
};

class Messages {
 public:
  // `config.public_url` without a trailing '/'.
  Messages(store::Store& store, const Clock& clock, const Links& links, AppConfig config)
      : store_(store), clock_(clock), links_(links), config_(std::move(config)) {}

  // The message `job` owes, built for its channel (SMS: app/text_messages.h).
  Result<JobMessage> Build(const store::Job& job);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
  const AppConfig config_;
};

}  // namespace vouch::app
