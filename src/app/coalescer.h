#pragma once
// WriteCoalescer<Item, State>: turns items submitted concurrently (orders, answer clicks) into
// few write functions on the store's writer, each taking every item waiting (up to a maximum) and
// writing them as one set.
//
// How it runs: items wait in a queue while a write function to take them is queued or running; at
// most one such function is queued at a time, so items that arrive while the writer is busy share
// the next one. When the function first runs it takes whole groups (items submitted together stay
// together, in order) up to `max_items`, unless one group alone has more, and queues another
// function for the rest (which may then join the same commit). Then:
//   - `run(tx, set)` writes the set in the writer's transaction. The writer may run it again with
//     the same items (a deadlock retry): `set.runs` counts the runs, and run must start over.
//   - after the commit is durable, `finish(set)` answers the set's items;
//   - if run failed (or the commit did), the writer has undone the set, the coalescer logs
//     `log_event` with the number of items and hands each item to `alone(item)`, which runs it by
//     itself, so one bad item still fails alone;
//   - if the function never ran (the store is shutting down), every waiting item is given to
//     `refuse(item, error)` with the store's error (or kInternal `not_run_message`).
// Every item submitted is handed exactly once to finish (through its set), alone or refuse.
//
// Thread safety: Submit may be called from any thread, and never blocks on the store; the
// callbacks run on the store's writer thread and must be quick and not block on the store. The
// coalescer must outlive every set it queued: its owner waits until every item was answered
// before destroying it. Errors: store errors reach finish/alone/refuse as described; Submit only
// throws std::bad_alloc.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/result.h"
#include "store/store.h"

namespace vouch::app {

template <class Item, class State>
class WriteCoalescer {
 public:
  // The items one write function took, and what its run and finish share.
  struct Set {
    std::vector<Item> items;
    State state{};
    int runs = 0;  // times run was called, this one included
  };
  struct Options {
    size_t max_items = 1000;  // per set, unless one group alone has more
    std::string log_event;    // logged when a set fails and its items run alone
    std::string log_count_key = "items";
    std::string not_run_message = "set not run";
  };
  struct Callbacks {
    std::function<Status(store::Tx&, Set&)> run;
    std::function<void(Set&)> finish;
    std::function<void(Item&&)> alone;
    std::function<void(Item&, const Error&)> refuse;
  };

  WriteCoalescer(store::Store& store, Options options, Callbacks callbacks)
      : store_(store), options_(std::move(options)), callbacks_(std::move(callbacks)) {}
  WriteCoalescer(const WriteCoalescer&) = delete;
  WriteCoalescer& operator=(const WriteCoalescer&) = delete;

  // Queues one item. `queued`, when given, is set once the item is in the queue (so a caller
  // whose Submit threw knows whether it will still be answered).
  void Submit(Item item, bool* queued = nullptr) {
    {
      std::lock_guard lock(mu_);
      // Room first, so that an allocation failure leaves both queues as they were.
      MakeRoom(pending_, 1);
      MakeRoom(groups_, 1);
      pending_.push_back(std::move(item));
      groups_.push_back(1);
      if (queued) *queued = true;
      if (scheduled_) return;
      scheduled_ = true;
    }
    Schedule();
  }

  // Queues items that go in one set, in this order.
  void SubmitGroup(std::vector<Item> items) {
    if (items.empty()) return;
    {
      std::lock_guard lock(mu_);
      // Room first, so that an allocation failure leaves both queues as they were.
      MakeRoom(pending_, items.size());
      MakeRoom(groups_, 1);
      for (auto& item : items) pending_.push_back(std::move(item));
      groups_.push_back(items.size());
      if (scheduled_) return;
      scheduled_ = true;
    }
    Schedule();
  }

 private:
  // Capacity for `n` more elements, growing geometrically (reserve alone would grow by exactly n).
  template <class V>
  static void MakeRoom(V& v, size_t n) {
    if (v.capacity() - v.size() < n) v.reserve(std::max(v.size() + n, 2 * v.capacity()));
  }

  struct Queued {
    bool taken = false;  // the function ran and took its items (fixed for a retry)
    Set set;
  };

  void Schedule() {
    auto q = std::make_shared<Queued>();
    store_.WriteAsync(
        [this, q](store::Tx& tx) -> Status {
          if (!q->taken) {
            q->taken = true;
            if (Take(q->set.items)) Schedule();  // the rest in the next function, maybe the same commit
          }
          ++q->set.runs;
          return callbacks_.run(tx, q->set);
        },
        [this, q](Status s) { Finish(*q, s); });
  }

  // Moves whole groups into `into`, up to max_items unless the first group alone has more.
  // Returns whether items are left (another function is then due).
  bool Take(std::vector<Item>& into) {
    std::lock_guard lock(mu_);
    size_t groups = 0, items = 0;
    while (groups < groups_.size() && (groups == 0 || items + groups_[groups] <= options_.max_items)) {
      items += groups_[groups];
      ++groups;
    }
    into.reserve(items);
    for (size_t i = 0; i < items; ++i) into.push_back(std::move(pending_[i]));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(items));
    groups_.erase(groups_.begin(), groups_.begin() + static_cast<std::ptrdiff_t>(groups));
    const bool more = !pending_.empty();
    if (!more) scheduled_ = false;
    return more;
  }

  void Finish(Queued& q, const Status& s) {
    if (!q.taken) {  // never ran: the store is shutting down; answer what waits
      std::vector<Item> waiting;
      {
        std::lock_guard lock(mu_);
        waiting.swap(pending_);
        groups_.clear();
        scheduled_ = false;
      }
      const Error error = s.ok() ? Internal(options_.not_run_message) : s.error();
      for (auto& item : waiting) callbacks_.refuse(item, error);
      return;
    }
    if (s.ok()) {
      callbacks_.finish(q.set);
      return;
    }
    Log(LogLevel::kInfo, options_.log_event,
        {{options_.log_count_key, std::to_string(q.set.items.size())},
         {"error", RedactContacts(s.error().message)}});
    for (auto& item : q.set.items) callbacks_.alone(std::move(item));
  }

  store::Store& store_;
  const Options options_;
  const Callbacks callbacks_;
  std::mutex mu_;
  std::vector<Item> pending_;
  std::vector<size_t> groups_;  // sizes of the groups in pending_, in order
  bool scheduled_ = false;
};

}  // namespace vouch::app
