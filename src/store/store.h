#pragma once
// The store: the single source of truth, including the durable job queue.
//
// All access goes through a Tx. Writes run on the store's single writer, which groups concurrent
// write functions into one transaction (group commit): each function runs inside its own savepoint,
// so a failing one is rolled back alone, and Write() returns only after the shared COMMIT is durable.
// Reads run on a pool of read connections, each in its own snapshot. Store is thread-safe.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records.h"

namespace vouch::store {

// Repository operations inside one transaction. Not thread-safe; valid only inside the function
// passed to Store::Write or Store::Read. Errors: kUnavailable for a database fault, kAlreadyExists
// for a uniqueness violation where noted.
class Tx {
 public:
  virtual ~Tx() = default;

  // Shops.
  virtual Result<Id> InsertShop(const Shop& shop, const std::string& api_key_hash) = 0;
  virtual Result<std::optional<Shop>> FindShopByKeyHash(const std::string& api_key_hash) = 0;
  virtual Result<std::optional<Shop>> GetShop(Id shop) = 0;
  virtual Result<std::vector<Shop>> ListShops() = 0;
  virtual Status UpdateShop(const Shop& shop) = 0;
  virtual Status SetShopKeyHash(Id shop, const std::string& api_key_hash) = 0;

  // Customers.
  virtual Result<std::optional<Customer>> FindCustomer(Id shop, const std::string& external_id) = 0;
  virtual Result<std::optional<Customer>> GetCustomer(Id customer) = 0;
  virtual Result<Id> InsertCustomer(const Customer& c) = 0;
  virtual Status UpdateCustomer(const Customer& c) = 0;
  virtual Result<int64_t> CountOrdersBefore(Id customer, Instant t, Id excluding_order) = 0;
  // Anyone with this email or phone in the shop who has ordered before `t` (new-customer check).
  virtual Result<int64_t> CountOrdersByContactBefore(Id shop, const std::string& email,
                                                     const std::string& phone, Instant t,
                                                     Id excluding_order) = 0;
  // Erases a customer's personal data (name, email, phone) but keeps the anonymous facts.
  virtual Status EraseCustomer(Id customer) = 0;

  // Orders.
  virtual Result<std::optional<Order>> FindOrder(Id shop, const std::string& external_id) = 0;
  virtual Result<Id> InsertOrder(const Order& o) = 0;  // items too; kAlreadyExists on a duplicate
  virtual Status SetOrderOutcome(Id order, std::optional<Id> survey, const std::string& survey_skip,
                                 std::optional<Id> referral) = 0;
  virtual Result<std::vector<Order>> ListCustomerOrders(Id customer) = 0;

  // Surveys and answers.
  virtual Result<Id> InsertSurvey(const Survey& s) = 0;
  virtual Result<std::optional<Survey>> GetSurvey(Id survey) = 0;
  virtual Status MarkSurveySent(Id survey, Instant at) = 0;
  virtual Status MarkSurveyFailed(Id survey) = 0;
  virtual Status SaveAnswer(const Survey& s) = 0;  // score, state, times, comment
  virtual Status InsertClick(const Click& c) = 0;
  virtual Result<std::vector<Click>> RecentClicks(Id survey, Instant since) = 0;
  virtual Result<std::vector<Survey>> ListCustomerSurveys(Id customer) = 0;
  // Set forms for answer clicks (app/answers.cc); on PostgreSQL one statement per call.
  // The surveys / customers of `ids` that exist, in no particular order.
  virtual Result<std::vector<Survey>> GetSurveys(const std::vector<Id>& ids) = 0;
  virtual Result<std::vector<Customer>> GetCustomers(const std::vector<Id>& ids) = 0;
  // The clicks on `surveys` at or after `since`, each survey's in time order.
  virtual Result<std::vector<Click>> RecentClicksOf(const std::vector<Id>& surveys, Instant since) = 0;
  virtual Status InsertClicks(const std::vector<Click>& clicks) = 0;
  // SaveAnswer for each; the ids must be distinct.
  virtual Status SaveAnswers(const std::vector<Survey>& surveys) = 0;
  // Adds `delta` answers of `score` to the (shop, day, segment) rollup.
  virtual Status AddToRollup(Id shop, int64_t day, const std::string& segment, int score,
                             int64_t delta) = 0;

