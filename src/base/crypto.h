#pragma once
// Randomness, hashing and signing on OpenSSL. All functions are thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

namespace vouch {

// `n` bytes from the OS CSPRNG (RAND_bytes). Aborts if the CSPRNG fails: no weak fallback.
std::string RandomBytes(size_t n);
// A uniformly random integer in [0, bound); 0 when bound <= 1.
uint32_t RandomBelow(uint32_t bound);
// Hex SHA-256 of the input: how secrets (API keys) are stored.
std::string Sha256Hex(std::string_view data);
// Raw HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view data);
// Raw HMAC-SHA1: only where a peer's protocol demands it (Twilio's X-Twilio-Signature).
std::string HmacSha1(std::string_view key, std::string_view data);
// Unpadded URL-safe base64 (RFC 4648 §5) and its inverse; Decode accepts only the canonical
// unpadded encoding (no whitespace, no padding, zero trailing bits) and returns false otherwise.
std::string Base64Url(std::string_view data);
bool Base64UrlDecode(std::string_view text, std::string& out);
// Standard base64 with padding, for MIME bodies.
std::string Base64(std::string_view data);
// Compares in time independent of where the inputs differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace vouch
