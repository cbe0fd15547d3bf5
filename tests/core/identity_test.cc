#include "core/identity.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

using Shared = std::vector<std::string>;

TEST(CanonicalEmailTest, TheIssuesGmailAliasesAreAnna) {
  EXPECT_EQ(CanonicalEmail("anna@gmail.com"), "anna@gmail.com");
  EXPECT_EQ(CanonicalEmail("anna+1@gmail.com"), "anna@gmail.com");
  EXPECT_EQ(CanonicalEmail("a.nna@gmail.com"), "anna@gmail.com");
  EXPECT_EQ(CanonicalEmail("anna@googlemail.com"), "anna@gmail.com");
  EXPECT_EQ(CanonicalEmail("A.n.Na+Friends+2@GoogleMail.COM"), "anna@gmail.com");
}

TEST(CanonicalEmailTest, CaseIsFoldedEverywhere) {
  EXPECT_EQ(CanonicalEmail("Anna.Berg@Example.COM"), "anna.berg@example.com");
  EXPECT_EQ(CanonicalEmail("ANNA@OUTLOOK.COM"), "anna@outlook.com");
}

TEST(CanonicalEmailTest, PlusTagsAreCutOnProvidersThatDocumentThem) {
  for (const char* domain : {"outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com", "mac.com",
                             "fastmail.com", "proton.me", "protonmail.com", "pm.me"}) {
    const std::string d(domain);
    EXPECT_EQ(CanonicalEmail("anna+shop@" + d), "anna@" + d) << d;
    EXPECT_EQ(CanonicalEmail("a.nna+shop@" + d), "a.nna@" + d) << d;  // dots are significant there
  }
}

TEST(CanonicalEmailTest, OtherDomainsKeepTagsAndDots) {
  EXPECT_EQ(CanonicalEmail("a.nna+1@example.com"), "a.nna+1@example.com");
  EXPECT_EQ(CanonicalEmail("a.nna@example.com"), "a.nna@example.com");
  // Yahoo's aliases are "basename-keyword" with a base name apart from the account: kept as is.
  EXPECT_EQ(CanonicalEmail("anna-shop@yahoo.com"), "anna-shop@yahoo.com");
  EXPECT_EQ(CanonicalEmail("anna+shop@yahoo.com"), "anna+shop@yahoo.com");
  // Only the exact Gmail domains are folded.
  EXPECT_EQ(CanonicalEmail("a.nna+1@mail.gmail.com"), "a.nna+1@mail.gmail.com");
  EXPECT_EQ(CanonicalEmail("a.nna+1@notgmail.com"), "a.nna+1@notgmail.com");
}

TEST(CanonicalEmailTest, EmptyAndMalformedInputIsLowerCasedAsIs) {
  EXPECT_EQ(CanonicalEmail(""), "");
  EXPECT_EQ(CanonicalEmail("Not An Address"), "not an address");
  EXPECT_EQ(CanonicalEmail("A.nna+1"), "a.nna+1");
  EXPECT_EQ(CanonicalEmail("anna@"), "anna@");
  // Nothing left of the local part: no mailbox, so it must not collapse onto "@gmail.com".
  EXPECT_EQ(CanonicalEmail("+tag@gmail.com"), "+tag@gmail.com");
  EXPECT_EQ(CanonicalEmail("...@GMAIL.com"), "...@gmail.com");
  EXPECT_EQ(CanonicalEmail("+x@outlook.com"), "+x@outlook.com");
}

TEST(CanonicalPhoneTest, AnyWritingOfANumberIsItsE164) {
  EXPECT_EQ(CanonicalPhone("+4915112345678"), "+4915112345678");
  EXPECT_EQ(CanonicalPhone("+49 151 1234 5678"), "+4915112345678");
  EXPECT_EQ(CanonicalPhone("+49-151-1234-5678"), "+4915112345678");
  EXPECT_EQ(CanonicalPhone("+49 (0)151 1234-5678"), "+4915112345678");
}

TEST(CanonicalPhoneTest, UnparseableInputIsPlusAndItsDigits) {
  EXPECT_EQ(CanonicalPhone(""), "");
  EXPECT_EQ(CanonicalPhone("call me"), "");
  EXPECT_EQ(CanonicalPhone("12-34"), "+1234");
}

// Found by fuzz/contacts.cc: the digits of an unparseable writing may themselves be a number.
TEST(CanonicalPhoneTest, IsAFixedPoint) {
  const std::string raw = std::string("+49\x01") + '\0' + "`0" + '\0' + "/\xcfn234-5678";
  const std::string once = CanonicalPhone(raw);
  EXPECT_EQ(CanonicalPhone(once), once);
  EXPECT_EQ(CanonicalPhone("12-34"), CanonicalPhone(CanonicalPhone("12-34")));
}

TEST(SharedIdentitiesTest, NamesEverySharedField) {
  const Identity anna = IdentityOf("cust-1", "anna@gmail.com", "+4915112345678");
  EXPECT_EQ(SharedIdentities(anna, anna), (Shared{"customer_id", "email", "phone"}));
  EXPECT_EQ(SharedIdentities(anna, IdentityOf("cust-2", "A.nna+1@googlemail.com", "")), (Shared{"email"}));
  EXPECT_EQ(SharedIdentities(anna, IdentityOf("cust-2", "bob@example.com", "+49 151 1234 5678")),
            (Shared{"phone"}));
  EXPECT_EQ(SharedIdentities(anna, IdentityOf("cust-1", "bob@example.com", "")), (Shared{"customer_id"}));
  EXPECT_EQ(SharedIdentities(anna, IdentityOf("cust-2", "bob@example.com", "+4915187654321")), Shared{});
}

