#pragma once
// The store: the single source of truth, including the durable job queue.
//
// Shape. A Store runs functions in transactions: Write/WriteAsync hand theirs a Tx, Read/ReadOne a
// ReadTx (store/tx.h). A transaction is a set of repositories, one per aggregate (store/repos/:
// shops, customers, orders, surveys, referrals, jobs, templates, reports, meta, users), reached as
// `tx.orders().Find(shop, id)`. Each repository is a reads interface (OrderReads) and a full one
// deriving from it (Orders); a ReadTx only reaches the reads, so a read cannot write.
// Implementations: store/sql/ implements every repository once in SQL over a sql::Connection
// (sql_<aggregate>.cc, composed by sql_tx.h; row mappers and set-form helpers in rows.h), and
// writer.cc is the Store (group commit, reader pool). The few statements that differ between
// databases ask a sql::Dialect (store/sql/dialect.h). A new backend is a Connection, a Dialect
// and its migrations (migrations/<kind>/), wired up in store/open.cc.
//
// Writes run on the store's single writer, which groups concurrent write functions into one
// transaction (group commit): each function runs inside its own savepoint, so a failing one is
// rolled back alone, and Write() returns only after the shared COMMIT is durable. Reads run on a
// pool of read connections, each in its own snapshot. Store is thread-safe.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records.h"
#include "store/tx.h"

namespace vouch::store {

// What the writer did so far, for /metrics: write functions waiting now, and per commit how many
// write functions it held (group commit), counted in buckets of at most 1, 2, 4, ... 256 and more.
struct WriterStats {
  static constexpr size_t kBuckets = 10;  // <=1, <=2, <=4, ..., <=256, more
  int64_t queued = 0;
  uint64_t commits = 0;
  uint64_t writes = 0;
  std::array<uint64_t, kBuckets> commit_sizes{};  // per bucket, not cumulative
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
  Result<T> Read(const std::function<Result<T>(ReadTx&)>& fn) {
    return ReadWith<T>(fn, false);
  }

  // As Read, for a function that runs exactly one SELECT: no transaction around it (one
  // statement is its own consistent snapshot), which saves PostgreSQL two of its three round
  // trips. Only for single reads; anything needing several statements to agree uses Read.
  template <class T>
  Result<T> ReadOne(const std::function<Result<T>(ReadTx&)>& fn) {
    return ReadWith<T>(fn, true);
  }

  // Queues `fn` for the writer; `done` runs (on the writer thread) after the commit that holds
  // fn's writes is durable, or with the error that rolled them back. Never blocks.
  virtual void WriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) = 0;

  // "sqlite" or "postgres".
  virtual std::string Kind() const = 0;
  virtual int SchemaVersion() const = 0;
  // The writer's counters (cheap: relaxed atomics on the writer thread; the queue read under its
  // lock). A store without a writer of its own reports zeros.
  virtual WriterStats Stats() const { return {}; }

 protected:
  virtual Status WriteErased(const std::function<Status(Tx&)>& fn) = 0;
  // `one_statement`: run `fn` without BEGIN/COMMIT (ReadOne).
  virtual Status ReadErased(const std::function<Status(ReadTx&)>& fn, bool one_statement) = 0;

 private:
  template <class T>
  Result<T> ReadWith(const std::function<Result<T>(ReadTx&)>& fn, bool one_statement) {
    std::optional<Result<T>> out;
    Status s = ReadErased(
        [&](ReadTx& tx) -> Status {
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
  int max_batch = 512;           // write functions per group commit
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
