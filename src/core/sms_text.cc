#include "core/sms_text.h"

#include <algorithm>
#include <vector>

namespace vouch::core {
namespace {

// GSM 03.38 default alphabet, as Unicode code points (ESC, 0x1B, is not a character of its own).
constexpr char32_t kBasic[] = {
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC', U'\u00F2',
    U'\u00C7', U'\n',     U'\u00D8', U'\u00F8', U'\r',     U'\u00C5', U'\u00E5', U'\u0394', U'_',
    U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8', U'\u03A3', U'\u0398', U'\u039E',
    U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9', U' ',      U'!',      U'"',      U'#',      U'\u00A4',
    U'%',      U'&',      U'\'',     U'(',      U')',      U'*',      U'+',      U',',      U'-',
    U'.',      U'/',      U':',      U';',      U'<',      U'=',      U'>',      U'?',      U'\u00A1',
    U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7', U'\u00BF', U'\u00E4', U'\u00F6', U'\u00F1',
    U'\u00FC', U'\u00E0'};
// The extension table: each takes an escape septet and its own.
constexpr char32_t kExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'\u20AC'};

// Septets a code point takes in GSM-7: 1, 2 (extension) or 0 (not representable).
int Septets(char32_t c) {
  if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) return 1;
  if (std::find(std::begin(kBasic), std::end(kBasic), c) != std::end(kBasic)) return 1;
  if (std::find(std::begin(kExtension), std::end(kExtension), c) != std::end(kExtension)) return 2;
  return 0;
}

// Decodes UTF-8; an invalid or truncated sequence yields U+FFFD for its first byte.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = len > 0 && i + static_cast<size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto n = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((n & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (n & 0x3F);
    }
    if (ok && ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
               (len == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))) {
      ok = false;
    }
    if (!ok) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    out.push_back(c);
    i += static_cast<size_t>(len);
  }
  return out;
}

// Segments for the per-character unit counts `units`, each part holding at most `part` units and
// no character split between two parts.
int Parts(const std::vector<int>& units, int part) {
  int parts = 1, used = 0;
  for (int u : units) {
    if (used + u > part) {
      ++parts;
      used = 0;
    }
    used += u;
  }
  return parts;
}

}  // namespace

const char* SmsEncodingName(SmsEncoding e) { return e == SmsEncoding::kGsm7 ? "gsm7" : "ucs2"; }

SmsShape MeasureSms(std::string_view utf8) {
  const std::vector<char32_t> cps = CodePoints(utf8);
  SmsShape shape;
  shape.characters = static_cast<int>(cps.size());
  std::vector<int> units;
  units.reserve(cps.size());
  bool gsm = true;
  for (char32_t c : cps) {
    const int s = Septets(c);
    if (s == 0) {
      gsm = false;
      break;
    }
    units.push_back(s);
  }
  if (!gsm) {
    units.clear();
    for (char32_t c : cps) units.push_back(c > 0xFFFF ? 2 : 1);
  }
  shape.encoding = gsm ? SmsEncoding::kGsm7 : SmsEncoding::kUcs2;
  for (int u : units) shape.units += u;
  const int single = gsm ? 160 : 70, part = gsm ? 153 : 67;
  shape.segments = shape.units <= single ? 1 : Parts(units, part);
  return shape;
}

Result<std::string> FitSms(std::string_view text, std::string_view tail, int max_segments,
                           const std::string& field) {
  auto fits = [&](std::string_view candidate) { return MeasureSms(candidate).segments <= max_segments; };
  std::string whole(text);
  whole += tail;
  if (fits(whole)) return whole;
  // Cut `text` at ever earlier spaces (whole UTF-8 characters only) until text + "..." + tail fits.
  std::string_view head = text;
  while (!head.empty()) {
    size_t cut = head.find_last_of(" \n");
    if (cut == std::string_view::npos) cut = 0;
    head = head.substr(0, cut);
    while (!head.empty() && (head.back() == ' ' || head.back() == '\n')) head.remove_suffix(1);
    std::string candidate(head);
    if (!candidate.empty()) candidate += "...";
    candidate += tail;
    if (fits(candidate)) return candidate;
  }
  if (fits(tail)) return std::string(tail);
  return InvalidArgument(field, "does not fit in " + std::to_string(max_segments) + " text message segments");
}

}  // namespace vouch::core
