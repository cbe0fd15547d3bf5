// Webhooks from a shop's store software over real loopback HTTP, on every store: Shopify's and
// WooCommerce's payloads (written for these tests from their published webhook documentation),
// signed with the test secret as each signs them.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "app/hooks.h"
#include "main/commands.h"
#include "support/http_client.h"
#include "support/node_fixture.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using nlohmann::json;
using test::HttpClient;

constexpr const char* kShopifySecret = "shpss_test_0123456789abcdef";
constexpr const char* kWooSecret = "wc-secret-9876";

// An order as Shopify's orders/create sends it (the fields Vouch reads and some it does not).
json ShopifyOrder() {
  return json::parse(R"({
    "id": 5901234567890,
    "admin_graphql_api_id": "gid://shopify/Order/5901234567890",
    "name": "#1042",
    "email": "lena.vogel@example.com",
    "contact_email": "lena.vogel@example.com",
    "phone": null,
    "created_at": "2026-11-20T11:15:00+01:00",
    "currency": "EUR",
    "total_price": "84.50",
    "financial_status": "paid",
    "customer_locale": "de-DE",
    "landing_site": "/products/ridge-jacket?utm_source=newsletter",
    "browser_ip": "203.0.113.9",
    "discount_codes": [{"code": "welcome10", "amount": "9.39", "type": "percentage"}],
    "line_items": [
      {"id": 1301, "product_id": 832001, "variant_id": 9001, "title": "Ridge jacket",
       "quantity": 1, "price": "79.00", "product_type": "Jackets", "vendor": "Ridge"},
      {"id": 1302, "product_id": null, "title": "Gift wrap", "quantity": 2, "price": "2.75"}
    ],
    "billing_address": {"first_name": "Lena", "last_name": "Vogel", "phone": "030 1234567"},
    "shipping_address": {"first_name": "Lena", "last_name": "Vogel", "city": "Berlin", "country_code": "DE"},
    "customer": {
      "id": 7001,
      "admin_graphql_api_id": "gid://shopify/Customer/7001",
      "email": "lena.vogel@example.com",
      "first_name": "Lena",
      "last_name": "Vogel",
      "phone": "+4915112345678",
      "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in"},
      "sms_marketing_consent": null
    }
  })");
}

// An order as WooCommerce's order.created sends it.
json WooOrder() {
  return json::parse(R"({
    "id": 812,
    "status": "processing",
    "currency": "EUR",
    "date_created": "2026-11-20T12:15:00",
    "date_created_gmt": "2026-11-20T11:15:00",
    "total": "41.80",
    "customer_id": 0,
    "billing": {"first_name": "Jonas", "last_name": "Berg", "email": "Jonas.Berg@Example.com",
                "phone": "0176 5550123", "country": "DE"},
    "line_items": [{"id": 31, "name": "Trail socks", "product_id": 93, "quantity": 2, "price": 20.9,
                    "total": "41.80"}],
    "coupon_lines": [{"id": 5, "code": "friends-5", "discount": "2.20"}]
  })");
}

class HooksTest : public test::NodeTest {
 protected:
  HooksTest() : NodeTest("Ridge Shop", "https://ridge.example") {}

