#pragma once
// A shop's API keys in JSON (docs/dashboard contract): the list, a new key with its secret, the
// body that names one. Never a key's hash. Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/shops.h"
#include "base/result.h"

namespace vouch::api {

// {"name"}
Result<std::string> ParseKeyName(std::string_view body);
// {"keys":[{"id","name","prefix","created_at","last_used_at"}]}
std::string KeysJson(const std::vector<store::ApiKey>& keys);
// {"key":{…},"secret":"vk_…"}
std::string CreatedKeyJson(const app::CreatedKey& k);

}  // namespace vouch::api
