#include "core/sms_reply.h"

#include <string>

namespace vouch::core {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// "0".."10" exactly, or -1.
int ScoreOf(std::string_view s) {
  if (s == "10") return 10;
  if (s.size() == 1 && IsDigit(s[0])) return s[0] - '0';
  return -1;
}

}  // namespace

SmsReply ParseSmsReply(std::string_view text) {
  std::string_view s = Trim(text);
  size_t digits = 0;
  while (digits < s.size() && IsDigit(s[digits])) ++digits;
  if (digits > 0) {
    const int score = ScoreOf(s.substr(0, digits));
    std::string_view rest = Trim(s.substr(digits));
    if (!rest.empty() && rest.front() == '/') rest = Trim(rest.substr(1)) == "10" ? "" : rest;
    if (score >= 0 && rest.empty()) return {SmsReplyKind::kScore, score};
    return {};
  }
  std::string word;
  for (char c : s) {
    if (IsSpace(c)) continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    word += c;
    if (word.size() > 16) return {};
  }
  if (word == "STOP" || word == "STOPP" || word == "ABMELDEN" || word == "UNSUBSCRIBE" || word == "CANCEL" ||
      word == "END" || word == "QUIT") {
    return {SmsReplyKind::kStop, -1};
  }
  if (word == "START") return {SmsReplyKind::kStart, -1};
  return {};
}

}  // namespace vouch::core
