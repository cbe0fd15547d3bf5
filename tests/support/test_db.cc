#include "support/test_db.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "store/postgres/pg_connection.h"
#include "store/sqlite/sqlite_connection.h"

// LeakSanitizer: libpqxx 6.4 drops the libpq result of a statement that finds its connection
// broken (a few hundred bytes inside the library per broken connection); the reconnect tests
// provoke exactly that. Same list as tests/lsan.supp (used for the vouch binary in e2e runs).
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx\n"; }

namespace vouch::store {
const std::map<std::string, std::string>& BuiltinMigrations();  // generated from migrations/
}  // namespace vouch::store

namespace vouch::test {

int LatestSchemaVersion() {
  int latest = 0;
  for (const auto& [key, sql] : store::BuiltinMigrations()) {
    const size_t slash = key.find('/');
    latest = std::max(latest, std::stoi(key.substr(slash + 1, 4)));
  }
  return latest;
}

std::vector<std::string> MigrationsFrom(const std::string& kind, int from) {
  std::vector<std::string> out;
  for (const auto& [key, sql] : store::BuiltinMigrations()) {
    if (key.rfind(kind + "/", 0) != 0) continue;
    const std::string name = key.substr(kind.size() + 1);
    if (std::stoi(name.substr(0, 4)) >= from) out.push_back(name);
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

std::string TestDb::PgAdminDsn() {
  const char* v = std::getenv("VOUCH_TEST_PG");
  return v ? std::string(v) : std::string();
}

bool TestDb::Available(const std::string& kind) { return kind == "sqlite" || !PgAdminDsn().empty(); }

std::string WithDatabase(const std::string& dsn, const std::string& db) {
  const size_t scheme = dsn.find("://");
  const size_t path = dsn.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const size_t query = dsn.find('?');
  const std::string head = dsn.substr(0, std::min(path, query));
  const std::string tail = query == std::string::npos ? "" : dsn.substr(query);
  return head + "/" + db + tail;
}

TestDb::TestDb(const std::string& kind) : kind_(kind) {
  if (kind == "sqlite") {
    url_ = "sqlite:" + dir_.File("vouch.db");
    return;
  }
  std::random_device rd;
  pg_name_ = fmt::format("vouch_t_{:08x}{:08x}", rd(), rd());
  auto admin = store::postgres::OpenPostgres(PgAdminDsn());
  if (!admin) throw std::runtime_error("VOUCH_TEST_PG: " + admin.error().message);
  auto made = (*admin)->Script("CREATE DATABASE " + pg_name_);
  if (!made) throw std::runtime_error("CREATE DATABASE: " + made.error().message);
  url_ = WithDatabase(PgAdminDsn(), pg_name_);
}

TestDb::~TestDb() {
  if (pg_name_.empty()) return;
  auto admin = store::postgres::OpenPostgres(PgAdminDsn());
  if (admin) (void)(*admin)->Script("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
}

Result<std::unique_ptr<store::sql::Connection>> TestDb::Connect() const {
  if (kind_ == "sqlite") return store::sqlite::OpenSqlite(url_.substr(7), {});
  return store::postgres::OpenPostgres(url_);
}

}  // namespace vouch::test