  // Referral codes, referrals, rewards.
  virtual Result<std::optional<ReferralCode>> FindCodeByPromoter(Id shop, Id promoter) = 0;
  virtual Result<std::optional<ReferralCode>> FindCode(Id shop, const std::string& code) = 0;
  virtual Result<std::optional<ReferralCode>> GetCode(Id code) = 0;
  // Codes are unique across shops, so a share link can find its code alone.
  virtual Result<std::optional<ReferralCode>> FindCodeAnyShop(const std::string& code) = 0;
  virtual Result<Id> InsertCode(const ReferralCode& c) = 0;  // kAlreadyExists when taken
  virtual Status AddCodeUse(Id code) = 0;
  virtual Status AddCodeVisit(Id code, Instant at) = 0;
  virtual Result<Id> InsertReferral(const Referral& r) = 0;
  virtual Result<std::optional<Referral>> GetReferral(Id referral) = 0;
  virtual Result<Id> InsertReward(const Reward& r) = 0;
  virtual Result<std::optional<Reward>> GetReward(Id reward) = 0;
  virtual Result<std::optional<Reward>> FindRewardByReferral(Id referral) = 0;

  // Set forms for ingesting many orders at once: one statement per table for many rows (SQLite:
  // chunks of up to 256 rows; PostgreSQL: up to 2,000, each column one array parameter), where
  // the forms above take one per row (on PostgreSQL each statement is a round trip).
  // The shop's customers and orders with these external ids, in no particular order; the orders
  // without their items.
  virtual Result<std::vector<Customer>> FindCustomers(Id shop, const std::vector<std::string>& external_ids) = 0;
  virtual Result<std::vector<Order>> FindOrders(Id shop, const std::vector<std::string>& external_ids) = 0;
  // Inserts each row unless its (shop, external id) is taken; the new ids in input order,
  // nullopt where the key was taken (by a row another writer inserted meanwhile). The (shop,
  // external id) pairs must be distinct within one call. Orders come with their items and
  // survey_skip.
  virtual Result<std::vector<std::optional<Id>>> InsertCustomers(const std::vector<Customer>& cs) = 0;
  virtual Result<std::vector<std::optional<Id>>> InsertOrders(const std::vector<Order>& os) = 0;
  // The new surveys' ids in input order; at most one survey per order.
  virtual Result<std::vector<Id>> InsertSurveys(const std::vector<Survey>& ss) = 0;
  // Sets each order's survey_id to the survey made for it.
  virtual Status LinkOrderSurveys(const std::vector<Id>& orders) = 0;
  // EnqueueJob for each (ref, run_at); returns how many were new.
  virtual Result<int64_t> EnqueueJobs(Id shop, JobKind kind,
                                      const std::vector<std::pair<Id, Instant>>& jobs) = 0;

  // The durable job queue. Enqueue is idempotent per (kind, ref): a second call is a no-op that
  // returns false.
  virtual Result<bool> EnqueueJob(Id shop, JobKind kind, Id ref, Instant run_at) = 0;
  virtual Result<std::optional<Job>> FindJob(JobKind kind, Id ref) = 0;
  virtual Status RescheduleJob(JobKind kind, Id ref, Instant run_at) = 0;  // pending only
  // Claims up to `limit` due jobs (pending with run_at <= now, or running with an expired lease),
  // leasing them until now + lease.
  virtual Result<std::vector<Job>> ClaimJobs(Instant now, Millis lease, int limit) = 0;
  virtual Status FinishJob(Id job, const std::string& status, const std::string& note, Instant at) = 0;
  virtual Status RetryJob(Id job, Instant run_at, const std::string& error) = 0;
  virtual Result<std::vector<Job>> ListJobs(Id shop, const std::string& status, int limit) = 0;
  virtual Result<JobCounts> CountJobs(Id shop) = 0;
  virtual Result<std::optional<Instant>> NextJobDue() = 0;

