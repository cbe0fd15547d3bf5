// The plans of statements a hot path runs once per item, on SQLite without ANALYZE statistics
// (a fresh database, as every new install and bench/run has): each must reach its rows through
// the index meant for them, never by reading rows of every shop.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vouch::store
