#include "api/json_keys.h"

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

json KeyObject(const store::ApiKey& k) {
  return json{{"id", k.id},
              {"name", k.name},
              {"prefix", k.prefix},
              {"created_at", Iso(k.created_at)},
              {"last_used_at", k.last_used_at ? json(Iso(*k.last_used_at)) : json(nullptr)}};
}

}  // namespace

Result<std::string> ParseKeyName(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  for (const auto& [k, v] : j.items()) {
    if (k != "name") return InvalidArgument(k, "is not a known field");
  }
  if (!j.contains("name") || !j["name"].is_string()) return InvalidArgument("name", "must be a string");
  return j["name"].get<std::string>();
}

std::string KeysJson(const std::vector<store::ApiKey>& keys) {
  json list = json::array();
  for (const auto& k : keys) list.push_back(KeyObject(k));
  return json{{"keys", list}}.dump();
}

std::string CreatedKeyJson(const app::CreatedKey& k) {
  return json{{"key", KeyObject(k.key)}, {"secret", k.secret}}.dump();
}

}  // namespace vouch::api
