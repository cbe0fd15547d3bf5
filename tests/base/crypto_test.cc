#include "base/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace vouch {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// The decoded bytes, or "<rejected>" when Base64UrlDecode refuses the text.
std::string Decoded(std::string_view text) {
  std::string out;
  return Base64UrlDecode(text, out) ? out : "<rejected>";
}

TEST(Base64UrlTest, KnownVectorsFromRfc4648) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("foob"), "Zm9vYg");
  EXPECT_EQ(Base64Url("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64Url("foobar"), "Zm9vYmFy");
}

TEST(Base64UrlTest, UsesTheUrlSafeAlphabetWithoutPadding) {
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(Base64Url(std::string(30, '\xff')), std::string(40, '_'));
}

TEST(Base64Test, StandardAlphabetWithPadding) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
}

TEST(Base64UrlTest, RoundTripsEveryByteValue) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string text = Base64Url(all);
  EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(Decoded(text), all);
}

TEST(Base64UrlTest, RoundTripsEveryLengthUpToForty) {
  for (size_t len = 0; len <= 40; ++len) {
    std::string data;
    for (size_t i = 0; i < len; ++i) data += static_cast<char>((i * 37 + len * 11 + 200) & 0xff);
    const std::string text = Base64Url(data);
    EXPECT_EQ(text.size(), (len * 4 + 2) / 3) << len;  // unpadded length
    EXPECT_EQ(Decoded(text), data) << len;
  }
}

TEST(Base64UrlTest, DecodeRejectsBadInput) {
  EXPECT_EQ(Decoded("Q"), "<rejected>");  // a lone sextet cannot encode a byte
  EXPECT_EQ(Decoded("QUJDR"), "<rejected>");
  EXPECT_EQ(Decoded("QQ=="), "<rejected>");  // padding is not part of the URL form
  EXPECT_EQ(Decoded("QQ="), "<rejected>");
  EXPECT_EQ(Decoded("+/8"), "<rejected>");  // standard alphabet
  EXPECT_EQ(Decoded("QU.D"), "<rejected>");
  EXPECT_EQ(Decoded("QU JD"), "<rejected>");
  EXPECT_EQ(Decoded("QUJD QUJD"), "<rejected>");
  EXPECT_EQ(Decoded("QUJ\xc3\xa4"), "<rejected>");
}

// Tokens in links must decode only from their one canonical spelling.
TEST(Base64UrlTest, DecodeRejectsWhitespaceAndNonCanonicalInput) {
  EXPECT_EQ(Decoded("QUJD    "), "<rejected>");
  EXPECT_EQ(Decoded("    QUJD"), "<rejected>");
  EXPECT_EQ(Decoded("QUJD\n\n\n\n"), "<rejected>");
  EXPECT_EQ(Decoded("QUJD\t\t\t\t"), "<rejected>");
  EXPECT_EQ(Decoded("QR"), "<rejected>") << "non-zero trailing bits: not canonical";
  EXPECT_EQ(Decoded("QUJD=="), "<rejected>");
}

TEST(Sha256HexTest, KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256Test, Rfc4231TestCase2) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(mac.size(), 32u);
  EXPECT_EQ(Hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Test, KeyAndDataBothMatter) {
  EXPECT_NE(HmacSha256("Jefe", "a"), HmacSha256("Jeff", "a"));
  EXPECT_NE(HmacSha256("Jefe", "a"), HmacSha256("Jefe", "b"));
}

TEST(RandomBytesTest, ReturnsTheRequestedLength) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_EQ(RandomBytes(1000).size(), 1000u);
}

TEST(RandomBytesTest, TwoDrawsDiffer) {
  // 2^-256 chance of a false failure.
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(RandomBelowTest, StaysInRange) {
  for (uint32_t bound : {1u, 2u, 31u, 1000u, 0x80000001u, UINT32_MAX}) {
    for (int i = 0; i < 200; ++i) EXPECT_LT(RandomBelow(bound), bound) << bound;
  }
  EXPECT_EQ(RandomBelow(1), 0u);
}

TEST(RandomBelowTest, CoversEveryValueOfASmallBound) {
  // 2000 draws over 7 values: the chance any value is missed is below 7·(6/7)^2000 ≈ 1e-133.
  std::set<uint32_t> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(RandomBelow(7));
  EXPECT_EQ(seen, (std::set<uint32_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(ConstantTimeEqualTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEqual("", ""));
  EXPECT_TRUE(ConstantTimeEqual("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEqual("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEqual("secret", "Secret"));
  EXPECT_FALSE(ConstantTimeEqual("secret", "secrets"));
  EXPECT_FALSE(ConstantTimeEqual("secret", ""));
  EXPECT_TRUE(ConstantTimeEqual(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEqual(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace vouch