  void SetUp() override {
    NodeTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto r =
        Patch(json{{"shopify_webhook_secret", kShopifySecret}, {"woocommerce_webhook_secret", kWooSecret}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  test::HttpResponse Patch(const json& settings) {
    return http_.Patch(base_ + "/api/v1/settings", settings.dump(), Auth());
  }

  test::HttpResponse Shopify(const std::string& topic, const std::string& body, const std::string& webhook_id,
                             const std::string& secret = kShopifySecret, const std::string& shop = "") {
    return http_.Post(base_ + "/hooks/shopify/" + (shop.empty() ? ShopId() : shop), body,
                      {{"Content-Type", "application/json"},
                       {"X-Shopify-Topic", topic},
                       {"X-Shopify-Hmac-Sha256", app::HookSignature(secret, body)},
                       {"X-Shopify-Shop-Domain", "ridge.myshopify.com"},
                       {"X-Shopify-Webhook-Id", webhook_id}});
  }
  test::HttpResponse Woo(const std::string& topic, const std::string& body, const std::string& delivery,
                         const std::string& secret = kWooSecret) {
    return http_.Post(base_ + "/hooks/woocommerce/" + ShopId(), body,
                      {{"Content-Type", "application/json"},
                       {"X-WC-Webhook-Topic", topic},
                       {"X-WC-Webhook-Resource", "order"},
                       {"X-WC-Webhook-Signature", app::HookSignature(secret, body)},
                       {"X-WC-Webhook-Delivery-ID", delivery}});
  }

  // The customer's export (GET /api/v1/customers/{id}/export), or null when unknown.
  json Export(const std::string& customer) {
    auto r = http_.Get(base_ + "/api/v1/customers/" + customer + "/export", Auth());
    if (r.status == 404) return nullptr;
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  int64_t OrderCount() {
    auto f = http_.Get(base_ + "/api/v1/funnel?from=2000-01-01&to=2100-01-01", Auth());
    return json::parse(f.body)["orders"].get<int64_t>();
  }
  static std::string FieldOf(const test::HttpResponse& r) {
    json j = json::parse(r.body, nullptr, false);
    return j.is_object() ? j.value("field", "") : "";
  }
};

TEST_P(HooksTest, SettingsShowSecretsOnlyAsSetOrUnset) {
  auto r = http_.Get(base_ + "/api/v1/settings", Auth());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(kShopifySecret), std::string::npos);
  EXPECT_EQ(r.body.find(kWooSecret), std::string::npos);
  json j = json::parse(r.body);
  EXPECT_EQ(j["shopify_webhook_secret_set"], true);
  EXPECT_EQ(j["woocommerce_webhook_secret_set"], true);
  EXPECT_EQ(j["shopify_ingest_on"], "orders/create");
  auto cleared = Patch(json{{"woocommerce_webhook_secret", ""}});
  ASSERT_EQ(cleared.status, 200);
  EXPECT_EQ(json::parse(cleared.body)["woocommerce_webhook_secret_set"], false);
  auto bad = Patch(json{{"shopify_ingest_on", "orders/fulfilled"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FieldOf(bad), "shopify_ingest_on");
  auto spaced = Patch(json{{"shopify_webhook_secret", "has space"}});
  EXPECT_EQ(spaced.status, 400);
  EXPECT_EQ(FieldOf(spaced), "shopify_webhook_secret");
}

TEST_P(HooksTest, ShopifyOrderIsMappedAndIngested) {
  auto r = Shopify("orders/create", ShopifyOrder().dump(), "wh-1");
  ASSERT_EQ(r.status, 201) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["id"], "5901234567890");
  json e = Export("7001");  // the customer's numeric id
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(e["customer"]["email"], "lena.vogel@example.com");
  EXPECT_EQ(e["customer"]["phone"], "+4915112345678");
  EXPECT_EQ(e["customer"]["first_name"], "Lena");
  EXPECT_EQ(e["customer"]["last_name"], "Vogel");
  EXPECT_EQ(e["customer"]["locale"], "de-DE");
  ASSERT_EQ(e["orders"].size(), 1u);
  EXPECT_EQ(e["orders"][0]["id"], "5901234567890");
  EXPECT_EQ(e["orders"][0]["total"]["minor"], 8450);
  EXPECT_EQ(e["orders"][0]["discount_codes"], json::array({"WELCOME10"}));
  EXPECT_EQ(e["orders"][0]["created_at"], "2026-11-20T10:15:00Z");
}

TEST_P(HooksTest, ShopifyIdsFallBackToTheGraphqlIdAndAGuestToTheOrdersContact) {
  json o = ShopifyOrder();
  o.erase("id");  // "gid://shopify/Order/5901234567890" names the same order
  o["customer"].erase("id");
  auto r = Shopify("orders/create", o.dump(), "wh-gid");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["id"], "5901234567890");
  EXPECT_TRUE(Export("7001").is_object());

  json guest = ShopifyOrder();
  guest["id"] = 5901234567891;
  guest.erase("customer");
  guest["email"] = "";
  guest["contact_email"] = "guest.buyer@example.com";
  guest["billing_address"]["phone"] = "+49 30 1234567";
  auto g = Shopify("orders/create", guest.dump(), "wh-guest");
  ASSERT_EQ(g.status, 201) << g.body;
  auto d =
      Shopify("customers/data_request",
              json{{"shop_id", 1}, {"customer", {{"email", "guest.buyer@example.com"}}}}.dump(), "wh-dr");
  ASSERT_EQ(d.status, 200) << d.body;
  json ex = json::parse(d.body);
  EXPECT_EQ(ex["status"], "exported");
  ASSERT_EQ(ex["customers"].size(), 1u);
  EXPECT_EQ(ex["customers"][0]["customer"]["first_name"], "Lena");  // from the billing address
  EXPECT_EQ(ex["customers"][0]["customer"]["phone"], "+49301234567");
}

TEST_P(HooksTest, ShopifySignatureIsCheckedOverTheRawBody) {
  const std::string body = ShopifyOrder().dump();
  auto wrong = Shopify("orders/create", body, "wh-x", "not-the-secret");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(wrong.Header("content-type"), "application/problem+json");
  EXPECT_EQ(FieldOf(wrong), "X-Shopify-Hmac-Sha256");
  // Signed, then changed on the way: one byte of whitespace is enough.
  auto tampered = http_.Post(base_ + "/hooks/shopify/" + ShopId(), body + " ",
                             {{"X-Shopify-Topic", "orders/create"},
                              {"X-Shopify-Hmac-Sha256", app::HookSignature(kShopifySecret, body)}});
  EXPECT_EQ(tampered.status, 401);
  auto unsigned_ =
      http_.Post(base_ + "/hooks/shopify/" + ShopId(), body, {{"X-Shopify-Topic", "orders/create"}});
  EXPECT_EQ(unsigned_.status, 401);
  EXPECT_EQ(Shopify("orders/create", body, "wh-y", kShopifySecret, "999").status, 401);  // no such shop
  EXPECT_EQ(Shopify("orders/create", body, "wh-z", kShopifySecret, "abc").status, 401);
  ASSERT_EQ(Patch(json{{"shopify_webhook_secret", ""}}).status, 200);
  EXPECT_EQ(Shopify("orders/create", body, "wh-w", "").status, 401);  // unset: nothing is accepted
  EXPECT_EQ(OrderCount(), 0);
}

TEST_P(HooksTest, ShopifyDeliveryIsDoneOnceAndAFailedOneIsNotRemembered) {
  const std::string body = ShopifyOrder().dump();
  ASSERT_EQ(Shopify("orders/create", body, "wh-1").status, 201);
  auto again = Shopify("orders/create", body, "wh-1");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["status"], "duplicate");
  // Another delivery of the same order (another topic or a resend): ingest's own idempotency.
  auto other = Shopify("orders/create", body, "wh-2");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(json::parse(other.body)["created"], false);
  EXPECT_EQ(OrderCount(), 1);

  json bad = ShopifyOrder();
  bad["id"] = 77;
  bad["total_price"] = "a lot";
  auto b1 = Shopify("orders/create", bad.dump(), "wh-bad");
  EXPECT_EQ(b1.status, 400);
  EXPECT_EQ(FieldOf(b1), "total_price");
  auto b2 = Shopify("orders/create", bad.dump(), "wh-bad");  // not a duplicate: it was not done
  EXPECT_EQ(b2.status, 400);
  json noitem = ShopifyOrder();
  noitem["id"] = 78;
  noitem["line_items"][1]["quantity"] = "two";
  auto b3 = Shopify("orders/create", noitem.dump(), "wh-bad-2");
  EXPECT_EQ(b3.status, 400);
  EXPECT_EQ(FieldOf(b3), "line_items[1].quantity");
  EXPECT_EQ(OrderCount(), 1);
}

TEST_P(HooksTest, ShopifyIngestsOnTheChosenTopicAndIgnoresOthers) {
  const std::string body = ShopifyOrder().dump();
  ASSERT_EQ(Patch(json{{"shopify_ingest_on", "orders/paid"}}).status, 200);
  auto created = Shopify("orders/create", body, "wh-c");
  ASSERT_EQ(created.status, 200);
  EXPECT_EQ(json::parse(created.body)["status"], "ignored");
  EXPECT_EQ(OrderCount(), 0);
  auto paid = Shopify("orders/paid", body, "wh-p");
  EXPECT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(OrderCount(), 1);
  auto other = Shopify("products/update", R"({"id": 1})", "wh-o");
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(json::parse(other.body)["status"], "ignored");
  EXPECT_EQ(json::parse(other.body)["topic"], "products/update");
}

TEST_P(HooksTest, ShopifyPrivacyTopicsExportAndErase) {
  ASSERT_EQ(Shopify("orders/create", ShopifyOrder().dump(), "wh-1").status, 201);
  json other = ShopifyOrder();
  other["id"] = 5901234567999;
  other["email"] = other["contact_email"] = other["customer"]["email"] = "max@example.com";
  other["customer"]["id"] = 7002;
  other["customer"]["phone"] = nullptr;
  ASSERT_EQ(Shopify("orders/create", other.dump(), "wh-2").status, 201);

  const json who{
      {"shop_id", 60123},
      {"shop_domain", "ridge.myshopify.com"},
      {"customer", {{"id", 7001}, {"email", "lena.vogel@example.com"}, {"phone", "+4915112345678"}}},
      {"orders_requested", {5901234567890}},
      {"data_request", {{"id", 9999}}}};
  auto dr = Shopify("customers/data_request", who.dump(), "wh-dr");
  ASSERT_EQ(dr.status, 200) << dr.body;
  json ex = json::parse(dr.body);
  ASSERT_EQ(ex["customers"].size(), 1u);
  EXPECT_EQ(ex["customers"][0]["customer"]["id"], "7001");
  EXPECT_EQ(ex["customers"][0]["orders"][0]["id"], "5901234567890");

  auto rd = Shopify("customers/redact", who.dump(), "wh-rd");
  ASSERT_EQ(rd.status, 200) << rd.body;
  EXPECT_EQ(json::parse(rd.body)["customers"], 1);
  EXPECT_TRUE(Export("7001").is_null());
  EXPECT_TRUE(Export("7002").is_object());                         // another person is kept
  auto none = Shopify("customers/redact", who.dump(), "wh-rd-2");  // nothing left: still 200
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(json::parse(none.body)["customers"], 0);
  EXPECT_EQ(Shopify("customers/redact", R"({"shop_id": 1})", "wh-rd-3").status, 400);

  auto shop = Shopify("shop/redact", R"({"shop_id": 60123, "shop_domain": "ridge.myshopify.com"})", "wh-sr");
  ASSERT_EQ(shop.status, 200) << shop.body;
  EXPECT_EQ(json::parse(shop.body)["customers"], 1);
  EXPECT_TRUE(Export("7002").is_null());
}

TEST_P(HooksTest, WooCommercePingIsAnswered) {
  auto r = http_.Post(base_ + "/hooks/woocommerce/" + ShopId(), "webhook_id=17",
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(OrderCount(), 0);
}

TEST_P(HooksTest, WooCommerceOrderIsIngestedOncePaid) {
  json pending = WooOrder();
  pending["status"] = "pending";
  auto p = Woo("order.created", pending.dump(), "d-1");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(json::parse(p.body)["status"], "ignored");
  EXPECT_EQ(OrderCount(), 0);

  auto r = Woo("order.updated", WooOrder().dump(), "d-2");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["id"], "812");
  // A guest (customer_id 0) is known by the billing email; the national phone is left out.
  json e = Export("email:jonas.berg@example.com");
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(e["customer"]["first_name"], "Jonas");
  EXPECT_EQ(e["customer"]["phone"], "");
  EXPECT_EQ(e["orders"][0]["created_at"], "2026-11-20T11:15:00Z");
  EXPECT_EQ(e["orders"][0]["total"]["minor"], 4180);
  EXPECT_EQ(e["orders"][0]["discount_codes"], json::array({"FRIENDS-5"}));

  auto dup = Woo("order.updated", WooOrder().dump(), "d-2");
  EXPECT_EQ(json::parse(dup.body)["status"], "duplicate");
  json done = WooOrder();
  done["status"] = "completed";
  auto c = Woo("order.updated", done.dump(), "d-3");
  EXPECT_EQ(c.status, 200);
  EXPECT_EQ(json::parse(c.body)["created"], false);

  json member = WooOrder();
  member["id"] = 813;
  member["customer_id"] = 44;
  member["billing"]["phone"] = "+49 176 5550123";
  ASSERT_EQ(Woo("order.created", member.dump(), "d-4").status, 201);
  json m = Export("44");
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(m["customer"]["phone"], "+491765550123");
  EXPECT_EQ(OrderCount(), 2);
}

// National numbers in the shop's default region (issue 14): the addresses' phones of both stores
// are read in the shipping country, else the shop's default_region; one that cannot be read in
// either is dropped, and the order still comes in.
TEST_P(HooksTest, NationalPhonesAreReadInTheShopsDefaultRegion) {
  ASSERT_EQ(Patch(json{{"default_region", "DE"}}).status, 200);
  json woo = WooOrder();  // billing phone "0176 5550123", no shipping address
  ASSERT_EQ(Woo("order.created", woo.dump(), "d-de").status, 201);
  EXPECT_EQ(Export("email:jonas.berg@example.com")["customer"]["phone"], "+491765550123");

  json abroad = WooOrder();  // shipped to Austria: the national number is Austrian
  abroad["id"] = 814;
  abroad["billing"]["email"] = "mia.gruber@example.com";
  abroad["billing"]["phone"] = "0664 1234567";
  abroad["shipping"] = {{"address_1", "Ringstrasse 1"}, {"postcode", "1010"}, {"country", "AT"}};
  ASSERT_EQ(Woo("order.created", abroad.dump(), "d-at").status, 201);
  EXPECT_EQ(Export("email:mia.gruber@example.com")["customer"]["phone"], "+436641234567");

  json unreadable = WooOrder();
  unreadable["id"] = 815;
  unreadable["billing"]["email"] = "ole.hansen@example.com";
  unreadable["billing"]["phone"] = "12";
  auto r = Woo("order.created", unreadable.dump(), "d-bad");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Export("email:ole.hansen@example.com")["customer"]["phone"], "");

  json guest = ShopifyOrder();  // a guest whose only phone is the billing address's national one
  guest["id"] = 5901234567892;
  guest.erase("customer");
  guest["email"] = "";
  guest["phone"] = nullptr;
  guest["contact_email"] = "guest.de@example.com";
  guest["billing_address"]["phone"] = "030 1234567";
  guest.erase("shipping_address");
  auto g = Shopify("orders/create", guest.dump(), "wh-de");
  ASSERT_EQ(g.status, 201) << g.body;
  EXPECT_EQ(Export("email:guest.de@example.com")["customer"]["phone"], "+49301234567");
  EXPECT_EQ(OrderCount(), 4);
}

TEST_P(HooksTest, WooCommerceRefusesABadSignatureAndNamesABadField) {
  auto wrong = Woo("order.created", WooOrder().dump(), "d-1", kShopifySecret);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(FieldOf(wrong), "X-WC-Webhook-Signature");
  json bad = WooOrder();
  bad["date_created_gmt"] = "yesterday";
  auto b = Woo("order.created", bad.dump(), "d-2");
  EXPECT_EQ(b.status, 400);
  EXPECT_EQ(FieldOf(b), "created_at");
  EXPECT_EQ(Woo("coupon.created", R"({"id": 3})", "d-3").status, 200);
  EXPECT_EQ(OrderCount(), 0);
}

TEST_P(HooksTest, ShopifyRefundsAndCancellationsChangeTheOrder) {
  ASSERT_EQ(Shopify("orders/create", ShopifyOrder().dump(), "wh-1").status, 201);
  // A refund as refunds/create sends it: money back in two transactions, one of them failed.
  const json refund = json::parse(R"({
    "id": 880011, "order_id": 5901234567890, "created_at": "2026-11-22T09:00:00+01:00",
    "refund_line_items": [{"line_item_id": 1302, "quantity": 2, "restock_type": "no_restock"}],
    "transactions": [
      {"id": 1, "kind": "refund", "status": "success", "amount": "3.50", "currency": "EUR"},
      {"id": 2, "kind": "refund", "status": "success", "amount": "2.00", "currency": "EUR"},
      {"id": 3, "kind": "refund", "status": "failure", "amount": "9.00", "currency": "EUR"}
    ]})");
  auto r = Shopify("refunds/create", refund.dump(), "wh-r1");
  ASSERT_EQ(r.status, 201) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["order"]["refunded"]["minor"], 550);
  EXPECT_EQ(j["refund"]["refund_id"], "880011");
  auto resent = Shopify("refunds/create", refund.dump(), "wh-r1-again");  // another delivery id
  ASSERT_EQ(resent.status, 200) << resent.body;
  EXPECT_EQ(json::parse(resent.body)["order"]["refunded"]["minor"], 550);
  json restock = refund;
  restock["id"] = 880012;
  restock["transactions"] = json::array();
  auto none = Shopify("refunds/create", restock.dump(), "wh-r2");
  EXPECT_EQ(json::parse(none.body)["status"], "ignored");
  json other = refund;
  other["order_id"] = 1;  // never came in
  auto unknown = Shopify("refunds/create", other.dump(), "wh-r3");
  ASSERT_EQ(unknown.status, 200);
  EXPECT_EQ(json::parse(unknown.body)["status"], "unknown_order");
  auto cancelled = Shopify("orders/cancelled", ShopifyOrder().dump(), "wh-c");
  ASSERT_EQ(cancelled.status, 201) << cancelled.body;
  EXPECT_FALSE(json::parse(cancelled.body)["order"]["cancelled_at"].is_null());
  EXPECT_EQ(Shopify("refunds/create", R"({"id": 5})", "wh-r4").status, 400);
}

