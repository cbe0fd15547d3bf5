// Money amounts, emails and phones: parsing, normalising and the canonical identity. The first
// field picks a currency; the canonical forms must be fixed points.
#include "base/money.h"
#include "core/identity.h"
#include "core/validate.h"
#include "fuzz/fuzz_support.h"

namespace {

std::string Or(const vouch::Result<std::string>& r) { return r.ok() ? *r : std::string(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto f = vouch::fuzz::Fields(vouch::fuzz::Text(data, size), 2);
  static const char* const kCurrencies[] = {"EUR", "JPY", "BHD", "USD", "XXX", ""};
  const std::string_view currency = kCurrencies[f[0].size() % 6];
  const std::string_view text = f[1];

  auto amount = vouch::ParseAmount(text, currency, "total_price");
  if (amount) {
    auto again = vouch::ParseAmount(vouch::FormatAmount(*amount, currency), currency, "total_price");
    vouch::fuzz::Require(again && *again == *amount, "an amount survives FormatAmount");
  }
  auto email = vouch::core::NormalizeEmail(text, "email");
  if (email) {
    vouch::fuzz::Require(Or(vouch::core::NormalizeEmail(*email, "email")) == *email,
                         "a normalised email is a fixed point");
  }
  const std::string canonical_email = vouch::core::CanonicalEmail(text);
  vouch::fuzz::Require(vouch::core::CanonicalEmail(canonical_email) == canonical_email,
                       "a canonical email is a fixed point");
  auto phone = vouch::core::NormalizePhone(text, "phone");
  if (phone) {
    vouch::fuzz::Require(Or(vouch::core::NormalizePhone(*phone, "phone")) == *phone,
                         "a normalised phone is a fixed point");
  }
  const std::string canonical_phone = vouch::core::CanonicalPhone(text);
  vouch::fuzz::Require(vouch::core::CanonicalPhone(canonical_phone) == canonical_phone,
                       "a canonical phone is a fixed point");
  return 0;
}
