// The plans of statements a hot path runs once per item or set, in a fresh database without
// statistics (as every new install and bench/run has): each must reach its rows through the index
// meant for them, never by reading rows of every shop.
#include <gtest/gtest.h>

#include "store/sql/dialect.h"
#include "store/sql/sql_jobs.h"
#include "store/store.h"
#include "support/test_db.h"

namespace vouch::store {
namespace {

using test::TestDb;

// SQLite's EXPLAIN QUERY PLAN lines (the detail column) for `sql` bound to `params`.
std::vector<std::string> PlanOf(const TestDb& db, const std::string& sql,
                                const std::vector<sql::Value>& params) {
  std::vector<std::string> lines;
  auto c = db.Connect();
  EXPECT_TRUE(c.ok()) << c.error().message;
  if (!c.ok()) return lines;
  auto rows = (*c)->Query("EXPLAIN QUERY PLAN " + sql, params);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  if (!rows.ok()) return lines;
  for (const auto& r : *rows) lines.push_back(sql::Text(r, 3));
  return lines;
}

// Messages::Build counts a customer's marketing messages for every message it builds: each of the
// three job lookups goes by (kind, ref_id) from the customer's own surveys and code. A lookup by
// jobs_due (status = 'done') reads every done job of every shop, per message: dispatch slowed
// down as the jobs table grew (1.2 ms of CPU per mail after 10,000 mails).
TEST(QueryPlanTest, TheMarketingCountLooksUpOnlyTheCustomersJobsByCause) {
  TestDb db("sqlite");
  auto store = OpenStore(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  const auto plan = PlanOf(db, sql::SqlJobs::kCountMarketingSentSql, {int64_t{1}, int64_t{2}, int64_t{0}});
  int job_lookups = 0;
  std::string all;
  for (const auto& line : plan) {
    all += line + "\n";
    if (line.rfind("SEARCH j ", 0) == 0 || line.rfind("SCAN j", 0) == 0) {
      ++job_lookups;
      EXPECT_NE(line.find("(kind=? AND ref_id=?)"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(job_lookups, 3) << all;
}

// The set path's key look-up (which of a set's customers and orders exist) is planned for each
// call's keys on PostgreSQL, never prepared: prepared, it went to a generic plan after its fifth
// run, made while the tables were still empty, and that plan took an index on shop_id alone and
// read every row of the shop for every key, at 12-16 ms per look-up (single orders at a third of
// their rate). A plain parameterised statement on the same connection is prepared, as before.
TEST(QueryPlanTest, ThePostgresSetKeyLookUpIsPlannedForEachCall) {
  if (!TestDb::Available("postgres")) GTEST_SKIP() << TestDb::kSkip;
  TestDb db("postgres");
  auto store = OpenStore(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto c = db.Connect();
  ASSERT_TRUE(c.ok()) << c.error().message;
  sql::Connection& conn = **c;
  const std::vector<std::string> keys{"c1", "c2", "c3"};
  for (int run = 0; run < 7; ++run) {
    int rows = 0;
    ASSERT_TRUE(
        conn.dialect().SelectByKeys(conn, "customers", "id", 1, keys, [&](sql::Row&) { ++rows; }).ok());
    EXPECT_EQ(rows, 0);
    ASSERT_TRUE(conn.Query("SELECT id FROM customers WHERE shop_id = ?1", {int64_t{1}}).ok());
  }
  auto prepared = conn.Query("SELECT statement FROM pg_prepared_statements");
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  int lookups = 0, plain = 0;
  for (const auto& r : *prepared) {
    const std::string text = sql::Text(r, 0);
    if (text.find("LATERAL") != std::string::npos) ++lookups;
    if (text == "SELECT id FROM customers WHERE shop_id = $1") ++plain;
  }
  EXPECT_EQ(lookups, 0);
  EXPECT_EQ(plain, 1);
}

}  // namespace
}  // namespace vouch::store
