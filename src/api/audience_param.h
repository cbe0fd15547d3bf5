#pragma once
// The `audience=ID` parameter of the reports (issue 16): /api/v1/nps, /api/v1/holdout, the
// experiment results, /api/v1/program, /api/v1/referrals/tree, /api/v1/themes (and /tagged,
// /over-time) and /api/v1/compare/channels cut by one of the shop's audiences (app/audiences.h).
#include <optional>

#include "app/app.h"
#include "base/result.h"
#include "http/server.h"

namespace vouch::api {

// None without the parameter; kInvalidArgument "audience" for a malformed id, kNotFound
// "audience" for one that is not the shop's.
Result<std::optional<store::AudienceCut>> AudienceParam(app::App& app, const http::Request& req,
                                                        const store::Shop& shop);

}  // namespace vouch::api
