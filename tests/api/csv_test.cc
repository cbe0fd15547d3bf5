// CSV fields as the exports write them (api/csv.h): RFC 4180 quoting and formula neutralising.
#include "api/csv.h"

#include <gtest/gtest.h>

namespace vouch::api {
namespace {

std::string Field(std::string_view s) {
  std::string out;
  AppendCsvField(out, s);
  return out;
}

TEST(CsvTest, QuotesOnlyWhatNeedsItAndDoublesQuotes) {
  EXPECT_EQ(Field("plain text"), "plain text");
  EXPECT_EQ(Field(""), "");
  EXPECT_EQ(Field("a,b"), "\"a,b\"");
  EXPECT_EQ(Field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Field("<script>alert(1)</script>"), "<script>alert(1)</script>");
  EXPECT_EQ(Field("Zoë Müller"), "Zoë Müller");
}

TEST(CsvTest, CellsASpreadsheetWouldRunGetALeadingQuote) {
  EXPECT_EQ(Field("=1+1"), "'=1+1");
  EXPECT_EQ(Field("+49 151"), "'+49 151");
  EXPECT_EQ(Field("-2"), "'-2");
  EXPECT_EQ(Field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(Field("\t=1"), "'\t=1");
  EXPECT_EQ(Field("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(Field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(Field("a=1"), "a=1");  // only a leading one is a formula
}

TEST(CsvTest, RowsAreCommaSeparatedAndEndWithCrlf) {
  std::string out;
  AppendCsvRow(out, {"1", "a,b", "", "=x"});
  AppendCsvRow(out, {"2"});
  EXPECT_EQ(out, "1,\"a,b\",,'=x\r\n2\r\n");
}

}  // namespace
}  // namespace vouch::api
