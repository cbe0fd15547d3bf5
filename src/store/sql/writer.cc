#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <type_traits>

#include "base/log.h"
#include "store/sql/dialect.h"
#include "store/sql/sql_store.h"
#include "store/sql/sql_tx.h"

namespace vouch::store::sql {
namespace {

struct WriteItem {
  std::function<Status(Tx&)> fn;
  std::function<void(Status)> done;
  int retries = 0;  // times it was rolled back for a deadlock or serialization failure
};

// A write that PostgreSQL aborted to break a deadlock (or a serialization failure) is run again
// this many times before its caller gets the error (kUnavailable, 503 over HTTP).
constexpr int kMaxRetries = 4;

class SqlStore final : public Store {
 public:
  // Readers are opened on first need, up to options.read_connections: a PostgreSQL connection is
  // a forked backend (~60 ms each here), and start-up waited for all of them before serving.
  SqlStore(std::unique_ptr<Connection> writer, ConnectionFactory factory, int schema_version,
           StoreOptions options)
      : writer_(std::move(writer)),
        factory_(std::move(factory)),
        dialect_(writer_->dialect()),
        schema_version_(schema_version),
        options_(options) {
    thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqlStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  void WriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) override {
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        done(Unavailable("store is shutting down"));
        return;
      }
      queue_.push_back(WriteItem{std::move(fn), std::move(done)});
    }
    cv_.notify_one();
  }

  std::string Kind() const override { return std::string(dialect_.Kind()); }
  int SchemaVersion() const override { return schema_version_; }
  WriterStats Stats() const override {
    WriterStats s;
    {
      std::lock_guard lock(mu_);
      s.queued = static_cast<int64_t>(queue_.size());
    }
    for (size_t i = 0; i < WriterStats::kBuckets; ++i) {
      s.commit_sizes[i] = commit_sizes_[i].load(std::memory_order_relaxed);
      s.commits += s.commit_sizes[i];
    }
    s.writes = writes_.load(std::memory_order_relaxed);
    return s;
  }

