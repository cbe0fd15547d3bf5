#pragma once
// Shop-defined comment themes in JSON (issue 16). Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/defined_themes.h"
#include "base/result.h"

namespace vouch::api {

// {"name": "...", "keywords": ["...", ...]}. kInvalidArgument naming the field (or "body").
Result<app::DefinedThemeInput> ParseDefinedTheme(std::string_view body);

// {"id","name","keywords","created_at","updated_at"}.
std::string ToJson(const store::DefinedTheme& t);
// {"themes": [...]}.
std::string ToJson(const std::vector<store::DefinedTheme>& list);
// {"from","to","category","comments","capped","themes":[{"id","name","keywords","tagged","share",
// "promoters","passives","detractors","nps","examples"}],"method"}.
std::string ToJson(const app::DefinedThemeReport& r);
// {"from","to","interval","category","capped","themes":[{"id","name"}],"buckets":[{"start","end",
// "comments","themes":[{"id","tagged","share","ci","vs_previous"}]}],"method"}.
std::string ToJson(const app::ThemeTimeline& t);

}  // namespace vouch::api
