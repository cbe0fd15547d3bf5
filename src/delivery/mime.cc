// ComposeMime: RFC 5322 / RFC 2045-2047 message text. Every line ends in CRLF and stays under
// the 998-octet limit; header values cannot smuggle in extra headers (CR and LF are removed).
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <chrono>

#include "base/crypto.h"
#include "delivery/mailer.h"

namespace vouch::delivery {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kFoldColumn = 78;        // RFC 5322 2.1.1 SHOULD
constexpr size_t kMaxLine = 998;          // RFC 5322 2.1.1 MUST
constexpr size_t kBase64Column = 76;      // RFC 2045 6.8
constexpr size_t kEncodedWordBytes = 45;  // 60 base64 chars: "=?UTF-8?B?...?=" stays <= 75
constexpr std::string_view kFallbackDomain = "vouch.invalid";

// Headers ComposeMime writes itself; extra headers with these names are dropped.
constexpr std::array<std::string_view, 8> kOwnHeaders = {
    "from",       "to",           "subject",      "date",
    "message-id", "mime-version", "content-type", "content-transfer-encoding"};

// Removes CR, LF and NUL: a header value can never end its line early.
std::string StripLineBreaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  }
  return out;
}

std::string CleanAddress(std::string_view s) {
  std::string out;
  for (char c : StripLineBreaks(s)) {
    if (c != '<' && c != '>' && c != ' ' && c != '\t') out += c;
  }
  return out;
}

// Printable ASCII plus tab, and nothing a decoder could mistake for an encoded word.
bool IsPlainText(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c >= 0x7f) return false;
  }
  return s.find("=?") == std::string_view::npos;
}

// RFC 2047 B-encoded words of at most 75 characters, split between UTF-8 characters and joined
// by spaces (where the header folds).
std::string EncodeWords(std::string_view s) {
  std::string out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = start;
    while (end < s.size()) {
      size_t next = end + 1;
      while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
      if (next - start > kEncodedWordBytes && end > start) break;
      end = next;
    }
    if (!out.empty()) out += ' ';
    out += "=?UTF-8?B?" + Base64(s.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Mailbox(std::string_view name, std::string_view address) {
  const std::string clean_name = StripLineBreaks(name);
  const std::string addr = CleanAddress(address);
  if (clean_name.empty()) return addr;
  const std::string phrase = IsPlainText(clean_name) ? QuoteString(clean_name) : EncodeWords(clean_name);
  return phrase + " <" + addr + ">";
}

// "Name: value" folded at spaces so lines stay near 78 columns. A single word longer than the
// line is left whole (callers keep words under 998).
void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  std::string line = std::string(name) + ":";
  size_t pos = 0;
  bool first = true;
  while (pos <= value.size()) {
    size_t space = value.find(' ', pos);
    if (space == std::string_view::npos) space = value.size();
    std::string_view word = value.substr(pos, space - pos);
    if (!first && !word.empty() && line.size() + 1 + word.size() > kFoldColumn &&
        line.find_first_not_of(" \t") != std::string::npos) {
      out += line;
      out += kCrlf;
      line.clear();
    }
    line += ' ';
    line += word;
    first = false;
    pos = space + 1;
  }
  out += line;
  out += kCrlf;
}

std::string SubjectValue(std::string_view subject) {
  const std::string clean = StripLineBreaks(subject);
  bool fits = IsPlainText(clean);
  size_t word = 0;
  for (char c : clean) {
    word = c == ' ' ? 0 : word + 1;
    if (word > kMaxLine - 10) fits = false;  // "Subject: " plus the word on the first line
  }
  return fits ? clean : EncodeWords(clean);
}

// RFC 5322 3.3 date-time in UTC: "Fri, 20 Nov 2026 10:15:00 +0000".
std::string FormatDate(Instant date) {
  using namespace std::chrono;
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(date);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{floor<seconds>(date - day)};
  return fmt::format("{}, {} {} {} {:02}:{:02}:{:02} +0000", kDays[weekday{day}.c_encoding()],
                     static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), time.hours().count(), time.minutes().count(),
                     time.seconds().count());
}

std::string HexRandom(size_t bytes) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : RandomBytes(bytes)) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string MessageId(const MailMessage& message) {
  std::string id = StripLineBreaks(message.message_id);
  if (id.empty()) {
    const std::string from = CleanAddress(message.from_address);
    const size_t at = from.rfind('@');
    const std::string domain =
        at == std::string::npos || at + 1 == from.size() ? std::string(kFallbackDomain) : from.substr(at + 1);
    id = HexRandom(16) + "@" + domain;
  }
  if (id.front() != '<') id = "<" + id + ">";
  return id;
}

// A field name is printable ASCII without ':' (RFC 5322 2.2); anything else is dropped.
std::string HeaderName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c > 32 && c < 127 && c != ':') out += c;
  }
  return out;
}

bool IsOwnHeader(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view own : kOwnHeaders) {
    if (lower == own) return true;
  }
  return false;
}

// Text in canonical form (RFC 2046 4.1.1: CRLF line breaks), then base64 in 76-column lines.
std::string Base64Body(std::string_view text) {
  std::string canonical;
  canonical.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      canonical += kCrlf;
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      canonical += kCrlf;
    } else {
      canonical += text[i];
    }
  }
  const std::string encoded = Base64(canonical);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kBase64Column * 2 + 2);
  for (size_t i = 0; i < encoded.size(); i += kBase64Column) {
    out += std::string_view(encoded).substr(i, kBase64Column);
    out += kCrlf;
  }
  return out;
}

void AppendPart(std::string& out, std::string_view subtype, std::string_view body) {
  out += fmt::format("Content-Type: text/{}; charset=utf-8\r\n", subtype);
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Body(body);
}

}  // namespace

std::string ComposeMime(const MailMessage& message, Instant date) {
  std::string out;
  AppendHeader(out, "From", Mailbox(message.from_name, message.from_address));
  AppendHeader(out, "To", Mailbox(message.to_name, message.to_address));
  if (!message.cc.empty()) {
    std::string cc;
    for (const auto& address : message.cc) cc += (cc.empty() ? "" : ", ") + Mailbox("", address);
    AppendHeader(out, "Cc", cc);
  }
  AppendHeader(out, "Subject", SubjectValue(message.subject));
  AppendHeader(out, "Date", FormatDate(date));
  AppendHeader(out, "Message-ID", MessageId(message));
  AppendHeader(out, "MIME-Version", "1.0");
  for (const auto& [name, value] : message.headers) {
    const std::string clean_name = HeaderName(name);
    if (clean_name.empty() || IsOwnHeader(clean_name)) continue;
    AppendHeader(out, clean_name, StripLineBreaks(value));
  }
  if (message.html.empty()) {
    AppendPart(out, "plain", message.text);
    return out;
  }
  // '_' never occurs in base64, so the boundary cannot appear inside a part.
  const std::string boundary = "=_vouch_" + HexRandom(12);
  AppendHeader(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  out += kCrlf;
  out += "--" + boundary + "\r\n";
  AppendPart(out, "plain", message.text);
  out += "--" + boundary + "\r\n";
  AppendPart(out, "html", message.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace vouch::delivery
