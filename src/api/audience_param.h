#pragma once
// The `audience=ID` parameter of the reports (issue 16): /api/v1/nps, /api/v1/holdout, the
// experiment results, /api/v1/program, /api/v1/referrals/tree, /api/v1/themes (and /tagged,
// /over-time) and /api/v1/compare/channels cut by one of the shop's audiences (app/audiences.h).
#include <optional>
#include <string_view>

#include "app/app.h"
#include "base/result.h"
#include "http/server.h"

namespace vouch::api {

// None without the parameter; kInvalidArgument `name` for a malformed id, kNotFound `name` for
// one that is not the shop's. /api/v1/nps/compare takes one per side: a_audience, b_audience.
Result<std::optional<store::AudienceCut>> AudienceParam(app::App& app, const http::Request& req,
                                                        const store::Shop& shop,
                                                        std::string_view name = "audience");

}  // namespace vouch::api