TEST_P(HooksTest, WooCommerceRefundsAndCancellationsChangeTheOrder) {
  ASSERT_EQ(Woo("order.created", WooOrder().dump(), "d-1").status, 201);
  json partial = WooOrder();
  partial["refunds"] = json::parse(R"([{"id": 901, "reason": "torn", "total": "-20.90"}])");
  auto p = Woo("order.updated", partial.dump(), "d-2");
  ASSERT_EQ(p.status, 200) << p.body;  // the order was known; its refund is recorded once
  json refunded = partial;
  refunded["status"] = "refunded";
  refunded["refunds"].push_back(json{{"id", 902}, {"total", "-20.90"}});
  auto r = Woo("order.updated", refunded.dump(), "d-3");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["order"]["refunded"]["minor"], 4180);
  // A total signed twice (found by fuzz_hooks) is no amount: refused naming it, nothing recorded.
  json twice = WooOrder();
  twice["refunds"] = json::parse(R"([{"id": 903, "total": "--5.00"}])");
  auto bad = Woo("order.updated", twice.dump(), "d-5");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(json::parse(bad.body).value("field", ""), "amount") << bad.body;
  json cancelled = WooOrder();
  cancelled["id"] = 812;
  cancelled["status"] = "cancelled";
  auto c = Woo("order.updated", cancelled.dump(), "d-4");
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_FALSE(json::parse(c.body)["order"]["cancelled_at"].is_null());
}

