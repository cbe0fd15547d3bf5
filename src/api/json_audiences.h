#pragma once
// Audiences in JSON (issue 16). Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/audiences.h"
#include "base/result.h"

namespace vouch::api {

// {"name","categories":[…],"min_order_minor","max_order_minor","locales":[…],"repeat_buyer",
// "gate","offer":{"discount_kind","discount_value","reward_minor"}}: only "name" is required;
// unknown keys are errors naming the key ("offer.<key>" inside the offer).
Result<app::AudienceInput> ParseAudience(std::string_view body);
// {"id","name","categories","min_order_minor","max_order_minor","locales","repeat_buyer","gate",
// "offer" (null: the shop's),"created_at"}.
std::string ToJson(const store::Audience& a);
std::string ToJson(const std::vector<store::Audience>& list);

}  // namespace vouch::api
