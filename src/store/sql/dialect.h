#pragma once
// sql::Dialect: what differs between the SQL databases under the store, chosen once per
// connection (Connection::dialect()). Everything else is one portable SQL text.
//
// The differences: how a transaction begins; row locks when claiming jobs (PostgreSQL: FOR UPDATE
// SKIP LOCKED, since several nodes claim at once; SQLite has one writer and no row locks); and
// the set forms, statements over many rows. On PostgreSQL each statement is a round trip, so a
// set form is one statement whatever the number of rows (up to 2,000 per statement): every
// column goes as one array parameter (unnest() for inserts and updates, = ANY() for look-ups).
// On SQLite, where a statement is a function call, rows go in chunks (ForChunks, rows.h) of
// multi-row VALUES lists and IN lists, and updates one prepared statement per row.
//
// Implementations are singletons (SqliteDialect(), PostgresDialect()), thread-safe; SQLite's keeps
// one memo, the SQL text of each statement shape it built (under a mutex, at most 512 shapes).
// The set forms run on the connection they are given; errors are that connection's.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/sql/connection.h"
#include "store/sql/function_ref.h"

namespace vouch::store::sql {

// Appends row i's values (one per column, in column order) to `values`.
using RowWriter = FunctionRef<void(size_t i, std::vector<Value>& values)>;
// Called for each row a statement returns.
using RowSink = std::function<void(Row&)>;

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite" or "postgres": the migrations' folder, and what /healthz reports.
  virtual std::string_view Kind() const = 0;
  // Begins a write transaction (also each migration's).
  virtual std::string_view BeginWrite() const = 0;
  // Begins a read transaction: one consistent snapshot.
  virtual std::string_view BeginRead() const = 0;
  // Appended to the sub-select that picks the jobs to claim: "" or " FOR UPDATE SKIP LOCKED".
  virtual std::string_view SkipLocked() const = 0;

  // Calls `each` for the shop's rows of `table` (columns `cols`) whose external_id is one of `keys`.
  virtual Status SelectByKeys(Connection& c, std::string_view table, std::string_view cols, int64_t shop,
                              const std::vector<std::string>& keys, const RowSink& each) const = 0;
  // Calls `each` for the rows `SELECT cols FROM table WHERE [where AND] id_col IN ids` + `tail`.
  // `lead` are the parameters `where` uses (?1…).
  virtual Status SelectByIds(Connection& c, std::string_view cols, std::string_view table,
                             std::string_view id_col, std::string_view where, const std::vector<Value>& lead,
                             const std::vector<int64_t>& ids, std::string_view tail,
                             const RowSink& each) const = 0;
  // Inserts n rows into `table` (`cols`, of PostgreSQL `types`), row i's values written by `row`,
  // followed by `tail` (ON CONFLICT …, RETURNING …), calling `each` per returned row.
  // `const_col` = `const_value`, when given, is one more column, the same in every row.
  virtual Status InsertRows(Connection& c, std::string_view table, std::string_view cols,
                            std::initializer_list<const char*> types, size_t n, RowWriter row,
                            std::string_view tail, const RowSink& each, const char* const_col = nullptr,
                            const char* const_value = nullptr) const = 0;
  // n ids for rows about to be inserted into `table` (an integer `id` primary key) by this
  // transaction, which inserts them with those ids: the ids other rows refer to are then known
  // before the rows are written (ingest links each order to its survey in the order's own insert).
  // SQLite: the next n after the table's largest id, the ids SQLite itself would give (the one
  // writer holds the database until the transaction ends); PostgreSQL: n values of the column's
  // sequence (unique across nodes; a rolled-back transaction leaves a gap, as any insert does).
  virtual Result<std::vector<int64_t>> TakeIds(Connection& c, std::string_view table, size_t n) const = 0;
  // Runs `head` ("UPDATE … WHERE id ") completed by "IN (ids)" for all of `ids`.
  virtual Status UpdateByIds(Connection& c, std::string_view head, const std::vector<int64_t>& ids) const = 0;
  // Sets `set_cols` of n rows of `table`, found by `key_col`; row i's values (key first, then
  // set_cols in order, of PostgreSQL `types`) written by `row`.
  virtual Status UpdateRows(Connection& c, std::string_view table, std::string_view key_col,
                            std::initializer_list<const char*> set_cols,
                            std::initializer_list<const char*> types, size_t n, RowWriter row) const = 0;
};

const Dialect& SqliteDialect();
const Dialect& PostgresDialect();

}  // namespace vouch::store::sql
