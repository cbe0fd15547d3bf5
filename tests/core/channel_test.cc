#include "core/channel.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(ChannelTest, NamesRoundTrip) {
  for (Channel c : kAllChannels) {
    auto parsed = ParseChannel(ChannelName(c));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_EQ(ChannelName(Channel::kEmail), "email");
  EXPECT_EQ(ChannelName(Channel::kSms), "sms");
}

TEST(ChannelTest, UnknownNamesAreRejected) {
  EXPECT_FALSE(ParseChannel("").has_value());
  EXPECT_FALSE(ParseChannel("EMAIL").has_value());
  EXPECT_FALSE(ParseChannel("fax").has_value());
}

}  // namespace
}  // namespace vouch::core
