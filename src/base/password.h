#pragma once
// Password hashes for people who sign in (dashboard users): Argon2id (RFC 9106) on libargon2,
// written in the PHC string format ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), which carries
// its own parameters and salt, so hashes made with other parameters still verify. Thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vouch {

// Argon2id's costs. The defaults are RFC 9106's second recommended option (§4: 64 MiB, t=3, p=1)
// for memory-constrained hosts: about 0.1-0.3 s and 64 MiB per hash on one core, which a sign-in
// can afford and which makes each offline guess cost the same. p=1 because the server hashes on
// one pool thread at a time per request; more lanes would only borrow other requests' cores.
// Tests pass kCheapPasswordCost so they stay fast; never use it for stored passwords.
struct PasswordCost {
  uint32_t time = 3;                // passes over memory (t)
  uint32_t memory_kib = 64 * 1024;  // m, in KiB
  uint32_t parallelism = 1;         // lanes (p)
};
inline constexpr PasswordCost kCheapPasswordCost{1, 64, 1};  // tests only: 64 KiB, one pass

// An encoded Argon2id hash of `password` with a fresh random 16-byte salt (base/crypto.h's
// CSPRNG) and a 32-byte tag. kInvalidArgument when libargon2 refuses the input or the costs (e.g.
// memory below 8 KiB per lane); kInternal when it fails to allocate.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost = {});

// Whether `password` matches `encoded` (a HashPassword result, with whatever costs it names), the
// tag compared in constant time by libargon2. False, never a crash, for a malformed `encoded` or
// one of another Argon2 variant. `encoded` comes from our own store: its costs are trusted (a
// forged one naming gigabytes of memory would be allocated).
bool VerifyPassword(std::string_view password, std::string_view encoded);

// A password for a new user, shown once: 18 random bytes (144 bits) as 24 base64url characters.
std::string NewOneTimePassword();

}  // namespace vouch