  // Templates a shop has overridden, keyed "<locale>/<name>".
  virtual Result<std::map<std::string, std::string>> TemplateOverrides(Id shop) = 0;
  virtual Status PutTemplate(Id shop, const std::string& key, const std::string& body) = 0;
  virtual Status DeleteTemplate(Id shop, const std::string& key) = 0;

  // Reports.
  virtual Result<std::vector<DayCounts>> RollupByDay(Id shop, int64_t from_day, int64_t to_day,
                                                     const std::optional<std::string>& segment) = 0;
  virtual Result<std::vector<std::string>> Segments(Id shop) = 0;
  virtual Result<Funnel> FunnelCounts(Id shop, Instant from, Instant to) = 0;
  virtual Result<std::vector<PromoterRow>> TopPromoters(Id shop, Instant from, Instant to,
                                                        int limit) = 0;
  virtual Result<std::vector<ResponseRow>> ListResponses(Id shop, Instant from, Instant to,
                                                         int min_score, int max_score,
                                                         Id after_survey, int limit) = 0;

  // Key-value settings of the installation (e.g. the link-signing secret).
  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status PutMetaIfAbsent(const std::string& key, const std::string& value) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  template <class T>
  Result<T> Write(const std::function<Result<T>(Tx&)>& fn) {
    std::optional<Result<T>> out;
    Status s = WriteErased([&](Tx& tx) -> Status {
      out.emplace(fn(tx));
      if (!out->ok()) return out->error();
      return OkStatus();
    });
    if (!s.ok()) return s.error();
    return std::move(*out);
  }

  template <class T>
  Result<T> Read(const std::function<Result<T>(Tx&)>& fn) {
    return ReadWith<T>(fn, false);
  }

  // As Read, for a function that runs exactly one SELECT: no transaction around it (one
  // statement is its own consistent snapshot), which saves PostgreSQL two of its three round
  // trips. Only for single reads; anything needing several statements to agree uses Read.
  template <class T>
  Result<T> ReadOne(const std::function<Result<T>(Tx&)>& fn) {
    return ReadWith<T>(fn, true);
  }

  // Queues `fn` for the writer; `done` runs (on the writer thread) after the commit that holds
  // fn's writes is durable, or with the error that rolled them back. Never blocks.
  virtual void WriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) = 0;

  // "sqlite" or "postgres".
  virtual std::string Kind() const = 0;
  virtual int SchemaVersion() const = 0;

 protected:
  virtual Status WriteErased(const std::function<Status(Tx&)>& fn) = 0;
  // `one_statement`: run `fn` without BEGIN/COMMIT (ReadOne).
  virtual Status ReadErased(const std::function<Status(Tx&)>& fn, bool one_statement) = 0;

 private:
  template <class T>
  Result<T> ReadWith(const std::function<Result<T>(Tx&)>& fn, bool one_statement) {
    std::optional<Result<T>> out;
    Status s = ReadErased(
        [&](Tx& tx) -> Status {
          out.emplace(fn(tx));
          if (!out->ok()) return out->error();
          return OkStatus();
        },
        one_statement);
    if (!s.ok()) return s.error();
    return std::move(*out);
  }
};

struct StoreOptions {
  int read_connections = 4;
  int max_batch = 512;  // write functions per group commit
  bool synchronous_full = true;  // SQLite: fsync every commit (durable before 2xx)
};

// Opens "sqlite:path/to/file.db" (creating folders and the file) or a PostgreSQL database
// ("postgres://user:pass@host:5432/db" or "postgresql://…": a writer and `read_connections`
// readers, each reconnecting after the server restarts) and applies pending migrations (on
// PostgreSQL under an advisory lock, so nodes may migrate at once).
// kFailedPrecondition when the database's schema is newer than this binary knows; kUnavailable
// when the database cannot be reached.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

}  // namespace vouch::store