TEST_P(HooksTest, OrdersImportTakesCsvAndReportsBadRows) {
  const std::string csv =
      "id,created_at,currency,total_price,email,title,quantity,price\n"
      "i-1,2026-06-01T10:00:00Z,EUR,20.00,ann@example.com,Cap,1,20.00\n"
      "i-2,2026-06-01T10:00:00Z,EUR,20.00,,Cap,1,20.00\n";
  HttpClient::Headers h{{"Authorization", "Bearer " + key_}, {"Content-Type", "text/csv"}};
  auto r = http_.Post(base_ + "/api/v1/orders/import", csv, h);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["created"], 1);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["problems"][0]["line"], 3);
  EXPECT_EQ(j["problems"][0]["field"], "customer.id");
  auto again = http_.Post(base_ + "/api/v1/orders/import?survey_recent=30d", csv, h);
  EXPECT_EQ(json::parse(again.body)["existing"], 1);
  auto bad = http_.Post(base_ + "/api/v1/orders/import?survey_recent=forever", csv, h);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FieldOf(bad), "survey_recent");
  auto header = http_.Post(base_ + "/api/v1/orders/import", "email\nx@example.com\n", h);
  EXPECT_EQ(header.status, 400);
  EXPECT_EQ(FieldOf(header), "header");
  EXPECT_EQ(http_.Post(base_ + "/api/v1/orders/import", csv, {{"Content-Type", "text/csv"}}).status, 401);
  EXPECT_EQ(OrderCount(), 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, HooksTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
