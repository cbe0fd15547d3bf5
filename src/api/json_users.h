#pragma once
// A shop's dashboard users in JSON (docs/dashboard contract): a user, the list, an invited user
// with their one-time password, and the bodies of invitations, role changes and password changes
// (unknown keys are errors naming the key). Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/users.h"
#include "base/result.h"

namespace vouch::api {

struct UserInvite {
  std::string email;
  store::Role role = store::Role::kViewer;
};
struct PasswordChange {
  std::string current_password, new_password;
};

// {"email","role"}
Result<UserInvite> ParseUserInvite(std::string_view body);
// {"role"}
Result<store::Role> ParseRoleChange(std::string_view body);
// {"current_password","new_password"}
Result<PasswordChange> ParsePasswordChange(std::string_view body);

// {"user":{"id","email","role","created_at","last_sign_in_at"}}
std::string UserJson(const store::User& u);
// {"users":[…]}
std::string UsersJson(const std::vector<store::User>& users);
// {"user":{…},"one_time_password":"…"}
std::string CreatedUserJson(const app::CreatedUser& c);

}  // namespace vouch::api
