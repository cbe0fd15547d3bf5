#include "core/identity.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/validate.h"

namespace vouch::core {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Providers that document "local+tag@domain" as delivering to "local@domain" and keep dots
// significant. Yahoo is not among them: its documented aliases are "disposable addresses",
// "basename-keyword@yahoo.com", where the base name is chosen apart from the account's own address;
// cutting at '-' would not lead back to the account and would merge unrelated addresses holding
// a '-', so yahoo.com is lower-cased only.
constexpr std::array<std::string_view, 10> kPlusProviders = {
    "outlook.com", "hotmail.com",  "live.com",  "icloud.com",     "me.com",
    "mac.com",     "fastmail.com", "proton.me", "protonmail.com", "pm.me"};

std::string WithoutTag(std::string_view local) { return std::string(local.substr(0, local.find('+'))); }

// "local@domain", or the lowered address as it was when nothing of the local part is left
// ("+tag@gmail.com" names no mailbox: it must not match every other such address).
std::string Join(std::string local, std::string_view domain, const std::string& lowered) {
  if (local.empty()) return lowered;
  return local + "@" + std::string(domain);
}

}  // namespace

std::string CanonicalEmail(std::string_view email) {
  std::string lowered = Lower(email);
  const auto at = lowered.rfind('@');
  if (at == std::string::npos) return lowered;
  std::string_view local = std::string_view(lowered).substr(0, at);
  std::string_view domain = std::string_view(lowered).substr(at + 1);
  if (domain == "gmail.com" || domain == "googlemail.com") {
    std::string out = WithoutTag(local);
    out.erase(std::remove(out.begin(), out.end(), '.'), out.end());
    return Join(std::move(out), "gmail.com", lowered);
  }
  if (std::find(kPlusProviders.begin(), kPlusProviders.end(), domain) != kPlusProviders.end()) {
    return Join(WithoutTag(local), domain, lowered);
  }
  return lowered;
}

std::string CanonicalPhone(std::string_view phone) {
  if (phone.empty()) return "";
  if (auto e164 = NormalizePhone(phone, "phone"); e164.ok()) return *e164;
  std::string digits;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  return digits.empty() ? "" : "+" + digits;
}

Identity IdentityOf(std::string_view customer_external_id, std::string_view email, std::string_view phone) {
  return Identity{std::string(customer_external_id), CanonicalEmail(email), CanonicalPhone(phone)};
}

std::vector<std::string> SharedIdentities(const Identity& a, const Identity& b) {
  std::vector<std::string> shared;
  auto same = [](const std::string& x, const std::string& y) { return !x.empty() && x == y; };
  if (same(a.customer_external_id, b.customer_external_id)) shared.emplace_back("customer_id");
  if (same(a.email, b.email)) shared.emplace_back("email");
  if (same(a.phone, b.phone)) shared.emplace_back("phone");
  return shared;
}

}  // namespace vouch::core
