#include "api/json_users.h"

#include <initializer_list>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

Result<json> Object(std::string_view body, std::initializer_list<const char*> known) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  for (const auto& [k, v] : j.items()) {
    bool ok = false;
    for (const char* name : known) ok = ok || k == name;
    if (!ok) return InvalidArgument(k, "is not a known field");
  }
  return j;
}

Result<std::string> String(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return InvalidArgument(key, "must be a string");
  std::string v = j[key].get<std::string>();
  if (v.size() > 1024) return InvalidArgument(key, "is too long");
  return v;
}

Result<store::Role> RoleOf(const json& j) {
  auto name = String(j, "role");
  if (!name) return name.error();
  auto role = store::ParseRole(*name);
  if (!role) return InvalidArgument("role", "must be \"admin\" or \"viewer\"");
  return *role;
}

json UserObject(const store::User& u) {
  return json{{"id", u.id},
              {"email", u.email},
              {"role", store::RoleName(u.role)},
              {"created_at", Iso(u.created_at)},
              {"last_sign_in_at", u.last_sign_in_at ? json(Iso(*u.last_sign_in_at)) : json(nullptr)},
              {"must_change_password", u.must_change_password}};
}

}  // namespace

Result<UserInvite> ParseUserInvite(std::string_view body) {
  auto j = Object(body, {"email", "role"});
  if (!j) return j.error();
  auto email = String(*j, "email");
  if (!email) return email.error();
  auto role = RoleOf(*j);
  if (!role) return role.error();
  return UserInvite{std::move(*email), *role};
}

Result<store::Role> ParseRoleChange(std::string_view body) {
  auto j = Object(body, {"role"});
  if (!j) return j.error();
  return RoleOf(*j);
}

Result<PasswordChange> ParsePasswordChange(std::string_view body) {
  auto j = Object(body, {"current_password", "new_password"});
  if (!j) return j.error();
  auto current = String(*j, "current_password");
  if (!current) return current.error();
  auto next = String(*j, "new_password");
  if (!next) return next.error();
  return PasswordChange{std::move(*current), std::move(*next)};
}

std::string UserJson(const store::User& u) { return json{{"user", UserObject(u)}}.dump(); }

std::string UsersJson(const std::vector<store::User>& users) {
  json list = json::array();
  for (const auto& u : users) list.push_back(UserObject(u));
  return json{{"users", list}}.dump();
}

std::string CreatedUserJson(const app::CreatedUser& c) {
  json j{{"user", UserObject(c.user)}};
  if (c.password) j["one_time_password"] = *c.password;
  return j.dump();
}

}  // namespace vouch::api
