// A batch's JSON array is read as a stream (one element's DOM at a time): what streaming could
// break — an element's error kept in its place, the array's end, the order limit, nesting.
#include "api/json_orders.h"

#include <gtest/gtest.h>

#include <string>

#include "api/json_internal.h"

namespace vouch::api {
namespace {

std::string Order(const std::string& id, const std::string& currency = "EUR") {
  return R"({"id": )" + id + R"(, "created_at": "2026-11-20T10:15:00Z", "currency": ")" + currency +
         R"(", "total_price": "59.90",
  "customer": {"id": "c-1", "email": "anna@example.com", "tags": [[1, 2], {"a": null}]},
  "line_items": [{"product_id": "p-1", "title": "Trail [shoe]", "quantity": 1, "price": "59.90"}]})";
}

TEST(OrderBatchStreamTest, ABadElementInTheMiddleKeepsItsPlaceAndItsId) {
  auto batch = ParseOrderBatch(
      "[" + Order(R"("a1")") + ", 42, " + Order("77", "ZZZ") + ",\n null, " + Order(R"("a2")") + "]", 10);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 5u);
  ASSERT_TRUE((*batch)[0].order) << (*batch)[0].order.error().message;
  EXPECT_EQ((*batch)[0].id, "a1");
  EXPECT_EQ((*batch)[0].order->external_id, "a1");
  EXPECT_EQ((*batch)[0].order->customer.email, "anna@example.com");
  ASSERT_EQ((*batch)[0].order->items.size(), 1u);
  EXPECT_FALSE((*batch)[1].order);
  EXPECT_EQ((*batch)[1].id, "");
  ASSERT_FALSE((*batch)[2].order);
  EXPECT_EQ((*batch)[2].id, "77");  // an integer id as its digits
  EXPECT_EQ((*batch)[2].order.error().field, "currency");
  EXPECT_FALSE((*batch)[3].order);
  ASSERT_TRUE((*batch)[4].order);
  EXPECT_EQ((*batch)[4].order->external_id, "a2");
}

TEST(OrderBatchStreamTest, OnlyTheArrayItselfIsValid) {
  const std::string one = Order(R"("a1")");
  EXPECT_TRUE(ParseOrderBatch("  [" + one + "]  \n", 10));
  for (const std::string& body :
       {"[" + one + "] x", "[" + one + "][]", "[" + one + "] {}", "[" + one + "," + one, "[" + one + ",]",
        "[" + one + " " + one + "]", "[" + one.substr(0, one.size() / 2)}) {
    auto batch = ParseOrderBatch(body, 10);
    ASSERT_FALSE(batch) << body;
    EXPECT_EQ(batch.error().field, "body");
    EXPECT_EQ(batch.error().message, "is not valid JSON") << body;
  }
  auto empty = ParseOrderBatch("[]", 10);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(OrderBatchStreamTest, OverTheLimitIsRejectedWholeAndInvalidJsonStillSaysSo) {
  std::string at_limit = "[", over = "[";
  for (int i = 0; i < 3; ++i) at_limit += (i ? "," : "") + Order('"' + std::to_string(i) + '"');
  EXPECT_EQ(ParseOrderBatch(at_limit + "]", 3)->size(), 3u);
  // A long array past the limit: refused naming the body, its elements past the limit never parsed
  // as orders (they are not orders at all here).
  std::string huge = at_limit;
  for (int i = 0; i < 200'000; ++i) huge += R"(,{"x":[1,"2",{"y":3}]})";
  auto refused = ParseOrderBatch(huge + "]", 3);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "body");
  EXPECT_EQ(refused.error().message, "holds more than 3 orders");
  // The whole text is still read: too long and broken is "not valid JSON", as before streaming.
  auto broken = ParseOrderBatch(huge + "}", 3);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message, "is not valid JSON");
  auto scalars = ParseOrderBatch("[1,2,3,4]", 3);
  ASSERT_FALSE(scalars);
  EXPECT_EQ(scalars.error().message, "holds more than 3 orders");
}

TEST(OrderBatchStreamTest, AnElementMayNestAsDeepAsASingleOrder) {
  auto nested = [](int levels) {
    std::string s;
    for (int i = 0; i < levels; ++i) s += (i % 2 ? R"([)" : R"({"k":)");
    s += "1";
    for (int i = levels - 1; i >= 0; --i) s += (i % 2 ? "]" : "}");
    return s;
  };
  auto deepest = ParseOrderBatch("[" + nested(internal::kMaxJsonDepth) + "]", 10);
  ASSERT_TRUE(deepest) << deepest.error().message;
  ASSERT_EQ(deepest->size(), 1u);
  EXPECT_FALSE((*deepest)[0].order);  // an object, but not an order
  auto too_deep = ParseOrderBatch("[" + nested(internal::kMaxJsonDepth + 1) + "]", 10);
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().field, "body");
  EXPECT_EQ(too_deep.error().message, internal::kTooDeep);
}

TEST(OrderBatchStreamTest, NestedIdsAndDuplicateKeysReadAsAWholeParse) {
  // The order's own id, not its customer's; a repeated key's last value (as nlohmann's DOM).
  auto batch = ParseOrderBatch(
      R"([{"customer": {"id": "c-1"}, "id": "first", "currency": "EUR", "id": "second"}])", 10);
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0].id, "second");
}

}  // namespace
}  // namespace vouch::api
