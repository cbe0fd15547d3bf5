// Detractors' follow-ups: PATCH /api/v1/responses/{survey_id}/followup and
// GET /api/v1/followups/summary.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>

#include "api/json_followups.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

namespace {

// A survey id from the path: a positive integer, else as unknown as a missing survey.
Result<int64_t> SurveyId(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) {
    return Error{Code::kNotFound, "no answered survey with this id", "survey_id"};
  }
  return v;
}

}  // namespace

void AddFollowupRoutes(Router& router, app::App& app) {
  router.Add({.method = "PATCH",
              .pattern = "/api/v1/responses/{survey_id}/followup",
              .handler = Authed(app, [&app](const Request& req, const Params& p, const store::Shop& shop) {
                auto survey = SurveyId(p.at("survey_id"));
                if (!survey) return Problem(survey.error());
                auto patch = ParseFollowupPatch(req.body);
                if (!patch) return Problem(patch.error());
                auto f = app.followups().Update(shop.id, *survey, *patch);
                if (!f) return Problem(f.error());
                return Json(200, ToJson(*f));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/followups/summary",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{3650});
                if (!range) return Problem(range.error());
                auto s = app.followups().Summary(shop.id, range->from, range->to);
                if (!s) return Problem(s.error());
                return Json(200, ToJson(*s));
              })});
}

}  // namespace vouch::api
