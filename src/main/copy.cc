#include "main/copy.h"

#include <fmt/format.h>

#include "store/postgres/pg_connection.h"
#include "store/sql/connection.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace vouch::main {
namespace {

using store::sql::Connection;
using store::sql::Row;
using store::sql::Value;

// Every table of the schema (version 19) but nps_daily_total, parents before children. That one
// is derived: the target's trigger fills it as nps_daily's rows arrive, and Verify compares it.
constexpr const char* kTables[] = {"meta",
                                   "shops",
                                   "customers",
                                   "orders",
                                   "order_items",
                                   "surveys",
                                   "clicks",
                                   "nps_daily",
                                   "referral_codes",
                                   "share_visits",
                                   "referrals",
                                   "rewards",
                                   "jobs",
                                   "templates",
                                   "users",
                                   "sessions",
                                   "api_keys",
                                   "followups",
                                   "order_refunds",
                                   "reward_entries",
                                   "hook_deliveries",
                                   "campaigns",
                                   "campaign_codes",
                                   "unsubscribes",
                                   "shop_sends",
                                   "sms_optouts",
                                   "webhook_endpoints",
                                   "webhook_deliveries",
                                   "experiments",
                                   "experiment_variants",
                                   "experiment_assignments",
                                   "defined_themes",
                                   "holdout_draws",
                                   "audiences",
                                   "audience_offers",
                                   "promoter_networks"};
// Tables whose `id` is an identity column on PostgreSQL.
constexpr const char* kIdentityTables[] = {"shops",
                                           "customers",
                                           "orders",
                                           "surveys",
                                           "referral_codes",
                                           "referrals",
                                           "rewards",
                                           "jobs",
                                           "users",
                                           "sessions",
                                           "api_keys",
                                           "order_refunds",
                                           "reward_entries",
                                           "campaigns",
                                           "webhook_endpoints",
                                           "webhook_deliveries",
                                           "experiments",
                                           "defined_themes",
                                           "audiences",
                                           "promoter_networks"};
constexpr int64_t kPage = 5000;       // source rows read at a time
constexpr size_t kMaxParams = 30000;  // per INSERT (PostgreSQL allows 65535)

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}

Result<std::vector<std::string>> SqliteColumns(Connection& src, const std::string& table) {
  auto rows = src.Query("SELECT name FROM pragma_table_info(?1) ORDER BY cid", {table});
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(store::sql::Text(r, 0));
  if (out.empty()) return Internal("source has no table " + table);
  return out;
}

Result<int64_t> CountRows(Connection& c, const std::string& table) {
  auto rows = c.Query("SELECT COUNT(*) FROM " + table);
  if (!rows) return rows.error();
  return store::sql::Int(rows->front(), 0);
}

// Answers per score of every shop, from a rollup table (nps_daily or nps_daily_total).
Result<std::vector<std::pair<int64_t, core::ScoreCounts>>> NpsByShop(Connection& c,
                                                                     const std::string& table) {
  std::string sql = "SELECT shop_id";
  for (int s = 0; s <= 10; ++s) sql += fmt::format(", SUM(s{})", s);
  sql += fmt::format(" FROM {} GROUP BY shop_id ORDER BY shop_id", table);
  auto rows = c.Query(sql);
  if (!rows) return rows.error();
  std::vector<std::pair<int64_t, core::ScoreCounts>> out;
  for (const auto& r : *rows) {
    core::ScoreCounts counts;
    for (size_t s = 0; s <= 10; ++s) counts.by_score[s] = store::sql::Int(r, s + 1);
    out.emplace_back(store::sql::Int(r, 0), counts);
  }
  return out;
}

// "INSERT INTO t (a, b) VALUES (?1, ?2), (?3, ?4)" for `n` rows.
std::string InsertSql(const std::string& table, const std::vector<std::string>& cols, size_t n) {
  std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", table, fmt::join(cols, ", "));
  size_t p = 1;
  for (size_t r = 0; r < n; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < cols.size(); ++c) sql += fmt::format("{}?{}", c ? ", " : "", p++);
    sql += ")";
  }
  return sql;
}

// Copies one table page by page (SQLite rowid order); returns the rows copied.
Result<int64_t> CopyTable(Connection& src, Connection& dst, const std::string& table) {
  auto cols = SqliteColumns(src, table);
  if (!cols) return cols.error();
  const size_t per_insert = std::max<size_t>(1, kMaxParams / cols->size());
  const std::string select = fmt::format("SELECT rowid, {} FROM {} WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
                                         fmt::join(*cols, ", "), table);
  int64_t copied = 0, last = -1;
  while (true) {
    auto page = src.Query(select, {last, kPage});
    if (!page) return page.error();
    if (page->empty()) return copied;
    for (size_t start = 0; start < page->size(); start += per_insert) {
      const size_t n = std::min(per_insert, page->size() - start);
      std::vector<Value> params;
      params.reserve(n * cols->size());
      for (size_t i = start; i < start + n; ++i) {
        const Row& r = (*page)[i];
        params.insert(params.end(), r.begin() + 1, r.end());
      }
      auto done = dst.Exec(InsertSql(table, *cols, n), params);
      if (!done)
        return Error{done.error().code, fmt::format("copying {}: {}", table, done.error().message), {}};
      copied += *done;
    }
    last = store::sql::Int(page->back(), 0);
  }
}

