#pragma once
// The use cases of Vouch. App knows no HTTP and no SQL: it takes validated inputs, runs each use
// case in one store transaction (facts and the messages they cause together), and returns plain
// results. Thread-safe: every method may be called from any thread; store calls block, so call
// them off I/O threads.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "core/clicks.h"
#include "core/nps.h"
#include "delivery/mailer.h"
#include "store/store.h"

namespace vouch::app {

struct AppConfig {
  std::string public_url = "http://127.0.0.1:8080";  // base of every link we send
  std::string mail_from = "vouch@localhost";          // envelope and header sender address
};

// --- Inputs (validated at the edge) -------------------------------------------------------------
struct CustomerInput {
  std::string external_id;  // may be empty: then the email (or phone) identifies the customer
  std::string email;        // normalised, may be empty
  std::string phone;        // E.164, may be empty
  std::string first_name;
  std::string last_name;
  std::string locale;       // normalised, may be empty
};

struct OrderInput {
  std::string external_id;
  Instant created_at{};
  std::string currency;
  int64_t total_minor = 0;
  CustomerInput customer;
  std::vector<std::string> discount_codes;
  std::vector<store::LineItem> items;
};

// --- Results ------------------------------------------------------------------------------------
struct SurveyOutcome {
  bool scheduled = false;
  Instant due_at{};
  std::string skipped_reason;  // no_channel, unsubscribed, throttled, too_old
};

struct ReferralOutcome {
  store::Id referral_id = 0;
  std::string code;
  std::string status;  // qualified, self_referral, expired, used_up, existing_customer
  std::string reward_code;
};

struct IngestResult {
  bool created = false;  // false: the order was known; nothing new was done
  store::Id order_id = 0;
  std::string external_id;
  SurveyOutcome survey;
  std::optional<ReferralOutcome> referral;
};

struct CreatedShop {
  store::Shop shop;
  std::string api_key;  // shown once; only its hash is stored
};

// A promoter's share link and ready-made share URLs for the usual channels, with a localised
// message from the shop's offer.
struct ShareLinks {
  std::string share_url;
  std::string whatsapp_url;
  std::string x_url;
  std::string facebook_url;
  std::string email_url;
};

// What the answer page shows.
struct AnswerView {
  store::Shop shop;
  store::Survey survey;
  std::string first_name;
  std::string locale;
  core::ClickVerdict verdict = core::ClickVerdict::kCount;
  bool locked = false;  // the answer is older than the change window and was not changed
  std::optional<store::ReferralCode> code;
  ShareLinks share;
  std::string offer_text;
};

struct NpsBucket {
  Instant start{};
  Instant end{};
  core::NpsEstimate estimate;
};

struct NpsReport {
  Instant from{};
  Instant to{};
  std::string interval;  // day, week, month
  std::optional<std::string> segment;
  core::NpsEstimate overall;
  std::vector<NpsBucket> buckets;
};

// The message a job sends, on the job's channel (a survey job: its survey's). nullopt message:
// the job is moot (e.g. the customer unsubscribed), `skip_reason` says why.
struct JobMessage {
  std::optional<delivery::Message> message;
  std::string skip_reason;
};

struct CustomerExport {
  store::Customer customer;
  std::vector<store::Order> orders;
  std::vector<store::Survey> surveys;
  std::optional<store::ReferralCode> code;
};

// Partial update of shop settings: only set fields change.
struct SettingsPatch {
  std::optional<std::string> name, url;
  std::optional<int64_t> survey_delay_seconds, throttle_days, discount_value, reward_minor;
  std::optional<int64_t> code_expiry_days, code_max_uses;
  std::optional<std::string> discount_kind, currency, landing_url, locale, sender_name;
};

// Shops by API key hash, for a short while: every API request authenticates, and on PostgreSQL
// that read was three of a report's six round trips. Entries live `ttl`; this node drops a
// shop's entries when it changes the shop's settings or key, other nodes see the change within
// `ttl`. Unknown keys are not kept (random keys cannot fill it).
class ShopKeyCache {
 public:
  static constexpr Millis kTtl{2000};
  static constexpr size_t kMaxEntries = 10000;

