#include "base/password.h"

#include <algorithm>

#include <argon2.h>

#include "base/crypto.h"

namespace vouch {
namespace {

constexpr uint32_t kSaltBytes = 16;
constexpr uint32_t kTagBytes = 32;

}  // namespace

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  const std::string salt = RandomBytes(kSaltBytes);
  std::string encoded(
      argon2_encodedlen(cost.time, cost.memory_kib, cost.parallelism, kSaltBytes, kTagBytes, Argon2_id),
      '\0');
  const int rc =
      argon2id_hash_encoded(cost.time, cost.memory_kib, cost.parallelism, password.data(), password.size(),
                            salt.data(), salt.size(), kTagBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    const std::string why = argon2_error_message(rc);
    if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) return Internal("argon2: " + why);
    return InvalidArgument("password", "argon2: " + why);
  }
  encoded.resize(std::min(encoded.find('\0'), encoded.size()));  // the length counted the terminator
  return encoded;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  if (encoded.rfind("$argon2id$", 0) != 0 || encoded.size() > 512) return false;
  const std::string terminated(encoded);  // libargon2 reads a C string
  if (terminated.find('\0') != std::string::npos) return false;
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string NewOneTimePassword() { return Base64Url(RandomBytes(18)); }

}  // namespace vouch
