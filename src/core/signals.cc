#include "core/signals.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "base/crypto.h"
#include "core/codes.h"

namespace vouch::core {

std::optional<std::string> NetworkOf(std::string_view ip) {
  if (ip.empty() || ip.size() > 64) return std::nullopt;
  const std::string text(ip);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    return fmt::format("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]);
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return std::nullopt;
  std::fill(bytes.begin() + 8, bytes.end(), 0);  // the /64
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (inet_ntop(AF_INET6, bytes.data(), out.data(), out.size()) == nullptr) return std::nullopt;
  return std::string(out.data()) + "/64";
}

std::optional<std::string> NetworkHash(std::string_view key, int64_t shop_id, std::string_view ip) {
  auto network = NetworkOf(ip);
  if (!network) return std::nullopt;
  const std::string mac = HmacSha256(key, fmt::format("{}\n{}", shop_id, *network));
  std::string hex;
  for (unsigned char c : mac) hex += fmt::format("{:02x}", c);
  return hex;
}

std::optional<FiredRule> SharedNetworkRule(std::optional<NetworkSource> source) {
  if (!source) return std::nullopt;
  return FiredRule{"shared_network", *source == NetworkSource::kAnswered
                                         ? "the order came from the network the promoter answered from"
                                         : "the order came from a network the promoter ordered from"};
}

bool CouponLeaked(int64_t buyers_without_visit, int64_t threshold) {
  return threshold > 0 && buyers_without_visit >= threshold;
}

FiredRule CouponLeakRule(Instant paused_at, int64_t buyers_without_visit) {
  return FiredRule{
      "coupon_leak",
      fmt::format("the code was paused at {}: {} unrelated buyers more than its share link had visits "
                  "used it (a code on a coupon site)",
                  FormatRfc3339(paused_at), buyers_without_visit)};
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> LandingCodeCandidates(std::string_view landing_site) {
  constexpr size_t kMaxCandidates = 8;
  constexpr size_t kMaxLength = 64;
  std::vector<std::string> out;
  auto add = [&](std::string_view raw) {
    if (raw.empty() || out.size() >= kMaxCandidates) return;
    std::string text = Decoded(raw);
    if (text.empty() || text.size() > kMaxLength) return;
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  };
  std::string_view url = landing_site.substr(0, landing_site.find('#'));
  const size_t q = url.find('?');
  std::string_view path = url.substr(0, q);
  if (const size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    const size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (const size_t last = path.rfind('/'); last != std::string_view::npos) add(path.substr(last + 1));
  if (q != std::string_view::npos) {
    std::string_view query = url.substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      if (const size_t eq = pair.find('='); eq != std::string_view::npos) add(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  return out;
}

bool HasReferralCodeShape(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 8 || text.size() - dash - 1 < 4) return false;
  for (size_t i = 0; i < dash; ++i) {
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) return false;
  }
  for (size_t i = dash + 1; i < text.size(); ++i) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    if (kCodeAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool LandingMayHoldCode(std::string_view landing_site) {
  if (landing_site.empty()) return false;
  const auto candidates = LandingCodeCandidates(landing_site);
  return std::any_of(candidates.begin(), candidates.end(),
                     [](const std::string& c) { return HasReferralCodeShape(c); });
}

bool WithinAttribution(Instant visit, Instant order_time, int64_t days) {
  return visit <= order_time && order_time - visit <= std::chrono::days{std::max<int64_t>(0, days)};
}

}  // namespace vouch::core
