#pragma once
// What an inbound text message says: a score 0–10, an opt-out keyword, a resubscribe, or anything
// else. Pure; thread-safe.
#include <string_view>

namespace vouch::core {

enum class SmsReplyKind { kScore, kStop, kStart, kOther };

struct SmsReply {
  SmsReplyKind kind = SmsReplyKind::kOther;
  int score = -1;  // 0–10 when kind is kScore
};

// A score is "0" to "10" (no sign, no leading zero) with optional surrounding white space and an
// optional trailing "/10" (white space allowed around the slash): "10", " 7 ", "9/10", "9 / 10".
// Nothing else is a score ("10!", "7 stars", "3/5", "07"). STOP, STOPP, ABMELDEN, UNSUBSCRIBE,
// CANCEL, END and QUIT are kStop, START is kStart: ASCII case-insensitive, white space anywhere
// ignored ("Stop", " s t o p "). Everything else is kOther.
SmsReply ParseSmsReply(std::string_view text);

}  // namespace vouch::core
