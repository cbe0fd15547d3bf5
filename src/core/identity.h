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

// A person as the checks compare them; every field canonical (see Canonical* above).
struct Identity {
  std::string customer_external_id;  // the shop's own customer id, compared as is
  std::string email;
  std::string phone;
};

// The canonical identity of raw contact data.
Identity IdentityOf(std::string_view customer_external_id, std::string_view email, std::string_view phone);

// What a and b share, in this order: "customer_id", "email", "phone". Empty fields never match.
std::vector<std::string> SharedIdentities(const Identity& a, const Identity& b);

}  // namespace vouch::core
