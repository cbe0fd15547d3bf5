#include "store/sql/dialect.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "store/sql/rows.h"

namespace vouch::store::sql {
namespace {

// Set statements' text, built once per shape (the parts it is made of and its row count) rather
// than formatted per chunk: a 256-row insert of orders is ~20 kB of placeholders, and formatting
// it was a tenth of the writer's time on batches. Bounded: past kMaxShapes it starts over (shapes
// are few: one per call site and chunk size). Thread-safe.
class StatementMemo {
 public:
  template <class Build>
  std::shared_ptr<const std::string> Get(std::initializer_list<std::string_view> parts, size_t n,
                                         Build&& build) const {
    std::string key = std::to_string(n);
    for (std::string_view part : parts) {
      key += '\x1f';
      key += part;
    }
    std::lock_guard lock(mu_);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (memo_.size() >= kMaxShapes) memo_.clear();
    auto sql = std::make_shared<const std::string>(build());
    memo_.emplace(std::move(key), sql);
    return sql;
  }

 private:
  static constexpr size_t kMaxShapes = 512;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> memo_;
};

// SQLite: multi-row VALUES lists and IN lists in chunks (ForChunks); a prepared UPDATE per row
// costs no round trip.
class Sqlite final : public Dialect {
 public:
  std::string_view Kind() const override { return "sqlite"; }
  std::string_view BeginWrite() const override { return "BEGIN IMMEDIATE"; }
  std::string_view BeginRead() const override { return "BEGIN"; }
  std::string_view SkipLocked() const override { return ""; }

  Status SelectByKeys(Connection& c, std::string_view table, std::string_view cols, int64_t shop,
                      const std::vector<std::string>& keys, const RowSink& each) const override {
    if (keys.empty()) return OkStatus();
    return ForChunks(keys.size(), [&](size_t at, size_t n) {
      std::vector<Value> params;
      params.reserve(n + 1);
      params.emplace_back(shop);
      for (size_t i = at; i < at + n; ++i) params.emplace_back(keys[i]);
      auto sql = memo_.Get({"keys", table, cols}, n, [&] {
        return fmt::format("SELECT {} FROM {} WHERE shop_id = ?1 AND external_id IN ({})", cols, table,
                           Placeholders(n, 2));
      });
      return c.QueryEach(*sql, params, each);
    });
  }

  Status SelectByIds(Connection& c, std::string_view cols, std::string_view table, std::string_view id_col,
                     std::string_view where, const std::vector<Value>& lead, const std::vector<int64_t>& ids,
                     std::string_view tail, const RowSink& each) const override {
    if (ids.empty()) return OkStatus();
    const size_t first = lead.size() + 1;
    const std::string_view and_ = where.empty() ? "" : " AND ";
    return ForChunks(ids.size(), [&](size_t at, size_t n) {
      std::vector<Value> params = lead;
      for (size_t i = at; i < at + n; ++i) params.emplace_back(ids[i]);
      auto sql = memo_.Get({"ids", cols, table, where, id_col, tail, std::to_string(first)}, n, [&] {
        return fmt::format("SELECT {} FROM {} WHERE {}{}{} IN ({}){}", cols, table, where, and_, id_col,
                           Placeholders(n, first), tail);
      });
      return c.QueryEach(*sql, params, each);
    });
  }

  Status InsertRows(Connection& c, std::string_view table, std::string_view cols,
                    std::initializer_list<const char*> types, size_t n, RowWriter row, std::string_view tail,
                    const RowSink& each, const char* const_col, const char* const_value) const override {
    if (n == 0) return OkStatus();
    const size_t width = types.size();
    const std::string columns = const_col ? fmt::format("{}, {}", cols, const_col) : std::string(cols);
    std::vector<Value> values;
    return ForChunks(n, [&](size_t at, size_t size) {
      values.clear();
      values.reserve(size * width);
      for (size_t i = at; i < at + size; ++i) row(i, values);
      auto sql = memo_.Get(
          {"insert", table, columns, tail, const_value ? const_value : "\x01", std::to_string(width)}, size,
          [&] {
            std::string list;
            for (size_t r = 0; r < size; ++r) {
              list += r ? ", (" : "(";
              list += Placeholders(width, r * width + 1);
              if (const_value) fmt::format_to(std::back_inserter(list), ", {}", const_value);
              list += ')';
            }
            return fmt::format("INSERT INTO {} ({}) VALUES {}{}", table, columns, list, tail);
          });
      return c.QueryEach(*sql, values, each);
    });
  }

  Result<std::vector<int64_t>> TakeIds(Connection& c, std::string_view table, size_t n) const override {
    std::vector<int64_t> ids;
    if (n == 0) return ids;
    auto rows = c.Query(fmt::format("SELECT COALESCE(MAX(id), 0) FROM {}", table), {});
    if (!rows) return rows.error();
    const int64_t last = rows->empty() ? 0 : Int(rows->front(), 0);
    ids.reserve(n);
    for (size_t i = 1; i <= n; ++i) ids.push_back(last + static_cast<int64_t>(i));
    return ids;
  }

