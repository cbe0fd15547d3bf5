#pragma once
// Ingest: orders in. Idempotent per (shop, external order id); upserts the customer, attributes
// a referral code, plans the survey (eligibility and throttling are core's) and queues its job,
// all in one store transaction per order.
//
// Orders without discount codes, from any number of concurrent calls, wait in a WriteCoalescer
// and are ingested together by one write function with a few statements per table (the set
// path, app/ingest_set.cc); the others, orders that repeat a key of their set, and every order of
// a set the store refuses, run one by one in their own write functions (app/ingest.cc).
//
// Thread-safe: every method may be called from any thread. Order and Batch block until their
// orders are durable; OrderAsync never blocks. One bad order fails alone. Errors per order:
// kInvalidArgument ("created_at" more than a day in the future), kUnavailable and other store
// errors.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/async.h"
#include "app/coalescer.h"
#include "app/order_input.h"
#include "app/referrals.h"
#include "app/unsubscribes.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct SurveyOutcome {
  bool scheduled = false;
  Instant due_at{};
  std::string skipped_reason;  // no_channel, unsubscribed, throttled, too_old, not_requested
};

struct IngestResult {
  bool created = false;  // false: the order was known; nothing new was done
  store::Id order_id = 0;
  std::string external_id;
  SurveyOutcome survey;
  std::optional<ReferralOutcome> referral;
};

class Ingest {
 public:
  // `async` counts OrderAsync calls in flight, `notifier` wakes the workers after a commit that
  // queued a survey; both outlive this object.
  Ingest(store::Store& store, const Clock& clock, Referrals& referrals, AsyncCalls& async,
         const WorkNotifier& notifier, Unsubscribes& unsubscribes);

  Result<IngestResult> Order(const store::Shop& shop, const OrderInput& order);
  // As Order, without blocking: `done` runs once, on the store's writer thread, when the order
  // is durable or failed. It must be quick and must not call the store.
  void OrderAsync(store::Shop shop, OrderInput order, std::function<void(Result<IngestResult>)> done);
  // Answered when every order is durable; the outcome is the one of the orders taken in turn.
  std::vector<Result<IngestResult>> Batch(const store::Shop& shop, const std::vector<OrderInput>& orders);
  // OrderAsync calls so far (for tests and diagnostics).
  uint64_t AsyncOrders() const { return async_orders_.load(std::memory_order_relaxed); }

 private:
  // A caller's orders, answered one by one as they are done.
  struct Call {
    explicit Call(size_t n) : results(n), pending(n) {}
    void Answer(size_t i, Result<IngestResult> r);
    void Wait();
    std::vector<std::optional<Result<IngestResult>>> results;
    std::mutex mu;
    std::condition_variable cv;
    size_t pending;
    // Instead of a waiting caller: run with the results once all are in (OrderAsync).
    std::function<void(Call&)> on_done;
    std::shared_ptr<void> owned;  // the shop and orders the QueuedOrders point into, if owned
  };
  // One order of a waiting call; the pointers live until the call is answered.
  struct QueuedOrder {
    std::shared_ptr<Call> call;
    size_t index = 0;
    const store::Shop* shop = nullptr;
    const OrderInput* order = nullptr;
    bool alone = false;  // one by one after the set's commit, in its call's order
  };
  // What one set write shares between its run and its finish.
  struct SetState {
    Instant now{};
    std::vector<std::optional<Result<IngestResult>>> results;
    std::vector<size_t> alone;  // to run one by one after the commit
  };
  using SetCoalescer = WriteCoalescer<QueuedOrder, SetState>;

  // Queues `q` for the set path, or for one by one when it cannot take it.
  void Submit(QueuedOrder q);
  // One by one (app/ingest.cc).
  void SubmitOne(QueuedOrder q);
  Result<IngestResult> IngestInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in, Instant now);
  // The stored customer merged with this order, or a new one inserted with its survey time set.
  struct Buyer;
  Result<Buyer> UpsertBuyerInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in, Instant now);
  Status DropUnsubscribedInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in, Instant now,
                              Buyer& b);
  Result<IngestResult> ReplayResult(store::Tx& tx, const store::Order& order);

  // The set path (app/ingest_set.cc).
  Status RunSet(store::Tx& tx, SetCoalescer::Set& set);
  void FinishSet(SetCoalescer::Set& set);
  // Orders of one shop (each with the caller's copy of its settings) with distinct order and
  // customer keys and no discount codes; results in their order. An error rolls back the set.
  struct SetWork;
  Result<std::vector<Result<IngestResult>>> IngestSetInTx(store::Tx& tx,
                                                          const std::vector<const QueuedOrder*>& in,
                                                          Instant now);
  Status FindReplaysInTx(store::Tx& tx, SetWork& w);
  Status PrepareCustomersInTx(store::Tx& tx, SetWork& w);
  Status DropUnsubscribedInTx(store::Tx& tx, SetWork& w);
  Status InsertOrdersInTx(store::Tx& tx, SetWork& w);
  Status InsertSurveysInTx(store::Tx& tx, SetWork& w);

  store::Store& store_;
  const Clock& clock_;
  Referrals& referrals_;
  AsyncCalls& async_;
  const WorkNotifier& notifier_;
  Unsubscribes& unsubscribes_;
  std::atomic<uint64_t> async_orders_{0};
  SetCoalescer set_;
};

}  // namespace vouch::app
