#include "core/sms_reply.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

int Score(std::string_view s) {
  const SmsReply r = ParseSmsReply(s);
  return r.kind == SmsReplyKind::kScore ? r.score : -1;
}
SmsReplyKind Kind(std::string_view s) { return ParseSmsReply(s).kind; }

TEST(SmsReplyTest, ScoresZeroToTenWithSpacesAndAnOptionalOutOfTen) {
  for (int i = 0; i <= 10; ++i) EXPECT_EQ(Score(std::to_string(i)), i);
  EXPECT_EQ(Score("  10 "), 10);
  EXPECT_EQ(Score("\n7\r\n"), 7);
  EXPECT_EQ(Score("9/10"), 9);
  EXPECT_EQ(Score(" 9 / 10 "), 9);
  EXPECT_EQ(Score("10/10"), 10);
}

TEST(SmsReplyTest, NothingElseIsAScore) {
  for (std::string_view s : {"11", "-1", "07", "00", "3/5", "10/", "/10", "10!", "7 stars", "score 9", "9.5",
                             "9 10", "", "  ", "١٠", "9/10 thanks", "9/100"}) {
    EXPECT_EQ(Kind(s), SmsReplyKind::kOther) << s;
  }
}

TEST(SmsReplyTest, OptOutWordsInAnyCaseAndSpacing) {
  for (std::string_view s : {"STOP", "stop", " Stop ", "S T O P", "STOPP", "abmelden", "Unsubscribe",
                             "CANCEL", "end", "quit", "\tQuit\n"}) {
    EXPECT_EQ(Kind(s), SmsReplyKind::kStop) << s;
  }
  EXPECT_EQ(Kind("START"), SmsReplyKind::kStart);
  EXPECT_EQ(Kind(" start "), SmsReplyKind::kStart);
  for (std::string_view s : {"STOP NOW", "stop!", "STOPPED", "please stop", "STARTING", "Stöp"}) {
    EXPECT_EQ(Kind(s), SmsReplyKind::kOther) << s;
  }
}

}  // namespace
}  // namespace vouch::core
