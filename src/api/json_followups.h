#pragma once
// Follow-ups in JSON: a detractor's follow-up, the change a PATCH asks for (unknown keys are
// errors naming the key; null or "" clears owner or note), and the summary. Pure functions,
// thread-safe.
#include <string>
#include <string_view>

#include "app/followups.h"
#include "base/result.h"

namespace vouch::api {

Result<app::FollowupPatch> ParseFollowupPatch(std::string_view body);
// {"survey_id","status","owner","note","updated_at","resolved_at"}: owner, note and the times
// are null when unset.
std::string ToJson(const store::Followup& f);
std::string ToJson(const app::FollowupSummary& s);

}  // namespace vouch::api
