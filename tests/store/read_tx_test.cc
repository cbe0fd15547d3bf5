// A ReadTx cannot write: the reads interfaces it exposes have no write to call. Checked at
// compile time (a write through a ReadTx does not compile); the runtime cases check that a Tx
// serves functions written for a ReadTx.
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_db.h"

namespace vouch::store {
namespace {

template <class T>
concept CanInsertOrder = requires(T& tx, const Order& o) {
  tx.orders().Insert(o);
};
template <class T>
concept CanFindOrder = requires(T& tx, Id shop, const std::string& id) {
  tx.orders().Find(shop, id);
};
template <class T>
concept CanInsertShop = requires(T& tx, const Shop& s) {
  tx.shops().Insert(s, "");
};
template <class T>
concept CanUpdateCustomer = requires(T& tx, const Customer& c) {
  tx.customers().Update(c);
};
template <class T>
concept CanSaveAnswer = requires(T& tx, const Survey& s) {
  tx.surveys().SaveAnswer(s);
};
template <class T>
concept CanAddToRollup = requires(T& tx) {
  tx.surveys().AddToRollup(Id{}, int64_t{}, "", 9, 1);
};
template <class T>
concept CanInsertCode = requires(T& tx, const ReferralCode& c) {
  tx.referrals().InsertCode(c);
};
template <class T>
concept CanEnqueueJob = requires(T& tx) {
  tx.jobs().Enqueue(Id{}, JobKind::kSurvey, Id{}, core::Channel::kEmail, Instant{});
};
template <class T>
concept CanClaimJobs = requires(T& tx) {
  tx.jobs().Claim(Instant{}, Millis{1}, 1);
};
template <class T>
concept CanPutTemplate = requires(T& tx) {
  tx.templates().Put(Id{}, "", "");
};
template <class T>
concept CanPutMeta = requires(T& tx) {
  tx.meta().PutIfAbsent("", "");
};
template <class T>
concept CanInsertUser = requires(T& tx, const User& u) {
  tx.users().Insert(u);
};
template <class T>
concept CanFindUser = requires(T& tx) {
  tx.users().Find(Id{}, "");
};
template <class T>
concept CanReadReports = requires(T& tx) {
  tx.reports().Segments(Id{});
};

static_assert(CanInsertOrder<Tx>);
static_assert(!CanInsertOrder<ReadTx>, "a ReadTx must not insert an order");
static_assert(CanFindOrder<Tx> && CanFindOrder<ReadTx>);
static_assert(CanInsertShop<Tx> && !CanInsertShop<ReadTx>);
static_assert(CanUpdateCustomer<Tx> && !CanUpdateCustomer<ReadTx>);
static_assert(CanSaveAnswer<Tx> && !CanSaveAnswer<ReadTx>);
static_assert(CanAddToRollup<Tx> && !CanAddToRollup<ReadTx>);
static_assert(CanInsertCode<Tx> && !CanInsertCode<ReadTx>);
static_assert(CanEnqueueJob<Tx> && !CanEnqueueJob<ReadTx>);
static_assert(CanClaimJobs<Tx> && !CanClaimJobs<ReadTx>);
static_assert(CanPutTemplate<Tx> && !CanPutTemplate<ReadTx>);
static_assert(CanPutMeta<Tx> && !CanPutMeta<ReadTx>);
static_assert(CanInsertUser<Tx> && !CanInsertUser<ReadTx>, "a ReadTx must not create a user");
static_assert(CanFindUser<Tx> && CanFindUser<ReadTx>);
static_assert(CanReadReports<Tx> && CanReadReports<ReadTx>);

// Store::Read and ReadOne take functions of a ReadTx; one that wants a Tx is refused.
template <class F>
concept ReadAccepts = std::is_constructible_v < std::function < Result<int>(ReadTx&)
>, F > ;
static_assert(ReadAccepts<decltype([](ReadTx&) -> Result<int> { return 0; })>);
static_assert(!ReadAccepts<decltype([](Tx&) -> Result<int> { return 0; })>, "Read must not hand out a Tx");

// Written once for reads, used inside a write too.
Result<size_t> ShopCount(ReadTx& tx) {
  auto shops = tx.shops().List();
  if (!shops) return shops.error();
  return shops->size();
}

TEST(ReadTxTest, AFunctionOfAReadTxServesReadsAndWrites) {
  test::TestDb db("sqlite");
  auto store = OpenStore(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Shop shop;
  shop.name = "Trail";
  shop.url = "https://trail.example";
  auto inside_write = (*store)->Write<size_t>([&](Tx& tx) -> Result<size_t> {
    auto id = tx.shops().Insert(shop, "hash");
    if (!id) return id.error();
    return ShopCount(tx);  // sees the write of its own transaction
  });
  ASSERT_TRUE(inside_write.ok());
  EXPECT_EQ(*inside_write, 1u);
  auto read = (*store)->Read<size_t>(ShopCount);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, 1u);
  auto one = (*store)->ReadOne<size_t>(ShopCount);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, 1u);
}

}  // namespace
}  // namespace vouch::store
