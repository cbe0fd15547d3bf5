// Orders from CSV: the RFC 4180 reader over a source handing out pieces of any size, the two
// column sets mapped onto RawOrder, and Imports on every store (line numbers of bad rows,
// idempotent re-import, surveys only for recent orders when asked).
#include "app/order_csv.h"

#include <gtest/gtest.h>

#include "app/app.h"
#include "app/imports.h"
#include "app/store_app_test.h"

namespace vouch::app {
namespace {

// A source handing out `text` `piece` bytes at a time.
CsvSource Pieces(const std::string& text, size_t piece) {
  auto pos = std::make_shared<size_t>(0);
  return [text, piece, pos]() -> std::string_view {
    std::string_view rest = std::string_view(text).substr(*pos);
    rest = rest.substr(0, piece);
    *pos += rest.size();
    return rest;
  };
}

std::vector<std::vector<std::string>> ReadAll(const std::string& text, size_t piece,
                                              std::vector<size_t>* lines = nullptr) {
  CsvReader r(Pieces(text, piece));
  std::vector<std::vector<std::string>> out;
  for (;;) {
    size_t line = 0;
    auto rec = r.Next(line);
    EXPECT_TRUE(rec.ok()) << rec.error().field << ": " << rec.error().message;
    if (!rec.ok() || !rec->has_value()) return out;
    out.push_back(**rec);
    if (lines) lines->push_back(line);
  }
}

TEST(CsvReaderTest, ReadsQuotedFieldsAcrossPiecesOfAnySize) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\r\n"
      "1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n"
      "\n"
      "x,\"multi\nline\",\r\n"
      "last,,end";
  const std::vector<std::vector<std::string>> want = {
      {"a", "b", "c"}, {"1", "two, with comma", "say \"hi\""}, {"x", "multi\nline", ""}, {"last", "", "end"}};
  for (size_t piece : {1, 2, 3, 7, 1000}) {
    std::vector<size_t> lines;
    EXPECT_EQ(ReadAll(text, piece, &lines), want) << "piece " << piece;
    EXPECT_EQ(lines, (std::vector<size_t>{1, 2, 4, 6})) << "piece " << piece;
  }
}

TEST(CsvReaderTest, BrokenRecordsNameTheirLine) {
  CsvReader open(Pieces("a\n\"never closed\n", 4));
  size_t line = 0;
  ASSERT_TRUE(open.Next(line).ok());
  auto r = open.Next(line);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "line 2");
  CsvReader after(Pieces("\"quoted\"tail\n", 100));
  auto a = after.Next(line);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().field, "line 1");
}

TEST(OrderCsvReaderTest, MapsShopifysExportWithOneRowPerLineItem) {
  const std::string text =
      "Name,Email,Financial Status,Created at,Currency,Total,Discount Code,Lineitem quantity,"
      "Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Phone,Phone,Id\n"
      "#1001,anna@example.com,paid,2026-11-20 10:15:00 +0100,EUR,64.90,\"save10, vip\",1,Trail "
      "shoe,59.90,TS-1,"
      "Anna Maria Schmidt,030 1234,,4001\n"
      "#1001,,,,,,,2,\"Socks, wool\",2.50,SO-1,,,,4001\n"
      "#1002,bo@example.com,paid,2026-11-21 09:00:00 -0500,USD,10.00,,1,Cap,10.00,,Bo,+49 30 1234567,,4002\n";
  OrderCsvReader r(Pieces(text, 5));
  auto first = r.Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  CsvOrder& o = **first;
  EXPECT_EQ(o.line, 2u);
  EXPECT_EQ(o.item_lines, (std::vector<size_t>{2, 3}));
  auto in = ValidateOrder(std::move(o.raw));
  ASSERT_TRUE(in.ok()) << in.error().field << ": " << in.error().message;
  EXPECT_EQ(in->external_id, "4001");
  EXPECT_EQ(in->created_at, *ParseRfc3339("2026-11-20T09:15:00Z", "t"));
  EXPECT_EQ(in->total_minor, 6490);
  EXPECT_EQ(in->customer.email, "anna@example.com");
  EXPECT_EQ(in->customer.phone, "");  // a national number in an address column is left out
  EXPECT_EQ(in->customer.first_name, "Anna");
  EXPECT_EQ(in->customer.last_name, "Maria Schmidt");
  EXPECT_EQ(in->discount_codes, (std::vector<std::string>{"SAVE10", "VIP"}));
  ASSERT_EQ(in->items.size(), 2u);
  EXPECT_EQ(in->items[1].title, "Socks, wool");
  EXPECT_EQ(in->items[1].quantity, 2);
  EXPECT_EQ(in->items[1].price_minor, 250);
  EXPECT_EQ(in->items[1].product_id, "SO-1");
  auto second = r.Next();
  ASSERT_TRUE(second.ok() && second->has_value());
  auto in2 = ValidateOrder(std::move((*second)->raw));
  ASSERT_TRUE(in2.ok()) << in2.error().message;
  EXPECT_EQ(in2->created_at, *ParseRfc3339("2026-11-21T14:00:00Z", "t"));
  EXPECT_EQ(in2->customer.phone, "+49301234567");
  auto end = r.Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(OrderCsvReaderTest, AHeaderWithoutIdOrTimeIsRefused) {
  OrderCsvReader none(Pieces("email,total\nx@example.com,1\n", 100));
  auto r = none.Next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "header");
  OrderCsvReader empty(Pieces("", 100));
  EXPECT_FALSE(empty.Next().ok());
}

