// Well-formed UTF-8 by the Unicode standard's table, and repair that keeps what is valid.
#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch {
namespace {

TEST(Utf8Test, ValidatesByTheStandardsTable) {
  for (const std::string ok :
       {"", "plain", "J\xC3\xBCrgen", "\xE2\x82\xAC 10", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(IsValidUtf8(ok)) << ok;
  }
  for (const std::string bad : {"\xFF", "\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "ok\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
  }
}

TEST(Utf8Test, RepairReplacesBadBytesAndCutsOnACharacterBoundary) {
  EXPECT_EQ(RepairUtf8("a\xFF"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(RepairUtf8("J\xC3\xBCrgen"), "J\xC3\xBCrgen");
  EXPECT_EQ(RepairUtf8("\xC3"), "\xEF\xBF\xBD");
  EXPECT_EQ(RepairUtf8("ab\xC3\xBC", 3), "ab") << "never half a character";
  EXPECT_EQ(RepairUtf8("abc", 3), "abc");
  EXPECT_TRUE(IsValidUtf8(RepairUtf8("\xED\xA0\x80\xF0\x9F\x98")));
}

}  // namespace
}  // namespace vouch