 protected:
  Status WriteErased(const std::function<Status(Tx&)>& fn) override {
    std::mutex m;
    std::condition_variable cv;
    std::optional<Status> result;
    WriteAsync([&fn](Tx& tx) { return fn(tx); },
               [&](Status s) {
                 std::lock_guard lock(m);
                 result.emplace(std::move(s));
                 cv.notify_one();
               });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return result.has_value(); });
    return std::move(*result);
  }

  Status ReadErased(const std::function<Status(ReadTx&)>& fn, bool one_statement) override {
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock lock(readers_mu_);
      const int most = std::max(1, options_.read_connections);
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty() || readers_open_ < most; });
      if (!idle_readers_.empty()) {
        conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      } else {
        ++readers_open_;
      }
    }
    if (!conn) {
      auto opened = factory_(false);
      if (!opened) {
        {
          std::lock_guard lock(readers_mu_);
          --readers_open_;
        }
        readers_cv_.notify_one();
        return opened.error();
      }
      conn = std::move(*opened);
    }
    Status result = RunRead(*conn, fn, one_statement);
    {
      std::lock_guard lock(readers_mu_);
      idle_readers_.push_back(std::move(conn));
    }
    readers_cv_.notify_one();
    return result;
  }

 private:
  Status RunRead(Connection& conn, const std::function<Status(ReadTx&)>& fn, bool one_statement) {
    SqlReadTx tx(conn);
    if (one_statement) return Guarded(fn, tx);  // autocommit: the statement is its own snapshot
    VOUCH_TRY(conn.Exec(dialect_.BeginRead()));
    Status s = Guarded(fn, tx);
    auto end = conn.Exec("COMMIT");
    if (s.ok() && !end.ok()) return end.error();
    return s;
  }

  template <class T>
  static Status Guarded(const std::function<Status(T&)>& fn, std::type_identity_t<T>& tx) {
    try {
      return fn(tx);
    } catch (const std::exception& e) {
      return Internal(std::string("unexpected exception: ") + e.what());
    }
  }

  void WriterLoop() {
    SqlTx tx(*writer_);
    while (true) {
      std::vector<WriteItem> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        while (!queue_.empty() && batch.size() < static_cast<size_t>(options_.max_batch)) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      Count(batch.size());
      CommitBatch(batch, tx);
    }
  }

  void Count(size_t n) {
    size_t bucket = 0;
    while (bucket + 1 < WriterStats::kBuckets && (size_t{1} << bucket) < n) ++bucket;
    commit_sizes_[bucket].fetch_add(1, std::memory_order_relaxed);
    writes_.fetch_add(n, std::memory_order_relaxed);
  }

  // Runs each item in its own savepoint inside one transaction; answers all after the commit.
  // A batch of one item (a set write function on its own, the common case under load) runs
  // without the savepoint and, if it fails, rolls the transaction back instead: two round trips
  // fewer per commit on PostgreSQL, and no statement journal for SQLite.
  //
  // An item whose statement the server aborted as a deadlock victim (or for a serialization
  // failure) is rolled back to its savepoint and run again in the next transaction, not in this
  // one: the deadlock's other side waits for rows that earlier items of this batch still hold, so
  // a retry before this COMMIT would meet the same cycle. After kMaxRetries it is answered with
  // the error. Other failures are answered at once, as before.
  void CommitBatch(std::vector<WriteItem>& batch, Tx& tx) {
    std::vector<Status> results;
    results.reserve(batch.size());
    std::vector<bool> again(batch.size(), false);
    auto begun = writer_->Exec(dialect_.BeginWrite());
    if (!begun) {
      for (auto& item : batch) item.done(begun.error());
      return;
    }
    const bool alone = batch.size() == 1;
    for (size_t i = 0; i < batch.size(); ++i) {
      WriteItem& item = batch[i];
      if (!alone) {
        auto sp = writer_->Exec("SAVEPOINT item");
        if (!sp) {
          results.push_back(sp.error());
          continue;
        }
      }
      (void)writer_->TakeRetryableFailure();  // only this item's statements count
      Status s = Guarded(item.fn, tx);
      if (!s.ok()) again[i] = writer_->TakeRetryableFailure() && item.retries < kMaxRetries;
      if (!alone) {
        if (!s.ok()) {
          auto rb = writer_->Exec("ROLLBACK TO SAVEPOINT item");
          if (!rb) Log(LogLevel::kError, "store.rollback_failed", {{"error", rb.error().message}});
        }
        auto rel = writer_->Exec("RELEASE SAVEPOINT item");
        if (!rel && s.ok()) s = rel.error();
      }
      results.push_back(std::move(s));
    }
    if (alone && !results.front().ok()) {
      auto rb = writer_->Exec("ROLLBACK");
      if (!rb) Log(LogLevel::kError, "store.rollback_failed", {{"error", rb.error().message}});
    } else if (auto commit = writer_->Exec("COMMIT"); !commit) {
      Log(LogLevel::kError, "store.commit_failed", {{"error", commit.error().message}});
      auto rb = writer_->Exec("ROLLBACK");
      (void)rb;
      for (auto& item : batch) item.done(Unavailable("commit failed: " + commit.error().message));
      return;
    }
    std::vector<WriteItem> retry;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (again[i]) {
        Log(LogLevel::kInfo, "store.write_retry",
            {{"error", results[i].error().message}, {"attempt", std::to_string(batch[i].retries + 1)}});
        ++batch[i].retries;
        retry.push_back(std::move(batch[i]));
      } else {
        batch[i].done(std::move(results[i]));
      }
    }
    if (!retry.empty()) {
      std::lock_guard lock(mu_);
      // Ahead of newer writes, in their original order.
      for (auto it = retry.rbegin(); it != retry.rend(); ++it) queue_.push_front(std::move(*it));
    }
  }

  std::unique_ptr<Connection> writer_;
  ConnectionFactory factory_;
  const Dialect& dialect_;  // the writer's; every connection of one store has the same
  int schema_version_;
  StoreOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WriteItem> queue_;
  std::array<std::atomic<uint64_t>, WriterStats::kBuckets> commit_sizes_{};
  std::atomic<uint64_t> writes_{0};
  bool stopping_ = false;
  std::thread thread_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int readers_open_ = 0;  // idle or in use
};

}  // namespace

Result<std::unique_ptr<Store>> MakeSqlStore(const ConnectionFactory& factory, int schema_version,
                                            const StoreOptions& options) {
  auto writer = factory(true);
  if (!writer) return writer.error();
  return std::unique_ptr<Store>(
      std::make_unique<SqlStore>(std::move(*writer), factory, schema_version, options));
}

}  // namespace vouch::store::sql