TEST(SharedIdentitiesTest, EmptyFieldsNeverMatch) {
  EXPECT_EQ(SharedIdentities(Identity{}, Identity{}), Shared{});
  EXPECT_EQ(SharedIdentities(IdentityOf("", "anna@example.com", ""), IdentityOf("", "bob@example.com", "")),
            Shared{});
}

TEST(SharedIdentitiesTest, CustomerIdsAreComparedAsTheShopWritesThem) {
  EXPECT_EQ(SharedIdentities(IdentityOf("Cust-1", "", ""), IdentityOf("cust-1", "", "")), Shared{});
}

std::string Address(std::string line1, std::string zip, std::string country) {
  return CanonicalAddress(ShippingAddress{std::move(line1), std::move(zip), std::move(country)});
}

TEST(CanonicalAddressTest, GermanStreetWritingsAreOne) {
  const std::string key = Address("Hauptstraße 5a", "10115", "DE");
  EXPECT_EQ(key, "hauptstrasse5a|10115|de");
  EXPECT_EQ(Address("Hauptstr. 5a", "10115", "de"), key);
  EXPECT_EQ(Address("Haupt-Str. 5 A", "10115", "Deutschland"), key);
  EXPECT_EQ(Address("  HAUPTSTRASSE   5a ", " 10115 ", "Germany"), key);
  EXPECT_EQ(Address("Haupt Straße 5a", "10115", "de"), key);
}

TEST(CanonicalAddressTest, UmlautsAreSpelledOut) {
  EXPECT_EQ(Address("Müllerstraße 1", "80331", "DE"), Address("Muellerstr. 1", "80331", "DE"));
  EXPECT_EQ(Address("ÖSTERGASSE 2", "1010", "Österreich"), "oestergasse2|1010|at");
}

TEST(CanonicalAddressTest, EnglishAbbreviationsAreSpelledOut) {
  const std::string key = Address("221B Baker Street", "NW1 6XE", "United Kingdom");
  EXPECT_EQ(key, "221bbakerstreet|nw16xe|gb");
  EXPECT_EQ(Address("221b baker st.", "nw16xe", "UK"), key);
  EXPECT_EQ(Address("12 Elm Rd", "12345", "US"), Address("12 Elm Road", "12345", "usa"));
  EXPECT_EQ(Address("1 Sunset Blvd.", "90028", "US"),
            Address("1 sunset boulevard", "90028", "United States"));
  EXPECT_EQ(Address("5 Fifth Ave", "10001", "US"), Address("5 Fifth Avenue", "10001", "US"));
  EXPECT_EQ(Address("3 Oak Dr", "1", "US"), Address("3 Oak Drive", "1", "US"));
  EXPECT_EQ(Address("4 Mill Ln", "1", "US"), Address("4 Mill Lane", "1", "US"));
}

TEST(CanonicalAddressTest, DifferentAddressesStayApart) {
  EXPECT_NE(Address("Hauptstraße 5", "10115", "DE"), Address("Hauptstraße 6", "10115", "DE"));
  EXPECT_NE(Address("Hauptstraße 5", "10115", "DE"), Address("Hauptstraße 5", "10117", "DE"));
  EXPECT_NE(Address("Hauptstraße 5", "1010", "AT"), Address("Hauptstraße 5", "1010", "CH"));
  // Only whole words are abbreviations: "Stone" is no "street".
  EXPECT_EQ(Address("Stone Row 1", "1", "GB"), "stonerow1|1|gb");
}

TEST(CanonicalAddressTest, WithoutStreetOrPostcodeThereIsNoKey) {
  EXPECT_EQ(Address("", "10115", "DE"), "");
  EXPECT_EQ(Address(" .,- ", "10115", "DE"), "");
  EXPECT_EQ(Address("Hauptstraße 5", "", "DE"), "");
  EXPECT_EQ(Address("Hauptstraße 5", " - ", "DE"), "");
  // A missing country still compares (many shops sell in one country).
  EXPECT_EQ(Address("Hauptstraße 5", "10115", ""), "hauptstrasse5|10115|");
}

TEST(SharedIdentitiesTest, AShippingAddressIsAnIdentity) {
  const Identity anna =
      IdentityOf("cust-1", "anna@example.com", "", ShippingAddress{"Hauptstraße 5", "10115", "DE"});
  const Identity bob =
      IdentityOf("cust-2", "bob@example.com", "", ShippingAddress{"Hauptstr. 5", "10115", "de"});
  EXPECT_EQ(SharedIdentities(anna, bob), (Shared{"address"}));
  EXPECT_EQ(SharedIdentities(anna, IdentityOf("cust-2", "bob@example.com", "")), Shared{});
  EXPECT_EQ(SharedIdentities(anna, IdentityOf("cust-1", "anna+x@example.com", "",
                                              ShippingAddress{"Hauptstr. 5", "10115", ""})),
            (Shared{"customer_id"}));
}

}  // namespace
}  // namespace vouch::core
