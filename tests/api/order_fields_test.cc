// The order fields beyond the purchase (landing page, buyer IP, shipping address) and the
// customer's marketing consent, over real loopback HTTP on every store: through the JSON order
// API (one by one and the set path), batches and NDJSON, the CSV import, Shopify's and
// WooCommerce's webhooks; stored (read back through the customer's export); and an explicit
// "no" to email marketing skipping the survey mail as "no_consent".
#include <chrono>
#include <thread>

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

constexpr const char* kShopifySecret = "shpss_fields_0123456789";
constexpr const char* kWooSecret = "wc-fields-secret";

json Order(const std::string& id, const std::string& customer) {
  return json{{"id", id},
              {"created_at", "2026-11-20T10:00:00Z"},
              {"currency", "EUR"},
              {"total_price", "42.00"},
              {"customer", {{"id", customer}, {"email", customer + "@example.com"}}}};
}

class OrderFieldsTest : public test::NodeTest {
 protected:
  OrderFieldsTest() : NodeTest("Field Shop", "https://fields.example") {}

  void SetUp() override {
    NodeTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto r = http_.Patch(
        base_ + "/api/v1/settings",
        json{{"shopify_webhook_secret", kShopifySecret}, {"woocommerce_webhook_secret", kWooSecret}}.dump(),
        Auth());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  HttpClient::Headers Auth(const std::string& type = "application/json") {
    return {{"Authorization", "Bearer " + key_}, {"Content-Type", type}};
  }
  test::HttpResponse PostOrder(const json& o) {
    return http_.Post(base_ + "/api/v1/orders", o.dump(), Auth());
  }
  json Export(const std::string& customer) {
    auto r = http_.Get(base_ + "/api/v1/customers/" + customer + "/export", Auth());
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
  static std::string FieldOf(const test::HttpResponse& r) {
    json j = json::parse(r.body, nullptr, false);
    return j.is_object() ? j.value("field", "") : "";
  }
};

TEST_P(OrderFieldsTest, JsonOrderFieldsAreValidatedAndStored) {
  json o = Order("o-1", "c-1");
  o["landing_site"] = "/products/ridge?utm_source=mail";
  o["browser_ip"] = "2001:DB8:0:0::7";
  o["shipping_address"] = {{"line1", "Torstraße 1"}, {"zip", "10119"}, {"country", "de"}};
  o["customer"]["accepts_email_marketing"] = true;
  o["customer"]["accepts_sms_marketing"] = false;
  auto r = PostOrder(o);
  ASSERT_EQ(r.status, 201) << r.body;
  json e = Export("c-1");
  ASSERT_EQ(e["orders"].size(), 1u);
  EXPECT_EQ(e["orders"][0]["landing_site"], "/products/ridge?utm_source=mail");
  EXPECT_EQ(e["orders"][0]["browser_ip"], "2001:db8::7");  // canonical form
  EXPECT_EQ(e["orders"][0]["shipping_address"],
            (json{{"line1", "Torstraße 1"}, {"zip", "10119"}, {"country", "DE"}}));
  EXPECT_EQ(e["customer"]["accepts_email_marketing"], true);
  EXPECT_EQ(e["customer"]["accepts_sms_marketing"], false);

  // A later order that says nothing keeps what we knew; one that says something replaces it.
  json later = Order("o-2", "c-1");
  later["created_at"] = "2026-11-20T11:00:00Z";  // the export lists a customer's orders by time
  ASSERT_EQ(PostOrder(later).status, 201);
  EXPECT_EQ(Export("c-1")["customer"]["accepts_email_marketing"], true);
  later["id"] = "o-3";
  later["created_at"] = "2026-11-20T12:00:00Z";
  later["customer"]["accepts_email_marketing"] = false;
  ASSERT_EQ(PostOrder(later).status, 201);
  json after = Export("c-1");
  EXPECT_EQ(after["customer"]["accepts_email_marketing"], false);
  EXPECT_EQ(after["customer"]["accepts_sms_marketing"], false);
  EXPECT_EQ(after["orders"][1]["browser_ip"], "");
  EXPECT_TRUE(after["orders"][1]["shipping_address"].is_null());

  // Each bad value is a 400 naming its field, and nothing is stored.
  const std::vector<std::pair<json, std::string>> bad = {
      {json{{"browser_ip", "999.1.2.3"}}, "browser_ip"},
      {json{{"browser_ip", "203.0.113.7, 10.0.0.1"}}, "browser_ip"},
      {json{{"browser_ip", 3232235777}}, "browser_ip"},
      {json{{"landing_site", std::string(2001, 'a')}}, "landing_site"},
      {json{{"landing_site", "/a\nb"}}, "landing_site"},
      {json{{"shipping_address", "Torstraße 1"}}, "shipping_address"},
      {json{{"shipping_address", {{"country", "Germany"}}}}, "shipping_address.country"},
      {json{{"shipping_address", {{"zip", std::string(21, '1')}}}}, "shipping_address.zip"},
      {json{{"shipping_address", {{"line1", true}}}}, "shipping_address.line1"},
  };
  for (const auto& [patch, field] : bad) {
    json b = Order("bad", "c-bad");
    b.update(patch);
    auto br = PostOrder(b);
    EXPECT_EQ(br.status, 400) << field << ": " << br.body;
    EXPECT_EQ(FieldOf(br), field) << br.body;
  }
  for (const char* key : {"accepts_email_marketing", "accepts_sms_marketing"}) {
    json b = Order("bad", "c-bad");
    b["customer"][key] = "yes";
    auto br = PostOrder(b);
    EXPECT_EQ(br.status, 400) << br.body;
    EXPECT_EQ(FieldOf(br), std::string("customer.") + key);
  }
  auto none = http_.Get(base_ + "/api/v1/customers/c-bad/export", Auth());
  EXPECT_EQ(none.status, 404) << none.body;
}

TEST_P(OrderFieldsTest, BatchAndNdjsonTakeTheSetPath) {
  json batch = json::array();
  for (int i = 0; i < 20; ++i) {
    json o = Order("b-" + std::to_string(i), "bc-" + std::to_string(i));
    o["browser_ip"] = "198.51.100." + std::to_string(i + 1);
    o["landing_site"] = "/l/" + std::to_string(i);
    o["shipping_address"] = {{"zip", "8000" + std::to_string(i % 10)}, {"country", "CH"}};
    o["customer"]["accepts_email_marketing"] = i % 2 == 0;
    if (i % 3 == 0) o["customer"]["accepts_sms_marketing"] = true;
    batch.push_back(o);
  }
  json broken = Order("b-bad", "bc-bad");
  broken["shipping_address"] = {{"country", "CHE"}};
  batch.push_back(broken);
  auto r = http_.Post(base_ + "/api/v1/orders/batch", batch.dump(), Auth());
  ASSERT_EQ(r.status, 200) << r.body;
  json sum = json::parse(r.body);
  EXPECT_EQ(sum["created"], 20);
  EXPECT_EQ(sum["failed"], 1);
  EXPECT_EQ(sum["results"][20]["field"], "shipping_address.country");
  for (int i : {0, 7, 19}) {
    json e = Export("bc-" + std::to_string(i));
    EXPECT_EQ(e["orders"][0]["browser_ip"], "198.51.100." + std::to_string(i + 1));
    EXPECT_EQ(e["orders"][0]["landing_site"], "/l/" + std::to_string(i));
    EXPECT_EQ(e["orders"][0]["shipping_address"]["zip"], "8000" + std::to_string(i % 10));
    EXPECT_EQ(e["orders"][0]["shipping_address"]["line1"], "");
    EXPECT_EQ(e["customer"]["accepts_email_marketing"], i % 2 == 0);
    if (i % 3 == 0) {
      EXPECT_EQ(e["customer"]["accepts_sms_marketing"], true);
    } else {
      EXPECT_TRUE(e["customer"]["accepts_sms_marketing"].is_null());
    }
  }

  // NDJSON: an existing customer's consent changes through the set path's update.
  std::string nd;
  for (int i = 0; i < 3; ++i) {
    json o = Order("n-" + std::to_string(i), "bc-" + std::to_string(i));
    o["customer"]["accepts_email_marketing"] = false;
    o["browser_ip"] = "::ffff:192.0.2.1";
    o["created_at"] = "2026-11-20T11:00:00Z";
    nd += o.dump() + "\n";
  }
  auto n = http_.Post(base_ + "/api/v1/orders/batch", nd, Auth("application/x-ndjson"));
  ASSERT_EQ(n.status, 200) << n.body;
  EXPECT_EQ(json::parse(n.body)["created"], 3);
  json e0 = Export("bc-0");
  EXPECT_EQ(e0["customer"]["accepts_email_marketing"], false);
  EXPECT_EQ(e0["customer"]["accepts_sms_marketing"], true);  // not said: kept
  EXPECT_EQ(e0["orders"][1]["browser_ip"], "::ffff:192.0.2.1");
}

TEST_P(OrderFieldsTest, CsvImportReadsOurColumnsAndShopifysExportNames) {
  const std::string ours =
      "id,created_at,currency,total_price,customer_id,email,landing_site,browser_ip,shipping_line1,"
      "shipping_zip,shipping_country,accepts_email_marketing,accepts_sms_marketing\n"
      "v-1,2026-11-20T10:00:00Z,EUR,10.00,vc-1,vc1@example.com,/start,192.0.2.44,Hauptstr. 5,1010,at,"
      "true,false\n"
      "v-2,2026-11-20T10:00:00Z,EUR,10.00,vc-2,vc2@example.com,,not-an-ip,,,,,\n"
      "v-3,2026-11-20T10:00:00Z,EUR,10.00,vc-3,vc3@example.com,,,,,,maybe,\n";
  auto r = http_.Post(base_ + "/api/v1/orders/import", ours, Auth("text/csv"));
  ASSERT_EQ(r.status, 200) << r.body;
  json rep = json::parse(r.body);
  EXPECT_EQ(rep["created"], 1);
  ASSERT_EQ(rep["problems"].size(), 2u) << r.body;
  EXPECT_EQ(rep["problems"][0]["line"], 3);
  EXPECT_EQ(rep["problems"][0]["field"], "browser_ip");
  EXPECT_EQ(rep["problems"][1]["field"], "customer.accepts_email_marketing");
  json e = Export("vc-1");
  EXPECT_EQ(e["orders"][0]["landing_site"], "/start");
  EXPECT_EQ(e["orders"][0]["browser_ip"], "192.0.2.44");
  EXPECT_EQ(e["orders"][0]["shipping_address"],
            (json{{"line1", "Hauptstr. 5"}, {"zip", "1010"}, {"country", "AT"}}));
  EXPECT_EQ(e["customer"]["accepts_email_marketing"], true);
  EXPECT_EQ(e["customer"]["accepts_sms_marketing"], false);

  // Shopify's order export: "Accepts Marketing" yes/no, "Shipping Address1/Zip/Country".
  const std::string shopify =
      "Name,Email,Accepts Marketing,Currency,Total,Created at,Lineitem quantity,Lineitem name,"
      "Lineitem price,Shipping Address1,Shipping Zip,Shipping Country\n"
      "#2001,shop.buyer@example.com,no,EUR,20.00,2026-11-20 10:15:00 +0100,1,Cap,20.00,Rue 1,75001,FR\n";
  auto s = http_.Post(base_ + "/api/v1/orders/import", shopify, Auth("text/csv"));
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(json::parse(s.body)["created"], 1) << s.body;
  json se = Export("email:shop.buyer@example.com");
  EXPECT_EQ(se["customer"]["accepts_email_marketing"], false);
  EXPECT_EQ(se["orders"][0]["shipping_address"],
            (json{{"line1", "Rue 1"}, {"zip", "75001"}, {"country", "FR"}}));
}

TEST_P(OrderFieldsTest, ShopifyAndWooCommerceOrdersAreMapped) {
  // Shopify, without discount codes (the set path), consent in the newer objects.
  json s = json::parse(R"({
    "id": 6100000000001, "email": "mara@example.com", "created_at": "2026-11-20T11:15:00+01:00",
    "currency": "EUR", "total_price": "30.00", "landing_site": "/collections/caps?ref=ig",
    "browser_ip": "203.0.113.9", "buyer_accepts_marketing": true,
    "line_items": [{"product_id": 1, "title": "Cap", "quantity": 1, "price": "30.00"}],
    "shipping_address": {"address1": "Kastanienallee 9", "zip": "10435", "country": "Germany",
                         "country_code": "DE"},
    "customer": {"id": 8101, "email": "mara@example.com",
                 "email_marketing_consent": {"state": "unsubscribed"},
                 "sms_marketing_consent": {"state": "subscribed"}}
  })");
  auto post_shopify = [&](const json& body, const std::string& id) {
    const std::string text = body.dump();
    return http_.Post(base_ + "/hooks/shopify/" + ShopId(), text,
                      {{"Content-Type", "application/json"},
                       {"X-Shopify-Topic", "orders/create"},
                       {"X-Shopify-Hmac-Sha256", app::HookSignature(kShopifySecret, text)},
                       {"X-Shopify-Webhook-Id", id}});
  };
  auto r = post_shopify(s, "f-1");
  ASSERT_EQ(r.status, 201) << r.body;
  json e = Export("8101");
  EXPECT_EQ(e["orders"][0]["landing_site"], "/collections/caps?ref=ig");
  EXPECT_EQ(e["orders"][0]["browser_ip"], "203.0.113.9");
  EXPECT_EQ(e["orders"][0]["shipping_address"],
            (json{{"line1", "Kastanienallee 9"}, {"zip", "10435"}, {"country", "DE"}}));
  EXPECT_EQ(e["customer"]["accepts_email_marketing"], false);  // the state wins over the order's flag
  EXPECT_EQ(e["customer"]["accepts_sms_marketing"], true);

  // The older boolean, and "pending" (unknown: nothing changes).
  json older = s;
  older["id"] = 6100000000002;
  older["customer"] = {{"id", 8102}, {"email", "old@example.com"}, {"accepts_marketing", true}};
  ASSERT_EQ(post_shopify(older, "f-2").status, 201);
  EXPECT_EQ(Export("8102")["customer"]["accepts_email_marketing"], true);
  json pending = s;
  pending["id"] = 6100000000003;
  pending["created_at"] = "2026-11-20T11:16:00+01:00";
  pending["customer"]["email_marketing_consent"] = {{"state", "pending"}};
  pending["customer"]["sms_marketing_consent"] = {{"state", "not_subscribed"}};
  ASSERT_EQ(post_shopify(pending, "f-3").status, 201);
  json pe = Export("8101");
  EXPECT_EQ(pe["customer"]["accepts_email_marketing"], false);
  EXPECT_EQ(pe["customer"]["accepts_sms_marketing"], false);
  // A store's odd IP value is left out, not a reason to refuse the order Shopify would resend.
  EXPECT_EQ(pe["orders"][1]["browser_ip"], "203.0.113.9");
  json odd = s;
  odd["id"] = 6100000000004;
  odd["created_at"] = "2026-11-20T11:17:00+01:00";
  odd["browser_ip"] = "unknown";
  ASSERT_EQ(post_shopify(odd, "f-4").status, 201);
  EXPECT_EQ(Export("8101")["orders"][2]["browser_ip"], "");

  // WooCommerce: the shipping block and the customer's IP address.
  json w = json::parse(R"({
    "id": 913, "status": "processing", "currency": "EUR", "date_created_gmt": "2026-11-20T11:15:00",
    "total": "12.00", "customer_id": 44, "customer_ip_address": "192.0.2.200",
    "billing": {"first_name": "Ida", "email": "ida@example.com"},
    "shipping": {"first_name": "Ida", "address_1": "Lindenweg 2", "address_2": "", "postcode": "3011",
                 "country": "CH"},
    "line_items": [{"name": "Socks", "product_id": 3, "quantity": 1, "price": 12}]
  })");
  const std::string wt = w.dump();
  auto wr = http_.Post(base_ + "/hooks/woocommerce/" + ShopId(), wt,
                       {{"Content-Type", "application/json"},
                        {"X-WC-Webhook-Topic", "order.created"},
                        {"X-WC-Webhook-Signature", app::HookSignature(kWooSecret, wt)},
                        {"X-WC-Webhook-Delivery-ID", "wf-1"}});
  ASSERT_EQ(wr.status, 201) << wr.body;
  json we = Export("44");
  EXPECT_EQ(we["orders"][0]["shipping_address"],
            (json{{"line1", "Lindenweg 2"}, {"zip", "3011"}, {"country", "CH"}}));
  EXPECT_EQ(we["orders"][0]["browser_ip"], "192.0.2.200");
  EXPECT_TRUE(we["customer"]["accepts_email_marketing"].is_null());
}

