#include "api/json_followups.h"

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using nlohmann::json;

Result<app::FollowupPatch> ParseFollowupPatch(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::FollowupPatch p;
  for (const auto& [k, v] : j.items()) {
    if (k == "owner" || k == "note") {
      if (v.is_null()) {
        (k == "owner" ? p.owner : p.note) = std::string();
      } else if (v.is_string()) {
        (k == "owner" ? p.owner : p.note) = v.get<std::string>();
      } else {
        return InvalidArgument(k, "must be a string or null");
      }
    } else if (k == "resolved") {
      if (!v.is_boolean()) return InvalidArgument(k, "must be true or false");
      p.resolved = v.get<bool>();
    } else {
      return InvalidArgument(k, "is not a field of a follow-up (owner, note, resolved)");
    }
  }
  return p;
}

std::string ToJson(const store::Followup& f) { return internal::FollowupJson<json>(f).dump(); }

std::string ToJson(const app::FollowupSummary& s) {
  return json{{"open", s.open},
              {"resolved", s.resolved},
              {"median_hours_to_resolve",
               s.median_hours_to_resolve ? json(*s.median_hours_to_resolve) : json(nullptr)}}
      .dump();
}

}  // namespace vouch::api
