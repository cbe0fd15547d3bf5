#include "api/json_session.h"

#include <nlohmann/json.hpp>

namespace vouch::api {

using nlohmann::json;

Result<app::SignInInput> ParseSignIn(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::SignInInput in;
  for (const char* key : {"email", "password"}) {
    if (!j.contains(key) || !j[key].is_string()) return InvalidArgument(key, "must be a string");
    const auto& v = j[key].get_ref<const std::string&>();
    if (v.empty() || v.size() > 1024) return InvalidArgument(key, "must be 1 to 1024 characters");
  }
  in.email = j["email"].get<std::string>();
  in.password = j["password"].get<std::string>();
  if (j.contains("shop_id") && !j["shop_id"].is_null()) {
    if (!j["shop_id"].is_number_integer() || j["shop_id"].get<int64_t>() <= 0) {
      return InvalidArgument("shop_id", "must be a positive integer");
    }
    in.shop = j["shop_id"].get<int64_t>();
  }
  return in;
}

std::string SessionJson(const app::SessionInfo& s) {
  return json{{"user",
               {{"id", s.user.id},
                {"email", s.user.email},
                {"role", store::RoleName(s.user.role)},
                {"shop_id", s.shop.id},
                {"shop_name", s.shop.name},
                {"must_change_password", s.user.must_change_password}}},
              {"csrf_token", s.csrf_token}}
      .dump();
}

}  // namespace vouch::api