  std::optional<store::Shop> Find(const std::string& key_hash, Instant now);
  // Taken before reading the shop from the store; Put stores nothing if a Forget came between
  // (the read may predate the change Forget announced).
  uint64_t Generation();
  void Put(const std::string& key_hash, const store::Shop& shop, Instant now, uint64_t generation);
  void Forget(store::Id shop);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<store::Shop, Instant>> entries_;
  uint64_t generation_ = 0;
};

class App {
 public:
  // `link_secret` signs every token put in a link (survey answers, unsubscribes).
  App(store::Store& store, const Clock& clock, AppConfig config, std::string link_secret);
  ~App();  // waits for the *Async calls in flight (WaitForAsync)

  // Loads or creates the installation's link-signing secret.
  static Result<std::string> LoadLinkSecret(store::Store& store);

  // Shops.
  Result<CreatedShop> CreateShop(const std::string& name, const std::string& url);
  Result<store::Shop> Authenticate(std::string_view api_key);
  // The shop of a key this node knows from the last seconds (see ShopKeyCache), without touching
  // the store: for callers that must not block. nullopt: unknown here; use Authenticate.
  std::optional<store::Shop> AuthenticateCached(std::string_view api_key);
  Result<store::Shop> UpdateSettings(store::Id shop, const SettingsPatch& patch);
  Result<std::string> RotateApiKey(store::Id shop);
  Result<std::vector<store::Shop>> ListShops();

  // Orders. Idempotent per (shop, external id). One bad order fails alone. Orders without
  // discount codes, from any number of concurrent calls, are ingested together by one write
  // function with a few statements per table (the set path, app/ingest.cc); the others, and any
  // set the store refuses, one by one in their own savepoints.
  Result<IngestResult> IngestOrder(const store::Shop& shop, const OrderInput& order);
  // As IngestOrder, without blocking: `done` runs once, on the store's writer thread, when the
  // order is durable or failed. It must be quick and must not call the store.
  void IngestOrderAsync(store::Shop shop, OrderInput order, std::function<void(Result<IngestResult>)> done);
  // Returns once every *Async call so far has run its `done` (the store must still be
  // open). Call it before stopping what the work notifier wakes (Node stops the worker after).
  void WaitForAsync();
  // IngestOrderAsync calls so far (for tests and diagnostics).
  uint64_t AsyncIngests() const { return async_ingests_.load(std::memory_order_relaxed); }
  // Answered when every order is durable.
  std::vector<Result<IngestResult>> IngestBatch(const store::Shop& shop,
                                                const std::vector<OrderInput>& orders);

  // Answers. `token` is the survey token from the link.
  Result<AnswerView> RecordClick(std::string_view token, int score, std::string_view method,
                                 std::string_view user_agent);
  // As RecordClick, without blocking: `done` runs once, on the store's writer thread when the
  // answer is durable or failed, or at once on the caller's thread for an invalid link or score.
  // It must be quick and must not call the store. WaitForAsync waits for these too.
  void RecordClickAsync(std::string_view token, int score, std::string method, std::string user_agent,
                        std::function<void(Result<AnswerView>)> done);
  // RecordClickAsync calls so far (for tests and diagnostics).
  uint64_t AsyncClicks() const { return async_clicks_.load(std::memory_order_relaxed); }
  Result<AnswerView> ConfirmAnswer(std::string_view token, int score);
  Result<AnswerView> ViewAnswer(std::string_view token);
  Status SaveComment(std::string_view token, std::string comment);
  // One-click unsubscribe (RFC 8058) and the page's button.
  Status Unsubscribe(std::string_view token);
  Result<store::Shop> UnsubscribeShop(std::string_view token);

  // A share-link visit: counts it and returns where to send the visitor.
  Result<std::string> ShareVisit(std::string_view code);

