#pragma once
// One canonical identity for every check that asks "is this the same person?" (issue 11): the
// forms two writings of one mailbox or one phone number share. Pure functions; for comparing only,
// never for sending (a canonical Gmail address still reaches its owner, others may not).
#include <string>
#include <string_view>
#include <vector>

namespace vouch::core {

// The mailbox an address reaches, as far as its provider documents it:
// - lower-cased (as NormalizeEmail stores every address);
// - gmail.com and googlemail.com: dots in the local part and a "+tag" removed, the domain folded
//   to gmail.com ("A.nna+1@GoogleMail.com" → "anna@gmail.com");
// - providers documenting plus-addressing (Outlook/Hotmail/Live, iCloud/me/mac, Fastmail,
//   Proton): a "+tag" removed, dots kept;
// - every other domain (yahoo.com among them, see identity.cc): lower-cased only.
// Input without '@' comes back lower-cased as is; "" stays "".
std::string CanonicalEmail(std::string_view email);

// E.164 ("+4915112345678") when NormalizePhone accepts the number (a stored phone always is);
// otherwise '+' and the digits of the input, "" when it has none ("" stays "").
std::string CanonicalPhone(std::string_view phone);

// A shipping address as an order carries it (issue 11: line1, zip, country), unnormalised.
struct ShippingAddress {
  std::string line1;
  std::string zip;
  std::string country;
};

// One key for every writing of an address, for comparing only: "line1|zip|country" with
// - line1: ASCII case folded, German umlauts and ß spelled out (ä → ae, ß → ss), punctuation
//   (anything not a letter or digit) a word break, then a few common abbreviations spelled out
//   word by word ("str"/a word ending in "str" → "strasse", "st" → "street", "rd" → "road",
//   "ave"/"av" → "avenue", "blvd" → "boulevard", "dr" → "drive", "ln" → "lane"), and the words
//   joined without spaces, so "Haupt-Str. 5a", "Hauptstraße 5 A" and "hauptstrasse 5a" are one;
// - zip: letters and digits only, case folded ("SW1A 1AA" → "sw1a1aa");
// - country: an ISO 3166-1 alpha-2 code, case folded; a few English and native names of
//   countries are mapped onto their code ("Deutschland", "Germany" → "de"; "UK" → "gb").
// "" (never matching) when line1 or zip has no letter or digit: an address without a street
// or a postcode is too coarse to say two buyers are one person.
std::string CanonicalAddress(const ShippingAddress& address);

// A person as the checks compare them; every field canonical (see Canonical* above).
struct Identity {
  std::string customer_external_id;  // the shop's own customer id, compared as is
  std::string email;
  std::string phone;
  std::string address{};  // CanonicalAddress of a shipping address; "" when none
};

// The canonical identity of raw contact data.
Identity IdentityOf(std::string_view customer_external_id, std::string_view email, std::string_view phone);
Identity IdentityOf(std::string_view customer_external_id, std::string_view email, std::string_view phone,
                    const ShippingAddress& address);

// What a and b share, in this order: "customer_id", "email", "phone", "address". Empty fields
// never match.
std::vector<std::string> SharedIdentities(const Identity& a, const Identity& b);

}  // namespace vouch::core