  Status UpdateByIds(Connection& c, std::string_view head, const std::vector<int64_t>& ids) const override {
    if (ids.empty()) return OkStatus();
    return ForChunks(ids.size(), [&](size_t at, size_t n) -> Status {
      std::vector<Value> params(ids.begin() + static_cast<std::ptrdiff_t>(at),
                                ids.begin() + static_cast<std::ptrdiff_t>(at + n));
      auto sql =
          memo_.Get({"update", head}, n, [&] { return fmt::format("{}IN ({})", head, Placeholders(n, 1)); });
      return Exec(c, *sql, params);
    });
  }

  Status UpdateRows(Connection& c, std::string_view table, std::string_view key_col,
                    std::initializer_list<const char*> set_cols, std::initializer_list<const char*> /*types*/,
                    size_t n, RowWriter row) const override {
    // "UPDATE t SET a = ?2, b = ?3 WHERE key = ?1", the statement a lone update runs.
    std::string sql = fmt::format("UPDATE {} SET ", table);
    size_t p = 2;
    for (const char* col : set_cols) {
      fmt::format_to(std::back_inserter(sql), "{}{} = ?{}", p > 2 ? ", " : "", col, p);
      ++p;
    }
    fmt::format_to(std::back_inserter(sql), " WHERE {} = ?1", key_col);
    std::vector<Value> values;
    for (size_t i = 0; i < n; ++i) {
      values.clear();
      row(i, values);
      VOUCH_TRY(Exec(c, sql, values));
    }
    return OkStatus();
  }

 private:
  StatementMemo memo_;
};

// PostgreSQL: every column one array parameter, at most kPgRows rows per statement.
class Postgres final : public Dialect {
 public:
  std::string_view Kind() const override { return "postgres"; }
  // Writes in READ COMMITTED (row locks and ON CONFLICT keep concurrent nodes correct); each read
  // in one consistent snapshot.
  std::string_view BeginWrite() const override { return "BEGIN"; }
  std::string_view BeginRead() const override { return "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"; }
  // Several nodes claim at once: SKIP LOCKED passes over rows another node's open transaction is
  // claiming.
  std::string_view SkipLocked() const override { return " FOR UPDATE SKIP LOCKED"; }

  Status SelectByKeys(Connection& c, std::string_view table, std::string_view cols, int64_t shop,
                      const std::vector<std::string>& keys, const RowSink& each) const override {
    if (keys.empty()) return OkStatus();
    // One index probe per key (LATERAL … LIMIT 1 keeps the planner from turning it into a
    // join), not `external_id = ANY(…)`: on a table not yet analyzed (a new database filling up,
    // before autovacuum's first ANALYZE) the planner took the (shop_id, phone) index for that
    // and checked every row of the shop against the whole array — 0.6 s per 2,000-key look-up
    // at 40k customers. Equality on both columns of the unique index wins whatever the stats —
    // in a plan made for the call's values. Prepared, the statement went to PostgreSQL's generic
    // plan after its fifth run, and that plan took an index on shop_id alone and filtered every
    // row of the shop by key (12–16 ms per look-up; single orders at a third of their rate:
    // docs/BENCHMARKS.md, session 26), so it is planned on every call.
    return ForBlocks(keys.size(), [&](size_t at, size_t n) {
      return c.QueryEachUnprepared(
          fmt::format("SELECT t.* FROM (SELECT DISTINCT unnest(?2::text[])) AS k(key) CROSS JOIN "
                      "LATERAL (SELECT {} FROM {} WHERE shop_id = ?1 AND external_id = k.key "
                      "LIMIT 1) AS t",
                      cols, table),
          {shop, Array(n, [&](size_t i) { return Value{keys[at + i]}; })}, each);
    });
  }

  // One `= ANY(array)` (here the id column leads the only index that fits, unlike SelectByKeys').
  Status SelectByIds(Connection& c, std::string_view cols, std::string_view table, std::string_view id_col,
                     std::string_view where, const std::vector<Value>& lead, const std::vector<int64_t>& ids,
                     std::string_view tail, const RowSink& each) const override {
    if (ids.empty()) return OkStatus();
    const size_t first = lead.size() + 1;
    const std::string_view and_ = where.empty() ? "" : " AND ";
    const std::string sql = fmt::format("SELECT {} FROM {} WHERE {}{}{} = ANY(?{}::bigint[]){}", cols, table,
                                        where, and_, id_col, first, tail);
    return ForBlocks(ids.size(), [&](size_t at, size_t n) {
      std::vector<Value> params = lead;
      params.emplace_back(Array(n, [&](size_t i) { return Value{ids[at + i]}; }));
      return c.QueryEach(sql, params, each);
    });
  }

