// customers.canonical_email (issue 11, migration 0022), on every store: written from the email by
// every insert and update, blanked by erasure, filled for older rows by the migration (in C++,
// src/store/sql/migrate.cc), and what the new-customer check compares.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_db.h"

namespace vouch::store {
namespace {

using test::TestDb;

const Instant kT0 = FromUnixMillis(1'764'000'000'000);  // 2025-11-24

class CanonicalEmailTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!TestDb::Available(GetParam())) GTEST_SKIP() << TestDb::kSkip;
    db_ = std::make_unique<TestDb>(GetParam());
    auto s = OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    Shop shop;
    shop.name = "Trail";
    shop.url = "https://trail.example";
    shop.created_at = kT0;
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.shops().Insert(shop, "hash-ce"); });
    ASSERT_TRUE(id.ok());
    shop_ = *id;
  }

  Customer NewCustomer(const std::string& external_id, const std::string& email) {
    Customer c;
    c.shop_id = shop_;
    c.external_id = external_id;
    c.email = email;
    return c;
  }

  Customer Get(const std::string& external_id) {
    auto c = store_->Read<std::optional<Customer>>(
        [&](ReadTx& tx) { return tx.customers().Find(shop_, external_id); });
    EXPECT_TRUE(c.ok() && c->has_value()) << external_id;
    return c.ok() && c->has_value() ? **c : Customer{};
  }

  Id OrderOf(Id customer, const std::string& external_id, Instant at) {
    Order o;
    o.shop_id = shop_;
    o.external_id = external_id;
    o.customer_id = customer;
    o.created_at = at;
    o.ingested_at = at;
    o.currency = "EUR";
    o.total_minor = 1000;
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.orders().Insert(o); });
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return id.ok() ? *id : 0;
  }

  int64_t EarlierByContact(const std::string& email, Instant t) {
    auto n = store_->Read<int64_t>(
        [&](ReadTx& tx) { return tx.orders().CountByContactBefore(shop_, email, "", t, 0); });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<TestDb> db_;
  std::unique_ptr<Store> store_;
  Id shop_ = 0;
};

TEST_P(CanonicalEmailTest, EveryWriteStoresItAndErasureBlanksIt) {
  auto one = store_->Write<Id>(
      [&](Tx& tx) { return tx.customers().Insert(NewCustomer("anna", "a.nna+1@googlemail.com")); });
  ASSERT_TRUE(one.ok());
  std::vector<Customer> set{NewCustomer("bob", "bob+shop@outlook.com"),
                            NewCustomer("carla", "c.arla@example.com"), NewCustomer("dora", "")};
  auto ids =
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.customers().InsertMany(set); });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  EXPECT_EQ(Get("anna").canonical_email, "anna@gmail.com");
  EXPECT_EQ(Get("bob").canonical_email, "bob@outlook.com");
  EXPECT_EQ(Get("carla").canonical_email, "c.arla@example.com") << "dots count outside Gmail";
  EXPECT_EQ(Get("dora").canonical_email, "");

  // A changed email changes it; whatever the caller put in the field is not what is stored.
  Customer dora = Get("dora");
  dora.email = "d.ora+x@gmail.com";
  dora.canonical_email = "someone@else.example";
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.customers().Update(dora); }).ok());
  EXPECT_EQ(Get("dora").canonical_email, "dora@gmail.com");

  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.customers().Erase(*one); }).ok());
  auto erased = store_->Read<std::optional<Customer>>([&](ReadTx& tx) { return tx.customers().Get(*one); });
  ASSERT_TRUE(erased.ok() && erased->has_value());
  EXPECT_EQ((*erased)->canonical_email, "");
  auto all = store_->Write<int64_t>([&](Tx& tx) { return tx.customers().EraseAll(shop_); });
  ASSERT_TRUE(all.ok());
  for (const auto& id : *ids) {
    auto c = store_->Read<std::optional<Customer>>([&](ReadTx& tx) { return tx.customers().Get(*id); });
    ASSERT_TRUE(c.ok() && c->has_value());
    EXPECT_EQ((*c)->canonical_email, "") << (*c)->external_id;
  }
}

TEST_P(CanonicalEmailTest, TheNewCustomerCheckComparesCanonically) {
  auto anna =
      store_->Write<Id>([&](Tx& tx) { return tx.customers().Insert(NewCustomer("anna", "anna@gmail.com")); });
  ASSERT_TRUE(anna.ok());
  OrderOf(*anna, "o-1", kT0);
  const Instant later = kT0 + std::chrono::hours{1};
  EXPECT_EQ(EarlierByContact("A.nna+x@googlemail.com", later), 1);
  EXPECT_EQ(EarlierByContact("anna@gmail.com", later), 1);
  EXPECT_EQ(EarlierByContact("anna@example.com", later), 0) << "another domain is another mailbox";
  EXPECT_EQ(EarlierByContact("anna@gmail.com", kT0), 0) << "only orders before";
  // Erased, she is no one's earlier self.
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.customers().Erase(*anna); }).ok());
  EXPECT_EQ(EarlierByContact("anna@gmail.com", later), 0);
  EXPECT_EQ(EarlierByContact("", later), 0) << "an empty email never matches the erased";
}

// During a rolling upgrade a node still running an older binary inserts customers without the
// canonical email: they are compared by their raw (lower-cased) email until then.
TEST_P(CanonicalEmailTest, ARowAnOlderNodeWroteIsComparedByItsRawEmail) {
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto n = (*conn)->Exec(
        "INSERT INTO customers (shop_id, external_id, email, phone, first_name, last_name, "
        "locale) VALUES (?1, 'old', 'fr.ank@gmail.com', '', '', '', '')",
        {shop_});
    ASSERT_TRUE(n.ok()) << n.error().message;
  }
  const Customer old = Get("old");
  EXPECT_EQ(old.canonical_email, "");
  OrderOf(old.id, "o-old", kT0);
  const Instant later = kT0 + std::chrono::hours{1};
  EXPECT_EQ(EarlierByContact("fr.ank@gmail.com", later), 1);
  EXPECT_EQ(EarlierByContact("frank@gmail.com", later), 0) << "canonically only once written by a new node";
}

// A database that held customers before migration 0022 gets their canonical emails with it.
TEST_P(CanonicalEmailTest, TheMigrationFillsOlderRows) {
  std::vector<Customer> set{NewCustomer("anna", "a.nna+old@googlemail.com"), NewCustomer("eve", "")};
  ASSERT_TRUE(
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.customers().InsertMany(set); })
          .ok());
  store_.reset();
  {  // back to before 0022: no column, no index, not recorded
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    for (const char* undo :
         {"DROP INDEX customers_shop_canonical_email", "ALTER TABLE customers DROP COLUMN canonical_email",
          "DELETE FROM schema_migrations WHERE version = 22"}) {
      ASSERT_TRUE((*conn)->Exec(undo).ok()) << undo;
    }
  }
  auto s = OpenStore(db_->url());
  ASSERT_TRUE(s.ok()) << s.error().message;
  store_ = std::move(*s);
  EXPECT_EQ(store_->SchemaVersion(), test::LatestSchemaVersion());
  EXPECT_EQ(Get("anna").canonical_email, "anna@gmail.com");
  EXPECT_EQ(Get("eve").canonical_email, "");
}

INSTANTIATE_TEST_SUITE_P(Stores, CanonicalEmailTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::store