  // Reports.
  Result<NpsReport> Nps(store::Id shop, Instant from, Instant to, const std::string& interval,
                        const std::optional<std::string>& segment);
  Result<store::Funnel> FunnelReport(store::Id shop, Instant from, Instant to);
  Result<std::vector<store::PromoterRow>> Promoters(store::Id shop, Instant from, Instant to,
                                                    int limit);
  Result<std::vector<store::ResponseRow>> Responses(store::Id shop, Instant from, Instant to,
                                                    const std::string& category, store::Id after,
                                                    int limit);
  Result<std::vector<store::Job>> Jobs(store::Id shop, std::optional<store::JobStatus> status, int limit);
  Result<store::JobCounts> JobStats(store::Id shop);

  // Templates a shop overrides, keyed "<locale>/<name>" (e.g. "de/survey.html").
  Result<std::map<std::string, std::string>> Templates(store::Id shop);
  Status PutTemplate(store::Id shop, const std::string& key, const std::string& body);
  Status DeleteTemplate(store::Id shop, const std::string& key);

  // Personal data: everything held about a customer, and its erasure.
  Result<CustomerExport> ExportCustomer(store::Id shop, const std::string& external_id);
  Status EraseCustomer(store::Id shop, const std::string& external_id);

  // Jobs: the message a job owes, built for its channel. Reads only. kFailedPrecondition for a
  // channel whose messages are not built yet (SMS).
  Result<JobMessage> BuildMessage(const store::Job& job);

  // Links.
  std::string SurveyToken(store::Id survey) const;
  std::string UnsubscribeToken(store::Id customer) const;
  std::string AnswerUrl(store::Id survey, int score) const;
  std::string UnsubscribeUrl(store::Id customer) const;
  std::string ShareUrl(const std::string& code) const;
  std::string OfferText(const store::Shop& shop, const std::string& locale) const;
  // "15%" or "€5": what a referred friend gets.
  std::string FriendOffer(const store::Shop& shop, const std::string& locale) const;
  ShareLinks ShareLinksFor(const store::Shop& shop, const std::string& locale,
                           const std::string& code) const;
  std::string LandingUrl(const store::Shop& shop, const std::string& code) const;

  // Called after a commit that queued work due now, so workers need not wait for their poll.
  void SetWorkNotifier(std::function<void()> notify) { notify_ = std::move(notify); }

  store::Store& store() { return store_; }
  const Clock& clock() const { return clock_; }
  const AppConfig& config() const { return config_; }