  Status InsertRows(Connection& c, std::string_view table, std::string_view cols,
                    std::initializer_list<const char*> types, size_t n, RowWriter row, std::string_view tail,
                    const RowSink& each, const char* const_col, const char* const_value) const override {
    if (n == 0) return OkStatus();
    const size_t width = types.size();
    const std::string columns = const_col ? fmt::format("{}, {}", cols, const_col) : std::string(cols);
    const std::string sql =
        fmt::format("INSERT INTO {} ({}) SELECT *{}{} FROM unnest({}){}", table, columns,
                    const_col ? ", " : "", const_value ? const_value : "", Arrays(types, 1), tail);
    return RunBlocks(c, sql, width, n, row, each);
  }

  Result<std::vector<int64_t>> TakeIds(Connection& c, std::string_view table, size_t n) const override {
    std::vector<int64_t> ids;
    if (n == 0) return ids;
    ids.reserve(n);
    VOUCH_TRY(c.QueryEach(
        fmt::format("SELECT nextval(pg_get_serial_sequence('{}', 'id')) FROM generate_series(1, ?1::bigint)",
                    table),
        {static_cast<int64_t>(n)}, [&](Row& r) { ids.push_back(Int(r, 0)); }));
    if (ids.size() != n) return Internal("the id sequence gave fewer ids than asked");
    return ids;
  }

  Status UpdateByIds(Connection& c, std::string_view head, const std::vector<int64_t>& ids) const override {
    if (ids.empty()) return OkStatus();
    return ForBlocks(ids.size(), [&](size_t at, size_t n) {
      return Exec(c, fmt::format("{}= ANY(?1::bigint[])", head),
                  {Array(n, [&](size_t i) { return Value{ids[at + i]}; })});
    });
  }

  Status UpdateRows(Connection& c, std::string_view table, std::string_view key_col,
                    std::initializer_list<const char*> set_cols, std::initializer_list<const char*> types,
                    size_t n, RowWriter row) const override {
    if (n == 0) return OkStatus();
    // "UPDATE t AS s SET a = u.a, … FROM unnest(?1::bigint[], …) AS u(key, a, …) WHERE s.key = u.key"
    std::string sql = fmt::format("UPDATE {} AS s SET ", table);
    std::string names(key_col);
    bool first = true;
    for (const char* col : set_cols) {
      fmt::format_to(std::back_inserter(sql), "{}{} = u.{}", first ? "" : ", ", col, col);
      fmt::format_to(std::back_inserter(names), ", {}", col);
      first = false;
    }
    fmt::format_to(std::back_inserter(sql), " FROM unnest({}) AS u({}) WHERE s.{} = u.{}", Arrays(types, 1),
                   names, key_col, key_col);
    return RunBlocks(c, sql, types.size(), n, row, [](Row&) {});
  }

 private:
  // Statements take at most this many rows each (same SQL text for every block): a 10,000-order
  // batch's items in one statement would stretch toward the statement timeout.
  static constexpr size_t kPgRows = 2000;

  template <class F>
  static Status ForBlocks(size_t n, F&& fn) {
    for (size_t at = 0; at < n; at += kPgRows) VOUCH_TRY(fn(at, std::min(kPgRows, n - at)));
    return OkStatus();
  }

  // "?1::bigint[], ?2::text[]": one array parameter per type, numbered from `first`.
  static std::string Arrays(std::initializer_list<const char*> types, size_t first) {
    std::string out;
    size_t col = 0;
    for (const char* type : types) {
      fmt::format_to(std::back_inserter(out), "{}?{}::{}[]", col ? ", " : "", first + col, type);
      ++col;
    }
    return out;
  }

  // Runs `sql` (one array parameter per column) for blocks of the n rows `row` writes.
  static Status RunBlocks(Connection& c, const std::string& sql, size_t width, size_t n, RowWriter row,
                          const RowSink& each) {
    std::vector<Value> values;
    return ForBlocks(n, [&](size_t at, size_t size) {
      values.clear();
      values.reserve(size * width);
      for (size_t i = at; i < at + size; ++i) row(i, values);
      std::vector<Value> params;
      for (size_t col = 0; col < width; ++col) {
        params.emplace_back(Array(size, [&](size_t i) { return values[i * width + col]; }));
      }
      return c.QueryEach(sql, params, each);
    });
  }

  // A PostgreSQL array literal of n values, '{"a","b",NULL}', for one array parameter.
  template <class F>
  static std::string Array(size_t n, F value) {
    std::string out = "{";
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      const Value v = value(i);
      if (std::holds_alternative<std::monostate>(v)) {
        out += "NULL";
        continue;
      }
      out += '"';
      const std::string text = std::holds_alternative<std::string>(v) ? std::get<std::string>(v)
                               : std::holds_alternative<int64_t>(v)   ? std::to_string(std::get<int64_t>(v))
                                                                    : fmt::format("{}", std::get<double>(v));
      for (char ch : text) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
      }
      out += '"';
    }
    out += '}';
    return out;
  }
};

}  // namespace

std::string_view Connection::Kind() const { return dialect().Kind(); }

const Dialect& SqliteDialect() {
  static const Sqlite dialect;
  return dialect;
}

const Dialect& PostgresDialect() {
  static const Postgres dialect;
  return dialect;
}

}  // namespace vouch::store::sql
