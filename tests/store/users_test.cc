// The users repository (migration 0004) on every store: insert, find, one email per shop, and
// each shop sees only its own users.
#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_db.h"

namespace vouch::store {
namespace {

using test::TestDb;

const Instant kT0 = FromUnixMillis(1'764'000'000'000);

class UsersTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!TestDb::Available(GetParam())) GTEST_SKIP() << TestDb::kSkip;
    db_ = std::make_unique<TestDb>(GetParam());
    auto s = OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }

  Id MakeShop(const std::string& key_hash) {
    Shop shop;
    shop.name = "Trail";
    shop.url = "https://trail.example";
    shop.created_at = kT0;
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.shops().Insert(shop, key_hash); });
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  Result<Id> Insert(Id shop, const std::string& email, Role role, const std::string& hash = "$argon2id$x") {
    User u;
    u.shop_id = shop;
    u.email = email;
    u.role = role;
    u.password_hash = hash;
    u.created_at = kT0;
    return store_->Write<Id>([&](Tx& tx) { return tx.users().Insert(u); });
  }

  std::optional<User> Find(Id shop, const std::string& email) {
    auto u = store_->ReadOne<std::optional<User>>([&](ReadTx& tx) { return tx.users().Find(shop, email); });
    EXPECT_TRUE(u.ok()) << u.error().message;
    return u.ok() ? *u : std::nullopt;
  }

  std::unique_ptr<TestDb> db_;
  std::unique_ptr<Store> store_;
};

TEST_P(UsersTest, InsertedUsersAreFoundWithEveryField) {
  const Id shop = MakeShop("k1");
  auto admin = Insert(shop, "ann@example.com", Role::kAdmin, "$argon2id$v=19$ann");
  auto viewer = Insert(shop, "bob@example.com", Role::kViewer);
  ASSERT_TRUE(admin.ok() && viewer.ok());
  EXPECT_NE(*admin, *viewer);
  auto ann = Find(shop, "ann@example.com");
  ASSERT_TRUE(ann);
  EXPECT_EQ(ann->id, *admin);
  EXPECT_EQ(ann->shop_id, shop);
  EXPECT_EQ(ann->email, "ann@example.com");
  EXPECT_EQ(ann->role, Role::kAdmin);
  EXPECT_EQ(ann->password_hash, "$argon2id$v=19$ann");
  EXPECT_EQ(ann->created_at, kT0);
  auto bob = Find(shop, "bob@example.com");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->role, Role::kViewer);
  EXPECT_FALSE(Find(shop, "carl@example.com"));
  EXPECT_FALSE(Find(shop + 1, "ann@example.com"));
}

TEST_P(UsersTest, OneEmailPerShop) {
  const Id a = MakeShop("k1"), b = MakeShop("k2");
  ASSERT_TRUE(Insert(a, "ann@example.com", Role::kAdmin).ok());
  auto again = Insert(a, "ann@example.com", Role::kViewer, "$argon2id$other");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
  EXPECT_EQ(Find(a, "ann@example.com")->role, Role::kAdmin);      // the first one stays as it was
  EXPECT_TRUE(Insert(b, "ann@example.com", Role::kViewer).ok());  // another shop may have her too

  // A duplicate inside a larger write leaves the transaction usable (no aborted PostgreSQL tx).
  auto after = store_->Write<Id>([&](Tx& tx) -> Result<Id> {
    User u;
    u.shop_id = a;
    u.email = "ann@example.com";
    u.password_hash = "h";
    auto dup = tx.users().Insert(u);
    if (dup.ok() || dup.error().code != Code::kAlreadyExists) return Internal("expected kAlreadyExists");
    u.email = "dora@example.com";
    return tx.users().Insert(u);
  });
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_TRUE(Find(a, "dora@example.com"));
}

TEST_P(UsersTest, ListReturnsOnlyTheShopsUsersByEmail) {
  const Id a = MakeShop("k1"), b = MakeShop("k2");
  ASSERT_TRUE(Insert(a, "zoe@example.com", Role::kViewer).ok());
  ASSERT_TRUE(Insert(b, "bob@example.com", Role::kAdmin).ok());
  ASSERT_TRUE(Insert(a, "ann@example.com", Role::kAdmin).ok());
  auto list = store_->Read<std::vector<User>>([&](ReadTx& tx) { return tx.users().List(a); });
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].email, "ann@example.com");
  EXPECT_EQ((*list)[1].email, "zoe@example.com");
  for (const auto& u : *list) EXPECT_EQ(u.shop_id, a);
  auto none = store_->Read<std::vector<User>>([&](ReadTx& tx) { return tx.users().List(b + 1); });
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// The schema holds what the application promises: known roles, lower-cased emails, real shops.
TEST_P(UsersTest, SchemaRefusesUnknownRolesUpperCaseEmailsAndUnknownShops) {
  const Id shop = MakeShop("k1");
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  const char* sql =
      "INSERT INTO users (shop_id, email, role, password_hash, created_at) VALUES (?1, ?2, ?3, 'h', 0)";
  EXPECT_TRUE((*conn)->Exec(sql, {shop, std::string("ok@example.com"), std::string("viewer")}).ok());
  EXPECT_FALSE((*conn)->Exec(sql, {shop, std::string("x@example.com"), std::string("owner")}).ok());
  EXPECT_FALSE((*conn)->Exec(sql, {shop, std::string("Ann@example.com"), std::string("admin")}).ok());
  EXPECT_FALSE((*conn)->Exec(sql, {shop + 100, std::string("y@example.com"), std::string("admin")}).ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, UsersTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::store
