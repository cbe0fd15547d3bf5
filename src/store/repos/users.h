#pragma once
// The users repository: the people who sign in to a shop's dashboard, one row per (shop, email).
// Emails are compared as stored: callers lower-case them first (core::NormalizeEmail).
// Obtained from a transaction (ReadTx::users(), Tx::users()); not thread-safe, valid only inside
// the function the transaction was handed to. Errors: kUnavailable for a database fault.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/users.h"

namespace vouch::store {

class UserReads {
 public:
  virtual ~UserReads() = default;
  virtual Result<std::optional<User>> Find(Id shop, const std::string& email) = 0;
  virtual Result<std::optional<User>> Get(Id shop, Id user) = 0;
  // The users with this email in every shop (one person may sign in to several), by shop.
  virtual Result<std::vector<User>> FindByEmail(const std::string& email) = 0;
  // How many of the shop's users have the admin role.
  virtual Result<int64_t> CountAdmins(Id shop) = 0;
  // The shop's users by email.
  virtual Result<std::vector<User>> List(Id shop) = 0;
};

class Users : public UserReads {
 public:
  // The new user's id (user.id is ignored); kAlreadyExists when the shop has a user with this email.
  virtual Result<Id> Insert(const User& user) = 0;
  virtual Status SetRole(Id user, Role role) = 0;
  // A password the user chose: also clears must_change_password.
  virtual Status SetPasswordHash(Id user, const std::string& password_hash) = 0;
  virtual Status SetLastSignIn(Id user, Instant at) = 0;
  // Deletes the user (their sessions first); how many rows of users went: 0 or 1.
  virtual Result<int64_t> Delete(Id shop, Id user) = 0;
};

}  // namespace vouch::store
