#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/log.h"
#include "core/identity.h"
#include "store/sql/dialect.h"
#include "store/sql/sql_store.h"

namespace vouch::store {
const std::map<std::string, std::string>& BuiltinMigrations();
}

namespace vouch::store::sql {
namespace {

// Migrations of `kind` by version, from keys "<kind>/NNNN_name".
std::map<int, std::pair<std::string, std::string>> MigrationsOf(const std::string& kind) {
  std::map<int, std::pair<std::string, std::string>> out;
  const std::string prefix = kind + "/";
  for (const auto& [key, sql] : BuiltinMigrations()) {
    if (key.rfind(prefix, 0) != 0) continue;
    const std::string name = key.substr(prefix.size());
    out.emplace(std::stoi(name.substr(0, 4)), std::make_pair(name, sql));
  }
  return out;
}

// Migration 0022 added customers.canonical_email; the rows it found get theirs here, inside the
// migration's transaction: the Gmail rules of core::CanonicalEmail are not SQL (SQLite has no
// regex), and with every row filled no reader needs to fall back to the raw email.
Status BackfillCanonicalEmails(Connection& conn) {
  std::vector<std::pair<int64_t, std::string>> rows;
  VOUCH_TRY(conn.QueryEach("SELECT id, email FROM customers WHERE email <> '' AND canonical_email = ''", {},
                           [&](Row& r) { rows.emplace_back(Int(r, 0), Text(r, 1)); }));
  for (const auto& [id, email] : rows) {
    auto n = conn.Exec("UPDATE customers SET canonical_email = ?2 WHERE id = ?1",
                       {id, core::CanonicalEmail(email)});
    if (!n) return n.error();
  }
  return OkStatus();
}

// C++ steps run right after a migration's SQL, in its transaction, by version.
Status AfterMigration(Connection& conn, int version) {
  if (version == 22) return BackfillCanonicalEmails(conn);
  return OkStatus();
}

}  // namespace

int LatestMigration(const std::string& kind) {
  auto m = MigrationsOf(kind);
  return m.empty() ? 0 : m.rbegin()->first;
}

Result<int> Migrate(Connection& conn) {
  const std::string kind(conn.Kind());
  VOUCH_TRY(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
                "NULL, applied_at BIGINT NOT NULL)"));
  // Every migration not yet recorded is applied, in order, including one numbered below the
  // newest recorded: migrations written on branches in parallel may land in any order.
  auto rows = conn.Query("SELECT version FROM schema_migrations");
  if (!rows) return rows.error();
  std::set<int> applied;
  for (const Row& r : *rows) applied.insert(static_cast<int>(Int(r, 0)));
  int current = applied.empty() ? 0 : *applied.rbegin();
  const int latest = LatestMigration(kind);
  if (current > latest) {
    return Error{Code::kFailedPrecondition,
                 fmt::format("the database schema is version {}, newer than this vouch knows ({}); "
                             "run a newer vouch",
                             current, latest),
                 {}};
  }
  for (const auto& [version, migration] : MigrationsOf(kind)) {
    if (applied.count(version) > 0) continue;
    const auto& [name, sql] = migration;
    VOUCH_TRY(conn.Exec(conn.dialect().BeginWrite()));
    Status s = conn.Script(sql);
    if (s.ok()) s = AfterMigration(conn, version);
    if (s.ok()) {
      auto ins = conn.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                           {int64_t{version}, name, ToUnixMillis(SystemClock().Now())});
      if (!ins) s = ins.error();
    }
    if (!s.ok()) {
      (void)conn.Exec("ROLLBACK");
      return Error{s.error().code, fmt::format("migration {} failed: {}", name, s.error().message), {}};
    }
    VOUCH_TRY(conn.Exec("COMMIT"));
    Log(LogLevel::kInfo, "store.migrated", {{"version", std::to_string(version)}, {"name", name}});
    current = std::max(current, version);
  }
  return current;
}

}  // namespace vouch::store::sql