Status ResetIdentities(Connection& dst) {
  for (const char* t : kIdentityTables) {
    VOUCH_TRY(dst.Query(fmt::format(
        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, "
        "false)",
        t)));
  }
  return OkStatus();
}

Status Verify(Connection& src, Connection& dst, CopyReport& report) {
  for (const auto& [table, copied] : report.rows) {
    auto in_src = CountRows(src, table);
    auto in_dst = CountRows(dst, table);
    if (!in_src) return in_src.error();
    if (!in_dst) return in_dst.error();
    if (*in_src != *in_dst || *in_dst != copied) {
      return Internal(fmt::format("verification failed: {} has {} rows in the source, {} in the target",
                                  table, *in_src, *in_dst));
    }
  }
  // The per-segment rollup as copied, and the all-segments one the target's trigger derived.
  auto nps_src = NpsByShop(src, "nps_daily");
  if (!nps_src) return nps_src.error();
  for (const char* table : {"nps_daily", "nps_daily_total"}) {
    auto nps_dst = NpsByShop(dst, table);
    if (!nps_dst) return nps_dst.error();
    if (nps_src->size() != nps_dst->size()) {
      return Internal(fmt::format("verification failed: NPS rollups differ ({})", table));
    }
    for (size_t i = 0; i < nps_src->size(); ++i) {
      const auto& [shop, a] = (*nps_src)[i];
      const auto& [shop_dst, b] = (*nps_dst)[i];
      if (shop != shop_dst || a.by_score != b.by_score) {
        return Internal(fmt::format("verification failed: NPS answers of shop {} differ ({})", shop, table));
      }
    }
  }
  auto days_src = CountRows(src, "nps_daily_total");
  auto days_dst = CountRows(dst, "nps_daily_total");
  if (!days_src) return days_src.error();
  if (!days_dst) return days_dst.error();
  if (*days_src != *days_dst) {
    return Internal(
        fmt::format("verification failed: nps_daily_total has {} rows in the source, {} in the target",
                    *days_src, *days_dst));
  }
  report.nps = std::move(*nps_src);
  return OkStatus();
}

Status CopyAll(Connection& src, Connection& dst, CopyReport& report) {
  for (const char* t : kTables) {
    auto n = CountRows(dst, t);
    if (!n) return n.error();
    if (*n > 0) {
      return Error{
          Code::kFailedPrecondition,
          fmt::format("the target is not empty ({} has {} rows); copy needs a fresh database", t, *n),
          "--to"};
    }
  }
  for (const char* t : kTables) {
    auto n = CopyTable(src, dst, t);
    if (!n) return n.error();
    report.rows.emplace_back(t, *n);
  }
  VOUCH_TRY(ResetIdentities(dst));
  return Verify(src, dst, report);
}

}  // namespace

Result<CopyReport> CopyStore(const std::string& from, const std::string& to) {
  if (from.rfind("sqlite:", 0) != 0) return InvalidArgument("--from", "must be a sqlite: URL");
  if (!IsPostgresUrl(to)) return InvalidArgument("--to", "must be a postgres:// URL");
  CopyReport report;
  for (const auto* url : {&from, &to}) {  // both at this binary's schema, or refuse
    auto s = store::OpenStore(*url, store::StoreOptions{1, 16, true});
    if (!s) return s.error();
    report.schema_version = (*s)->SchemaVersion();
  }
  std::string path = from.substr(7);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  auto src = store::sqlite::OpenSqlite(path, store::sqlite::SqliteOptions{true, true, 5000});
  if (!src) return src.error();
  store::postgres::PgOptions pg;
  pg.statement_timeout_ms = 0;  // one long transaction
  pg.application_name = "vouch copy";
  auto dst = store::postgres::OpenPostgres(to, pg);
  if (!dst) return dst.error();
  VOUCH_TRY((*src)->Exec("BEGIN"));  // one snapshot of the source
  VOUCH_TRY((*dst)->Exec("BEGIN"));
  Status s = CopyAll(**src, **dst, report);
  if (!s.ok()) {
    (void)(*dst)->Exec("ROLLBACK");
    (void)(*src)->Exec("ROLLBACK");
    return s.error();
  }
  VOUCH_TRY((*dst)->Exec("COMMIT"));
  (void)(*src)->Exec("ROLLBACK");
  return report;
}

}  // namespace vouch::main
