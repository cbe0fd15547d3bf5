#include "store/sql/sql_users.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<std::optional<User>> SqlUsers::Find(Id shop, const std::string& email) {
  return One<User>(c_, fmt::format("SELECT {} FROM users WHERE shop_id = ?1 AND email = ?2", kUserCols),
                   {shop, email}, UserFrom);
}

Result<std::vector<User>> SqlUsers::List(Id shop) {
  return Many<User>(c_, fmt::format("SELECT {} FROM users WHERE shop_id = ?1 ORDER BY email", kUserCols),
                    {shop}, UserFrom);
}

Result<Id> SqlUsers::Insert(const User& u) {
  return InsertUnlessTaken(c_,
                           "INSERT INTO users (shop_id, email, role, password_hash, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           "shop_id, email",
                           {u.shop_id, u.email, Stored(u.role), u.password_hash, Ms(u.created_at)},
                           "user with this email");
}

}  // namespace vouch::store::sql
