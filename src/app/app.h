#pragma once
// App: the composition of Vouch's use cases. It knows no HTTP and no SQL; each use case takes
// validated inputs, runs in one store transaction (facts and the messages they cause together)
// and returns plain results:
//   shops()      shops, settings, API keys (app/shops.h)
//   templates()  a shop's template overrides (app/templates.h)
//   ingest()     orders in, one by one or as sets (app/ingest.h)
//   answers()    answer clicks, confirmations, comments, unsubscribes (app/answers.h)
//   referrals()  referral codes, attribution, the review queue (app/referrals.h)
//   rewards()    the reward ledger: earn, hold, release, void, claw back (app/rewards.h)
//   orders()     refunds and cancellations of orders (app/orders.h)
//   shares()     share-link visits: a read, and counts in sets once per client (app/share_visits.h)
//   reports()    NPS, funnel, promoters, responses (app/reports.h)
//   privacy()    a customer's data export and erasure (app/privacy.h)
//   messages()   the message a job owes (app/messages.h)
//   outbox()     the job queue: claiming, outcomes, listing (app/outbox.h)
//   hooks()      webhooks from a shop's store software: signatures, deliveries seen (app/hooks.h)
//   imports()    a shop's order history from a CSV file (app/imports.h)
//   users()      who signs in to a shop's dashboard, with roles and passwords (app/users.h)
//   sessions()   dashboard sign-in: server-side sessions, CSRF tokens, throttling (app/sessions.h)
//   followups()  detractors' follow-ups: owner, note, resolved (app/followups.h)
//   test_mails() "send me a test": a template rendered with sample values, to the user (app/test_mails.h)
//   webhooks()   outgoing webhooks and Slack: endpoints, events, signed delivery (app/webhooks.h)
//   links()      signed tokens and the URLs and texts built from them (app/links.h)
// App owns them and wires their dependencies (the store, the clock, the configuration, the link
// secret, each other). Thread-safe: every use case may be called from any thread; store calls
// block, so call them off I/O threads (the *Async ones never block).
#include <functional>
#include <string>

#include "app/answers.h"
#include "app/async.h"
#include "app/audiences.h"
#include "app/campaigns.h"
#include "app/config.h"
#include "app/defined_themes.h"
#include "app/experiments.h"
#include "app/followups.h"
#include "app/hooks.h"
#include "app/imports.h"
#include "app/ingest.h"
#include "app/links.h"
#include "app/messages.h"
#include "app/order_input.h"
#include "app/orders.h"
#include "app/outbox.h"
#include "app/privacy.h"
#include "app/program.h"
#include "app/referrals.h"
#include "app/reports.h"
#include "app/rewards.h"
#include "app/sessions.h"
#include "app/share_visits.h"
#include "app/shops.h"
#include "app/sms.h"
#include "app/templates.h"
#include "app/test_mails.h"
#include "app/themes.h"
#include "app/unsubscribes.h"
#include "app/users.h"
#include "app/webhooks.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

// What /healthz reports of the store.
struct HealthInfo {
  std::string store_kind;  // "sqlite" or "postgres"
  int schema_version = 0;
};

class App {
 public:
  // `link_secret` signs every token put in a link (survey answers, unsubscribes). `store` and
  // `clock` outlive the App.
  App(store::Store& store, const Clock& clock, AppConfig config, std::string link_secret);
  ~App();  // waits for the *Async calls in flight (WaitForAsync)
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Loads or creates the installation's link-signing secret.
  static Result<std::string> LoadLinkSecret(store::Store& store);
  // The link secrets after a rotation: the current one, and the previous one with the end of its
  // grace period (previous empty when never rotated).
  struct LinkSecrets {
    std::string current;
    std::string previous;
    Instant previous_until{};
  };
  static Result<LinkSecrets> LoadLinkSecrets(store::Store& store);
  // `vouch secret rotate`: a fresh current secret; the old one becomes the previous, accepted
  // until now + grace (links already sent keep working that long, then stop). Running nodes
  // pick it up when they restart. Returns the end of the grace period.
  static Result<Instant> RotateLinkSecret(store::Store& store, Instant now, Millis grace);
  // Accepts links signed with `s.previous` until `s.previous_until` (no-op without one). Call
  // before serving.
  void AcceptPreviousLinkSecret(const LinkSecrets& s);

  Shops& shops() { return shops_; }
  Templates& templates() { return templates_; }
  Ingest& ingest() { return ingest_; }
  Answers& answers() { return answers_; }
  Referrals& referrals() { return referrals_; }
  Rewards& rewards() { return rewards_; }
  Orders& orders() { return orders_; }
  ShareVisits& shares() { return shares_; }
  Reports& reports() { return reports_; }
  Privacy& privacy() { return privacy_; }
  Messages& messages() { return messages_; }
  Outbox& outbox() { return outbox_; }
  Users& users() { return users_; }
  Sessions& sessions() { return sessions_; }
  Followups& followups() { return followups_; }
  Hooks& hooks() { return hooks_; }
  Imports& imports() { return imports_; }
  SmsInbox& sms() { return sms_; }
  Campaigns& campaigns() { return campaigns_; }
  TestMails& test_mails() { return test_mails_; }
  Webhooks& webhooks() { return webhooks_; }
  Program& program() { return program_; }
  Themes& themes() { return themes_; }
  Experiments& experiments() { return experiments_; }
  ShopThemes& defined_themes() { return defined_themes_; }
  Audiences& audiences() { return audiences_; }
  const Links& links() const { return links_; }

  // Returns once every *Async call so far (ingest().OrderAsync, answers().RecordClickAsync, the
  // visits shares().Visit counts) has
  // run its `done` (the store must still be open). Call it before stopping what the work
  // notifier wakes (Node stops the worker after).
  void WaitForAsync() { async_.Wait(); }

  // Called after a commit that queued work due now, so workers need not wait for their poll.
  // Set it before the use cases run.
  void SetWorkNotifier(std::function<void()> notify) { notifier_.Set(std::move(notify)); }

  HealthInfo Health() const;
  // The store writer's counters (/metrics).
  store::WriterStats WriterStats() const { return store_.Stats(); }
  const Clock& clock() const { return clock_; }
  const AppConfig& config() const { return config_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  AppConfig config_;
  AsyncCalls async_;
  WorkNotifier notifier_;
  Unsubscribes unsubscribes_;
  Links links_;
  Webhooks webhooks_;
  Shops shops_;
  Templates templates_;
  Rewards rewards_;
  Referrals referrals_;
  Orders orders_;
  ShareVisits shares_;
  Ingest ingest_;
  Answers answers_;
  Reports reports_;
  Privacy privacy_;
  Messages messages_;
  Outbox outbox_;
  Users users_;
  Sessions sessions_;
  Followups followups_;
  Hooks hooks_;
  Imports imports_;
  SmsInbox sms_;
  Campaigns campaigns_;
  TestMails test_mails_;
  Program program_;
  Themes themes_;
  Experiments experiments_;
  ShopThemes defined_themes_;
  Audiences audiences_;
};

}  // namespace vouch::app
