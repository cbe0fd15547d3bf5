#pragma once
// Shops in JSON: a shop with its settings, a settings patch (unknown keys are errors naming the
// key), a created shop with its API key, a shop's template overrides. Pure functions, thread-safe.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/shops.h"
#include "base/result.h"

namespace vouch::api {

Result<app::SettingsPatch> ParseSettingsPatch(std::string_view body);
std::string ToJson(const store::Shop& shop);
std::string CreatedShopJson(const app::CreatedShop& s);
std::string TemplatesToJson(const std::map<std::string, std::string>& overrides,
                            const std::vector<std::string>& names);

}  // namespace vouch::api
