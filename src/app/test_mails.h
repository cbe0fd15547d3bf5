#pragma once
// Test mails ("send me a test" in the dashboard's Settings): one of a shop's mail templates,
// saved, built-in or an unsaved draft, rendered with sample values (a sample customer, code and
// reward, the shop's own offer) and sent to the signed-in user through the node's mail transport.
// Sends are throttled per user (kTestMailGap between two). Thread-safe: each send opens its own
// Mailer (they are single-threaded) and blocks on the store and on the mail server, so call it
// off I/O threads.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/links.h"
#include "base/result.h"
#include "base/time.h"
#include "delivery/mailer.h"
#include "store/store.h"

namespace vouch::app {

inline constexpr Millis kTestMailGap = std::chrono::seconds{30};

// Whose offer a test mail shows (issue 16): the shop's (neither set), a variant of the running
// experiment, or an audience's own offer.
struct TestMailOffer {
  std::optional<int> variant;
  std::optional<store::Id> audience;
};

struct TestMail {
  std::string key;  // "<locale>/<name>" of the template the draft stood in for
  std::string to;
  std::string subject;
};

class TestMails {
 public:
  using MailerFactory = std::function<std::unique_ptr<delivery::Mailer>()>;

  TestMails(store::Store& store, const Clock& clock, const Links& links, const AppConfig& config)
      : store_(store), clock_(clock), links_(links), config_(config) {}

  // The node's mail transport (as its workers use); set before Send runs. Without one, Send
  // answers kFailedPrecondition.
  void SetMailer(MailerFactory factory);

  // Renders the mail that template `name` ("activation.html", "survey.subject", ...) belongs to in
  // `locale`, with `draft` (when given) standing in for that template and the shop's saved
  // overrides for the others, and sends it to `to` with "[Test] " before the subject.
  // kInvalidArgument "name" for a template that is not part of a mail (the pages), "body" for a
  // draft that does not parse; kResourceExhausted when `user` sent one less than kTestMailGap
  // ago (RetryAfter says how long); kUnavailable when the mail server refused or was not reached.
  // With `offer`: the variant's or audience's discount, reward and share text (OfferOf).
  Result<TestMail> Send(const store::Shop& shop, store::Id user, const std::string& to,
                        const std::string& locale, const std::string& name,
                        const std::optional<std::string>& draft, const TestMailOffer& offer = {});
  // The offer a test mail shows, as a variant (none: the shop's own). kInvalidArgument "variant"
  // with "audience" both set; kNotFound "variant" without a running experiment or with no such
  // variant of it; kNotFound "audience" for an audience not the shop's, kInvalidArgument
  // "audience" for one without an offer of its own.
  Result<std::optional<store::ExperimentVariant>> OfferOf(store::Id shop, const TestMailOffer& offer);
  // How long `user` must wait before the next test mail (0 when they may send now).
  Millis RetryAfter(store::Id user);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
  const AppConfig& config_;
  std::mutex mu_;
  MailerFactory mailer_;
  std::map<store::Id, Instant> last_sent_;
};

}  // namespace vouch::app
