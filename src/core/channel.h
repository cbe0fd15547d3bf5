#pragma once
// The ways Vouch reaches a customer. A survey, a job and a message each belong to one channel;
// one cause (a survey, a code, a reward) may owe one message per channel.
#include <optional>
#include <string_view>

namespace vouch::core {

enum class Channel { kEmail, kSms };

inline constexpr Channel kAllChannels[] = {Channel::kEmail, Channel::kSms};

// "email", "sms": the names stored in the database and shown in the API.
constexpr std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kEmail: return "email";
    case Channel::kSms: return "sms";
  }
  return "email";
}

constexpr std::optional<Channel> ParseChannel(std::string_view s) {
  if (s == "email") return Channel::kEmail;
  if (s == "sms") return Channel::kSms;
  return std::nullopt;
}

}  // namespace vouch::core