TEST_P(OrderFieldsTest, NoEmailConsentSkipsTheSurveyMail) {
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": 0})", Auth()).status, 200);
  json no = Order("k-1", "k-no");
  no["created_at"] = FormatRfc3339(SystemClock().Now());
  no["customer"]["accepts_email_marketing"] = false;
  no["browser_ip"] = "192.0.2.9";
  no["shipping_address"] = {{"line1", "Weg 1"}, {"zip", "1000"}, {"country", "BE"}};
  json yes = Order("k-2", "k-yes");
  yes["created_at"] = FormatRfc3339(SystemClock().Now());
  ASSERT_EQ(PostOrder(no).status, 201);
  ASSERT_EQ(PostOrder(yes).status, 201);
  json jobs;
  for (int i = 0; i < 200; ++i) {
    auto r = http_.Get(base_ + "/api/v1/jobs", Auth());
    jobs = json::parse(r.body);
    if (jobs["counts"]["pending"] == 0 && jobs["counts"]["running"] == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(jobs["counts"]["skipped"], 1) << jobs.dump();
  EXPECT_EQ(jobs["counts"]["done"], 1) << jobs.dump();
  bool seen = false;
  for (const auto& j : jobs["jobs"]) {
    if (j["status"] == "skipped") {
      EXPECT_EQ(j["last_error"], "no_consent");
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
  auto mail = sink_.WaitForMessages(1, std::chrono::seconds(10));
  ASSERT_EQ(mail.size(), 1u);  // only the consenting customer's survey mail
  EXPECT_NE(mail[0].find("k-yes@example.com"), std::string::npos);
  EXPECT_EQ(sink_.Messages().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, OrderFieldsTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
