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

// An address's words: ASCII letters case folded, umlauts and ß spelled out, every other ASCII
// byte that is not a letter or digit a break; other UTF-8 bytes are kept as letters.
std::vector<std::string> AddressWords(std::string_view s) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const char* spelled = nullptr;
      switch (static_cast<unsigned char>(s[i + 1])) {
        case 0xA4:
        case 0x84: spelled = "ae"; break;  // ä Ä
        case 0xB6:
        case 0x96: spelled = "oe"; break;  // ö Ö
        case 0xBC:
        case 0x9C: spelled = "ue"; break;  // ü Ü
        case 0x9F: spelled = "ss"; break;  // ß
        default: break;
      }
      if (spelled != nullptr) {
        words.back() += spelled;
        ++i;
        continue;
      }
    }
    if (c >= 0x80 || std::isalnum(c)) {
      words.back() += static_cast<char>(std::tolower(c));
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A word with its common abbreviation spelled out (see CanonicalAddress).
std::string SpelledOut(std::string word) {
  struct Abbreviation {
    std::string_view short_form, long_form;
  };
  static constexpr std::array<Abbreviation, 8> kWords = {{{"str", "strasse"},
                                                          {"st", "street"},
                                                          {"rd", "road"},
                                                          {"ave", "avenue"},
                                                          {"av", "avenue"},
                                                          {"blvd", "boulevard"},
                                                          {"dr", "drive"},
                                                          {"ln", "lane"}}};
  for (const auto& a : kWords) {
    if (word == a.short_form) return std::string(a.long_form);
  }
  // German street names are compounds: "Hauptstr." is "Hauptstraße".
  if (EndsWith(word, "str")) return word + "asse";
  return word;
}

std::string AlnumLower(std::string_view s) {
  std::string out;
  for (const auto& w : AddressWords(s)) out += w;
  return out;
}

std::string CountryCode(std::string_view country) {
  struct Name {
    std::string_view name, code;
  };
  static constexpr std::array<Name, 16> kNames = {{{"germany", "de"},
                                                   {"deutschland", "de"},
                                                   {"austria", "at"},
                                                   {"oesterreich", "at"},
                                                   {"switzerland", "ch"},
                                                   {"schweiz", "ch"},
                                                   {"suisse", "ch"},
                                                   {"france", "fr"},
                                                   {"netherlands", "nl"},
                                                   {"nederland", "nl"},
                                                   {"unitedkingdom", "gb"},
                                                   {"uk", "gb"},
                                                   {"greatbritain", "gb"},
                                                   {"unitedstates", "us"},
                                                   {"unitedstatesofamerica", "us"},
                                                   {"usa", "us"}}};
  std::string key = AlnumLower(country);
  for (const auto& n : kNames) {
    if (key == n.name) return std::string(n.code);
  }
  return key;
}

}  // namespace

std::string CanonicalAddress(const ShippingAddress& address) {
  std::string line1;
  for (auto& w : AddressWords(address.line1)) line1 += SpelledOut(std::move(w));
  std::string zip = AlnumLower(address.zip);
  if (line1.empty() || zip.empty()) return "";
  return line1 + "|" + zip + "|" + CountryCode(address.country);
}

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
  if (digits.empty()) return "";
  // The digits alone may be a number NormalizePhone accepts ("+49\x01 0234…" → "+490234…" →
  // "+49234…"): then its E.164, so that CanonicalPhone(CanonicalPhone(x)) == CanonicalPhone(x)
  // (found by fuzz/contacts.cc).
  if (auto e164 = NormalizePhone("+" + digits, "phone"); e164.ok()) return *e164;
  return "+" + digits;
}

Identity IdentityOf(std::string_view customer_external_id, std::string_view email, std::string_view phone) {
  return Identity{std::string(customer_external_id), CanonicalEmail(email), CanonicalPhone(phone), ""};
}

Identity IdentityOf(std::string_view customer_external_id, std::string_view email, std::string_view phone,
                    const ShippingAddress& address) {
  Identity id = IdentityOf(customer_external_id, email, phone);
  id.address = CanonicalAddress(address);
  return id;
}

std::vector<std::string> SharedIdentities(const Identity& a, const Identity& b) {
  std::vector<std::string> shared;
  auto same = [](const std::string& x, const std::string& y) { return !x.empty() && x == y; };
  if (same(a.customer_external_id, b.customer_external_id)) shared.emplace_back("customer_id");
  if (same(a.email, b.email)) shared.emplace_back("email");
  if (same(a.phone, b.phone)) shared.emplace_back("phone");
  if (same(a.address, b.address)) shared.emplace_back("address");
  return shared;
}

}  // namespace vouch::core