 private:
  Result<IngestResult> IngestInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in,
                                  Instant now);
  // The set path (app/ingest.cc). A caller's orders, answered one by one as they are done.
  struct IngestCall {
    explicit IngestCall(size_t n) : results(n), pending(n) {}
    void Answer(size_t i, Result<IngestResult> r);
    void Wait();
    std::vector<std::optional<Result<IngestResult>>> results;
    std::mutex mu;
    std::condition_variable cv;
    size_t pending;
    // Instead of a waiting caller: run with the results once all are in (IngestOrderAsync).
    std::function<void(IngestCall&)> on_done;
    std::shared_ptr<void> owned;  // the shop and orders the QueuedOrders point into, if owned
  };
  // One order of a waiting call; the pointers live until the call is answered.
  struct QueuedOrder {
    std::shared_ptr<IngestCall> call;
    size_t index = 0;
    const store::Shop* shop = nullptr;
    const OrderInput* order = nullptr;
    bool alone = false;  // one by one after the set's commit, in its call's order
  };
  struct SetWrite;
  void QueueForSet(std::vector<QueuedOrder> orders);
  void ScheduleSetWrite();
  Status RunSet(store::Tx& tx, SetWrite& set);
  void FinishSet(SetWrite& set, const Status& s);
  void SubmitOne(QueuedOrder q);
  // Orders of one shop (each with the caller's copy of its settings) with distinct order and
  // customer keys and no discount codes; results in their order. An error rolls back the set.
  Result<std::vector<Result<IngestResult>>> IngestSetInTx(store::Tx& tx,
                                                          const std::vector<const QueuedOrder*>& in,
                                                          Instant now);
  Result<IngestResult> ReplayResult(store::Tx& tx, const store::Order& order);
  Result<std::optional<ReferralOutcome>> Attribute(store::Tx& tx, const store::Shop& shop,
                                                   const store::Order& order,
                                                   const store::Customer& buyer, Instant now);
  Result<store::ReferralCode> EnsureCode(store::Tx& tx, const store::Shop& shop,
                                         const store::Customer& promoter, store::Id survey,
                                         Instant now);
  Result<AnswerView> ApplyAnswer(std::string_view token, int score, std::string_view method,
                                 std::string_view user_agent, bool confirmed);
  // The click set (app/answers.cc): GET clicks queued by RecordClickAsync.
  struct QueuedClick {
    store::Id survey = 0;
    int score = 0;
    std::string method;
    std::string user_agent;
    Instant now{};
    std::function<void(Result<AnswerView>)> done;
    std::function<void()> finished;  // ends the async call (BeginAsync)
  };
  struct ClickSet;
  void ScheduleClickSet();
  Status RunClickSet(store::Tx& tx, ClickSet& set);
  Status ClickRoundInTx(store::Tx& tx, ClickSet& set, const std::vector<size_t>& round);
  void FinishClickSet(ClickSet& set, const Status& s);
  // A promoter's code and activation job (due at once when a person confirmed the answer).
  Status ActivatePromoter(store::Tx& tx, const store::Shop& shop, const store::Customer& customer,
                          const store::Survey& survey, bool confirmed, Instant now, bool& activate_now);
  // The answer page's view of `survey` (reads a promoter's code).
  Result<AnswerView> ViewOf(store::ReadTx& tx, const store::Survey& survey, const store::Shop& shop,
                            const store::Customer& customer);
  // The answer's writes in `tx`; sets `activate_now` when an activation mail is due at once.
  Result<AnswerView> ApplyAnswerInTx(store::Tx& tx, store::Id survey_id, int score,
                                     std::string_view method, std::string_view user_agent,
                                     bool confirmed, Instant now, bool& activate_now);
  // Counts an async call in flight; the returned function (idempotent) ends it.
  std::function<void()> BeginAsync();
  Result<AnswerView> MakeView(store::ReadTx& tx, const store::Survey& survey);
  Result<store::Id> VerifyToken(std::string_view token, char kind) const;
  std::string SignToken(char kind, store::Id id) const;
  void Notify() const {
    if (notify_) notify_();
  }

  store::Store& store_;
  const Clock& clock_;
  AppConfig config_;
  std::string link_secret_;
  std::function<void()> notify_;
  std::unique_ptr<ShopKeyCache> shop_keys_ = std::make_unique<ShopKeyCache>();
  std::mutex async_mu_;
  std::condition_variable async_cv_;
  int64_t async_in_flight_ = 0;
  std::atomic<uint64_t> async_ingests_{0};
  std::atomic<uint64_t> async_clicks_{0};
  // Orders waiting for the set path, and whether a write function to take them is queued.
  std::mutex set_mu_;
  std::vector<std::vector<QueuedOrder>> set_pending_;  // a call's orders stay together
  bool set_scheduled_ = false;
  // Clicks waiting for the click set, and whether a write function to take them is queued.
  std::mutex click_mu_;
  std::vector<QueuedClick> click_pending_;
  bool click_scheduled_ = false;
};

// "de/survey.html" from ("de", "survey.html"); kInvalidArgument for an unknown template name or
// a malformed locale.
Result<std::string> TemplateKey(const std::string& locale, const std::string& name);

// Hosts of our links, for Message-IDs: "vouch.example" from "https://vouch.example/x".
std::string HostOf(const std::string& url);

}  // namespace vouch::app
