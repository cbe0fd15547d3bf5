#pragma once
// A person who signs in to a shop's dashboard, and what they may do there.
// Plain records; time as Instant (UTC).
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

// Stored as "admin" (everything) and "viewer" (read only).
enum class Role { kAdmin, kViewer };
const char* RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);

struct User {
  Id id = 0;
  Id shop_id = 0;
  std::string email;  // lower-cased (core::NormalizeEmail); unique per shop
  Role role = Role::kViewer;
  std::string password_hash;  // Argon2id, encoded (base/password.h); never the password
  Instant created_at{};
  std::optional<Instant> last_sign_in_at;  // the last session made for them
  // Their password was made by Vouch (a one-time password): until they choose their own, a
  // session may only change it.
  bool must_change_password = false;
};

// A signed-in browser (app/sessions.h). The cookie's token is stored only as its SHA-256.
struct Session {
  Id id = 0;
  std::string token_hash;  // hex SHA-256 of the cookie's token
  Id user_id = 0;
  Id shop_id = 0;
  std::string csrf_token;  // what X-CSRF-Token must carry
  Instant created_at{}, last_seen_at{}, expires_at{};
  // Read from the user's row along with the session (Find); not stored with it.
  std::string email;
  Role role = Role::kViewer;
  bool must_change_password = false;
};

}  // namespace vouch::store
