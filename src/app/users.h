#pragma once
// Users: the people who sign in to a shop's dashboard (issue 15's "who signs in"), each with a
// role, their passwords stored only as Argon2id hashes (base/password.h). Sessions and sign-in
// routes build on Verify. Thread-safe; every method blocks on the store, and hashing takes the
// cost's time and memory (about 0.1-0.3 s and 64 MiB by default): call them off I/O threads.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/password.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct CreatedUser {
  store::User user;                     // without its password hash
  std::optional<std::string> password;  // the one-time password, when Create made one: shown once
};

class Users {
 public:
  // `cost`: Argon2id's for new hashes (tests pass kCheapPasswordCost).
  Users(store::Store& store, const Clock& clock, PasswordCost cost = {})
      : store_(store), clock_(clock), cost_(cost) {}

  // A user of `shop` with `email` (lower-cased) and `role`. Without `password`, makes a
  // one-time password and returns it (once), and the user must change it before anything else
  // (User::must_change_password); either way only its hash is stored.
  // Errors: kInvalidArgument "email" for an address that is not one, "password" for a given
  // password under 8 or over 1024 bytes; kNotFound for an unknown shop; kAlreadyExists "email"
  // when the shop has a user with this email; store errors.
  Result<CreatedUser> Create(store::Id shop, std::string_view email, store::Role role,
                             std::optional<std::string> password = std::nullopt);

  // The user of `shop` with `email` (without the hash) if `password` is theirs. kUnauthenticated alike for an
  // unknown shop, an unknown email and a wrong password (the same message; an unknown user costs
  // one hash verification too, so timing tells them apart no better than the message does).
  Result<store::User> Verify(store::Id shop, std::string_view email, std::string_view password);
  // As Verify, in `shop` when given, else in whichever of the email's shops the password is right
  // for (at most kMaxShopsPerEmail are tried). kInvalidArgument "shop_id" when it is right in
  // several: the caller must choose.
  static constexpr size_t kMaxShopsPerEmail = 8;
  Result<store::User> VerifyAnyShop(std::optional<store::Id> shop, std::string_view email,
                                    std::string_view password);

  // Managing a shop's users (the dashboard's Settings; admins only, checked by the caller).
  // The shop's users by email, without their hashes.
  Result<std::vector<store::User>> List(store::Id shop);
  // Gives the user `role`. kNotFound for a user not of `shop`; kFailedPrecondition "role" when
  // it would leave the shop without an admin. A signed-in user's new role applies to their
  // next request (sessions read it with the session).
  Result<store::User> SetRole(store::Id shop, store::Id user, store::Role role);
  // Deletes the user and ends their sessions, in one transaction. kNotFound, or
  // kFailedPrecondition when they are the shop's last admin.
  Status Delete(store::Id shop, store::Id user);
  // Replaces the user's password when `current` is theirs, and ends their other sessions (all
  // but `keep_session`). kInvalidArgument "current_password" for a wrong one, "new_password"
  // for one under 8 or over 1024 bytes; kNotFound for an unknown user.
  Status ChangePassword(store::Id shop, store::Id user, std::string_view current, std::string_view next,
                        store::Id keep_session);

 private:
  const std::string& DummyHash();

  store::Store& store_;
  const Clock& clock_;
  const PasswordCost cost_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace vouch::app
