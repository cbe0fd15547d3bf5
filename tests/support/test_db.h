#pragma once
// A fresh, empty database of one kind for one test, for suites parameterised over the stores:
// "sqlite" always (a file in a temp folder); "postgres" when VOUCH_TEST_PG holds an admin DSN in
// URL form (postgres://user@host:port/db — scripts/pg-test-cluster.sh prints one): each TestDb
// creates its own database there and drops it at the end.
//
// Suites instantiate both kinds unconditionally (CTest lists the cases at build time, without the
// environment) and skip the PostgreSQL cases when VOUCH_TEST_PG is unset:
//   void SetUp() override { if (!TestDb::Available(GetParam())) GTEST_SKIP() << TestDb::kSkip; }
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/sql/connection.h"
#include "support/temp_dir.h"

namespace vouch::test {

class TestDb {
 public:
  static constexpr const char* kSkip = "VOUCH_TEST_PG is not set: PostgreSQL case skipped";

  // Every store kind the suites run against, available or not.
  static std::vector<std::string> Kinds() { return {"sqlite", "postgres"}; }
  static bool Available(const std::string& kind);
  // The admin DSN from VOUCH_TEST_PG, or "".
  static std::string PgAdminDsn();

  explicit TestDb(const std::string& kind);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  const std::string& kind() const { return kind_; }
  // The store URL: "sqlite:/tmp/…/vouch.db" or "postgres://…/vouch_t_…".
  const std::string& url() const { return url_; }
  // A raw SQL connection to the database, beside any store (to poke at the schema).
  Result<std::unique_ptr<store::sql::Connection>> Connect() const;

 private:
  std::string kind_;
  TempDir dir_;
  std::string url_;
  std::string pg_name_;  // the database created for this test
};

// The schema version a fresh database reaches: the highest migration number built in. Tests
// compare with it instead of a number each new migration would have to edit.
int LatestSchemaVersion();
// The built-in migrations of `kind` ("sqlite", "postgres") numbered `from` or higher, by name
// ("0010_order_fields"), the last first.
std::vector<std::string> MigrationsFrom(const std::string& kind, int from);

// `dsn` (URL form) with its database replaced by `db`.
std::string WithDatabase(const std::string& dsn, const std::string& db);

}  // namespace vouch::test
