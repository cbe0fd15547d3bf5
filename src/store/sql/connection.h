#pragma once
// A minimal SQL connection seam under the store: one SQL text for every backend, with numbered
// parameters written "?1", "?2" (SQLite's form; the PostgreSQL adapter rewrites them to "$1").
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace vouch::store::sql {

class Dialect;

using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;

inline Value Null() { return std::monostate{}; }
inline Value Opt(const std::optional<int64_t>& v) { return v ? Value{*v} : Null(); }
inline Value Opt(const std::optional<Instant>& v) { return v ? Value{ToUnixMillis(*v)} : Null(); }
inline Value Opt(const std::optional<bool>& v) { return v ? Value{int64_t{*v ? 1 : 0}} : Null(); }
inline Value Ms(Instant t) { return Value{ToUnixMillis(t)}; }

int64_t Int(const Row& r, size_t i);  // NULL reads as 0
std::optional<int64_t> OptInt(const Row& r, size_t i);
std::string Text(const Row& r, size_t i);  // NULL reads as ""
inline std::optional<bool> OptBool(const Row& r, size_t i) {
  auto v = OptInt(r, i);
  return v ? std::optional<bool>(*v != 0) : std::nullopt;
}
inline Instant Time(const Row& r, size_t i) { return FromUnixMillis(Int(r, i)); }
inline std::optional<Instant> OptTime(const Row& r, size_t i) {
  auto v = OptInt(r, i);
  return v ? std::optional<Instant>(FromUnixMillis(*v)) : std::nullopt;
}

// Not thread-safe: one thread uses a connection at a time.
// Errors: kAlreadyExists for a unique-constraint violation, kUnavailable for busy/locked/IO
// faults, kInternal for SQL errors.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Calls `row` for each result row in turn. The Row is reused for the next one unless `row`
  // moves it away, so long results (report rollups) need not all live at once: materialising
  // 8,760 rows as a vector<Row> cost more in page faults than SQLite took to read them.
  virtual Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                           const std::function<void(Row&)>& row) = 0;
  // QueryEach for a statement whose best plan depends on the values bound: the server plans it
  // for these values on every call rather than preparing it once (PostgreSQL: the unnamed
  // statement; a prepared one goes to a generic plan after its fifth run). SQLite plans from
  // the SQL alone: there it is QueryEach.
  virtual Status QueryEachUnprepared(std::string_view sql, const std::vector<Value>& params,
                                     const std::function<void(Row&)>& row) {
    return QueryEach(sql, params, row);
  }
  // Every row at once.
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params = {}) {
    std::vector<Row> rows;
    VOUCH_TRY(QueryEach(sql, params, [&rows](Row& r) { rows.push_back(std::move(r)); }));
    return rows;
  }
  // Runs several statements without parameters (migrations).
  virtual Status Script(std::string_view sql) = 0;
  // The SQL dialect behind the connection (store/sql/dialect.h): the few statements that cannot
  // be portable (row locks, set forms) take their form from it. Lives as long as the program.
  virtual const Dialect& dialect() const = 0;
  // The dialect's name, "sqlite" or "postgres" (for reporting).
  std::string_view Kind() const;
  // True when a statement failed, since the last call, with an error the server marks as safe to
  // run again (PostgreSQL: deadlock_detected 40P01, serialization_failure 40001): the work it was
  // part of, rolled back, can be retried unchanged. Clears the mark. SQLite never sets it.
  virtual bool TakeRetryableFailure() { return false; }
};

}  // namespace vouch::store::sql