TEST(ParseSpanTest, TakesDaysAndHours) {
  EXPECT_EQ(*ParseSpan("30d", "f"), Millis{std::chrono::days{30}});
  EXPECT_EQ(*ParseSpan("12h", "f"), Millis{std::chrono::hours{12}});
  for (const char* bad : {"", "d", "0d", "-3d", "30", "30m", "3x0d"}) {
    auto r = ParseSpan(bad, "--survey-recent");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "--survey-recent");
  }
}

const Instant kNow = *ParseRfc3339("2026-12-04T12:00:00Z", "now");

class ImportsTest : public StoreAppTest {
 protected:
  ImportsTest() : StoreAppTest(kNow) {}
  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok());
    shop_ = created->shop;
  }
  Result<ImportReport> Import(const std::string& csv, ImportOptions options = {}) {
    return app_->imports().Orders(shop_, Pieces(csv, 64), options);
  }
  store::Shop shop_;
};

const char* kCsv =
    "id,created_at,currency,total_price,customer_id,email,first_name,discount_codes,title,quantity,price\n"
    "o-1,2026-06-01T10:00:00Z,EUR,59.90,c-1,anna@example.com,Anna,,Trail shoe,1,59.90\n"
    "o-2,2026-12-01T10:00:00Z,EUR,20.00,c-2,bo@example.com,Bo,,Cap,1,20.00\n"
    "o-3,2026-12-02T10:00:00Z,EUR,twenty,c-3,cy@example.com,Cy,,Cap,1,20.00\n"
    "o-4,2026-12-02T11:00:00Z,EUR,20.00,c-4,dee@example.com,Dee,,Cap,1,20.00\n"
    "o-4,,,,,,,,Socks,x,2.00\n"
    "o-5,2026-12-03T10:00:00Z,EUR,20.00,c-1,anna@example.com,Anna,,Cap,1,20.00\n";

TEST_P(ImportsTest, BadRowsAreReportedAndTheRestImportedOnce) {
  auto r = Import(kCsv);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->created, 3);
  EXPECT_EQ(r->failed, 2);
  EXPECT_EQ(r->surveyed, 0);  // history: no surveys unless asked
  ASSERT_EQ(r->problems.size(), 2u);
  EXPECT_EQ(r->problems[0].line, 4u);
  EXPECT_EQ(r->problems[0].field, "total_price");
  EXPECT_EQ(r->problems[1].line, 6u);  // the line item's own row
  EXPECT_EQ(r->problems[1].field, "line_items[1].quantity");
  auto again = Import(kCsv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 3);
  // The orders are the customer's history.
  auto e = app_->privacy().Export(shop_.id, "c-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->orders.size(), 2u);
  EXPECT_TRUE(e->surveys.empty());
}

TEST_P(ImportsTest, RecentOrdersAreSurveyedWhenAsked) {
  auto r = Import(kCsv, ImportOptions{Millis{std::chrono::days{30}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->created, 3);
  EXPECT_EQ(r->surveyed, 2);  // o-2 and o-5 (days old); o-1 is six months old
  auto e = app_->privacy().Export(shop_.id, "c-2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->surveys.size(), 1u);
}

TEST_P(ImportsTest, ABrokenRecordStopsTheReadingAfterWhatCameBefore) {
  auto r = Import(
      "id,created_at,currency,total_price,email\n"
      "o-1,2026-12-01T10:00:00Z,EUR,1.00,a@example.com\n"
      "o-2,2026-12-01T10:00:00Z,EUR,\"1.00,a@example.com\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->stopped);
  EXPECT_EQ(r->created, 1);
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_EQ(r->problems[0].line, 3u);
  auto header = Import("email\n");
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.error().field, "header");
}

INSTANTIATE_TEST_SUITE_P(Stores, ImportsTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
