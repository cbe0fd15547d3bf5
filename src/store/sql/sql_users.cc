#include "store/sql/sql_users.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<std::optional<User>> SqlUsers::Find(Id shop, const std::string& email) {
  return One<User>(c_, fmt::format("SELECT {} FROM users WHERE shop_id = ?1 AND email = ?2", kUserCols),
                   {shop, email}, UserFrom);
}

Result<std::optional<User>> SqlUsers::Get(Id shop, Id user) {
  return One<User>(c_, fmt::format("SELECT {} FROM users WHERE shop_id = ?1 AND id = ?2", kUserCols),
                   {shop, user}, UserFrom);
}

Result<std::vector<User>> SqlUsers::FindByEmail(const std::string& email) {
  return Many<User>(c_, fmt::format("SELECT {} FROM users WHERE email = ?1 ORDER BY shop_id", kUserCols),
                    {email}, UserFrom);
}

Result<int64_t> SqlUsers::CountAdmins(Id shop) {
  return Count(c_, "SELECT COUNT(*) FROM users WHERE shop_id = ?1 AND role = 'admin'", {shop});
}

Result<std::vector<User>> SqlUsers::List(Id shop) {
  return Many<User>(c_, fmt::format("SELECT {} FROM users WHERE shop_id = ?1 ORDER BY email", kUserCols),
                    {shop}, UserFrom);
}

Result<Id> SqlUsers::Insert(const User& u) {
  return InsertUnlessTaken(c_,
                           "INSERT INTO users (shop_id, email, role, password_hash, created_at, "
                           "must_change_password) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           "shop_id, email",
                           {u.shop_id, u.email, Stored(u.role), u.password_hash, Ms(u.created_at),
                            int64_t{u.must_change_password ? 1 : 0}},
                           "user with this email");
}

Status SqlUsers::SetRole(Id user, Role role) {
  return Exec(c_, "UPDATE users SET role = ?2 WHERE id = ?1", {user, Stored(role)});
}

Status SqlUsers::SetPasswordHash(Id user, const std::string& password_hash) {
  return Exec(c_, "UPDATE users SET password_hash = ?2, must_change_password = 0 WHERE id = ?1",
              {user, password_hash});
}

Status SqlUsers::SetLastSignIn(Id user, Instant at) {
  return Exec(c_, "UPDATE users SET last_sign_in_at = ?2 WHERE id = ?1", {user, Ms(at)});
}

Result<int64_t> SqlUsers::Delete(Id shop, Id user) {
  auto s = c_.Exec("DELETE FROM sessions WHERE user_id = ?1 AND shop_id = ?2", {user, shop});
  if (!s) return s.error();
  return c_.Exec("DELETE FROM users WHERE id = ?1 AND shop_id = ?2", {user, shop});
}

}  // namespace vouch::store::sql
