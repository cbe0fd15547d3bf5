// `vouch copy`: a seeded SQLite store moved to PostgreSQL (skipped without VOUCH_TEST_PG).
#include "main/copy.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/app.h"
#include "main/commands.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using test::TestDb;

// Everything the reports show for one shop, read through the store.
struct Figures {
  std::vector<std::pair<int64_t, std::array<int64_t, 11>>> days;
  store::Funnel funnel;
  std::vector<std::string> promoters;
  size_t responses = 0;
  store::JobCounts jobs;
};

Figures Read(store::Store& s, store::Id shop) {
  const Instant from = FromUnixMillis(0), to = FromUnixMillis(4'102'444'800'000);  // 1970–2100
  auto f = s.Read<Figures>([&](store::ReadTx& tx) -> Result<Figures> {
    Figures out;
    auto days = tx.reports().RollupByDay(shop, 0, 100'000, std::nullopt);
    if (!days) return days.error();
    for (const auto& d : *days) out.days.emplace_back(d.day, d.counts.by_score);
    auto funnel = tx.reports().FunnelCounts(shop, from, to);
    if (!funnel) return funnel.error();
    out.funnel = *funnel;
    auto top = tx.reports().TopPromoters(shop, from, to, 100);
    if (!top) return top.error();
    for (const auto& p : *top)
      out.promoters.push_back(fmt::format("{}:{}:{}", p.code, p.referrals, p.revenue_minor));
    auto responses = tx.reports().ListResponses(shop, from, to, 0, 10, 0, 100'000);
    if (!responses) return responses.error();
    out.responses = responses->size();
    auto jobs = tx.jobs().Count(shop);
    if (!jobs) return jobs.error();
    out.jobs = *jobs;
    return out;
  });
  EXPECT_TRUE(f.ok()) << f.error().message;
  return f.ok() ? *f : Figures{};
}

TEST(CopyTest, MovesASeededShopToPostgresKeepingIdsAndFigures) {
  if (!TestDb::Available("postgres")) GTEST_SKIP() << TestDb::kSkip;
  TestDb src("sqlite"), dst("postgres");
  test::TempDir mail;
  store::Id shop = 0;
  std::string secret;
  {
    auto s = store::OpenStore(src.url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto sec = app::App::LoadLinkSecret(**s);
    ASSERT_TRUE(sec.ok());
    secret = *sec;
    Config c;
    c.mail_dir = mail.path().string();
    auto seeded = SeedDemo(**s, c, secret);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    shop = seeded->shop.shop.id;
    store::User user;  // a dashboard user (schema 4) moves with its hash
    user.shop_id = shop;
    user.email = "ann@example.com";
    user.role = store::Role::kAdmin;
    user.password_hash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA";
    auto added = (*s)->Write<store::Id>([&](store::Tx& tx) { return tx.users().Insert(user); });
    ASSERT_TRUE(added.ok()) << added.error().message;
  }

  auto report = CopyStore(src.url(), dst.url());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->schema_version, test::LatestSchemaVersion());
  ASSERT_EQ(report->nps.size(), 1u);
  EXPECT_GT(report->nps[0].second.Total(), 0);
  int64_t orders = 0;
  for (const auto& [table, n] : report->rows) {
    if (table == "orders") orders = n;
  }
  EXPECT_GT(orders, 0);

  auto a = store::OpenStore(src.url());
  auto b = store::OpenStore(dst.url());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*b)->Kind(), "postgres");
  const Figures fa = Read(**a, shop), fb = Read(**b, shop);
  EXPECT_EQ(fa.days, fb.days);
  EXPECT_EQ(fa.funnel.orders, fb.funnel.orders);
  EXPECT_EQ(fa.funnel.responses, fb.funnel.responses);
  EXPECT_EQ(fa.funnel.referred_revenue_minor, fb.funnel.referred_revenue_minor);
  EXPECT_EQ(fa.funnel.reward_cost_minor, fb.funnel.reward_cost_minor);
  EXPECT_EQ(fa.promoters, fb.promoters);
  EXPECT_EQ(fa.responses, fb.responses);
  EXPECT_EQ(fa.jobs.done, fb.jobs.done);
  EXPECT_EQ(fa.jobs.pending, fb.jobs.pending);
  auto user = (*b)->Read<std::optional<store::User>>(
      [&](store::ReadTx& tx) { return tx.users().Find(shop, "ann@example.com"); });
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ((*user)->role, store::Role::kAdmin);
  EXPECT_EQ((*user)->password_hash, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA");
  // Links already mailed stay valid: the signing secret moved too.
  auto moved_secret = app::App::LoadLinkSecret(**b);
  ASSERT_TRUE(moved_secret.ok());
  EXPECT_EQ(*moved_secret, secret);
  // New rows continue after the copied ids.
  auto next = (*b)->Write<store::Id>([](store::Tx& tx) {
    store::Shop s;
    s.name = "After";
    s.url = "https://after.example";
    return tx.shops().Insert(s, "after-key");
  });
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(*next, shop + 1);

  // A second copy into a database that holds data is refused and changes nothing.
  auto again = CopyStore(src.url(), dst.url());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Code::kFailedPrecondition);
}

TEST(CopyTest, NeedsSqliteSourceAndPostgresTarget) {
  auto to_sqlite = CopyStore("sqlite:a.db", "sqlite:b.db");
  ASSERT_FALSE(to_sqlite.ok());
  EXPECT_EQ(to_sqlite.error().field, "--to");
  auto from_pg = CopyStore("postgres://x/y", "postgres://x/z");
  ASSERT_FALSE(from_pg.ok());
  EXPECT_EQ(from_pg.error().field, "--from");
}

}  // namespace
}  // namespace vouch::main
