// Argon2id password hashes: round trip, salt, format, and malformed stored hashes.
#include "base/password.h"

#include <set>

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace vouch {
namespace {

std::string Hash(std::string_view password) {
  auto h = HashPassword(password, kCheapPasswordCost);
  EXPECT_TRUE(h.ok()) << h.error().message;
  return h.ok() ? *h : std::string();
}

TEST(PasswordTest, VerifiesTheRightPasswordOnly) {
  const std::string h = Hash("correct horse battery staple");
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", h));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapl", h));
  EXPECT_FALSE(VerifyPassword("Correct horse battery staple", h));
  EXPECT_FALSE(VerifyPassword("", h));
}

TEST(PasswordTest, EncodesArgon2idWithItsCostsAndASaltPerHash) {
  const std::string a = Hash("secret"), b = Hash("secret");
  EXPECT_EQ(a.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << a;
  EXPECT_NE(a, b);  // a fresh salt each time
  EXPECT_TRUE(VerifyPassword("secret", a));
  EXPECT_TRUE(VerifyPassword("secret", b));
}

TEST(PasswordTest, DefaultCostIsTheDocumentedOne) {
  auto h = HashPassword("secret");
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword("secret", *h));
}

TEST(PasswordTest, BinaryPasswordsAreHashedWhole) {
  const std::string with_nul("ab\0cd", 5);
  const std::string h = Hash(with_nul);
  EXPECT_TRUE(VerifyPassword(with_nul, h));
  EXPECT_FALSE(VerifyPassword("ab", h));  // not cut at the NUL
}

TEST(PasswordTest, RejectsMalformedHashesWithoutCrashing) {
  const std::string h = Hash("secret");
  for (const std::string& bad :
       {std::string(), std::string("secret"), std::string("$argon2id$"), h.substr(0, h.size() / 2),
        h.substr(0, h.size() - 1) + (h.back() == 'A' ? "B" : "A"),  // tag changed
        "$argon2i$" + h.substr(10),                                 // another variant
        h + "$", std::string("$argon2id$v=19$m=x,t=1,p=1$c2FsdA$aGFzaA"), h + std::string(1, '\0'),
        std::string(1000, '$')}) {
    EXPECT_FALSE(VerifyPassword("secret", bad)) << bad;
  }
}

TEST(PasswordTest, RefusesCostsLibargon2Cannot) {
  auto h = HashPassword("secret", PasswordCost{1, 1, 1});  // below 8 KiB per lane
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().code, Code::kInvalidArgument);
}

TEST(PasswordTest, OneTimePasswordsAreLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string p = NewOneTimePassword();
    EXPECT_EQ(p.size(), 24u);
    std::string raw;
    EXPECT_TRUE(Base64UrlDecode(p, raw));
    EXPECT_EQ(raw.size(), 18u);
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace vouch
