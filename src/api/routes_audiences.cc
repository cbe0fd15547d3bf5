// Audiences (issue 16): POST/GET /api/v1/audiences, GET/DELETE /api/v1/audiences/{id}; and the
// `audience=ID` parameter the reports take (api/audience_param.h).
#include "api/audience_param.h"
#include "api/json_audiences.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

Result<std::optional<store::AudienceCut>> AudienceParam(app::App& app, const http::Request& req,
                                                        const store::Shop& shop, std::string_view name) {
  const std::string key(name);
  if (!req.HasQuery(key)) return std::optional<store::AudienceCut>{};
  const int64_t id = IdParam(req.Query(key));
  if (id <= 0) return InvalidArgument(key, "must be an audience id");
  auto a = app.audiences().Get(shop.id, id);
  if (!a) return Error{a.error().code, a.error().message, key};
  return std::optional<store::AudienceCut>{store::AudienceCut{std::move(*a), shop.settings.locale}};
}

void AddAudienceRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/audiences",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto in = ParseAudience(req.body);
                if (!in) return Problem(in.error());
                auto a = app.audiences().Create(shop, std::move(*in));
                if (!a) return Problem(a.error());
                return Json(201, ToJson(*a));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/audiences",
              .handler = Authed(app, [&app](const Request&, const Params&, const store::Shop& shop) {
                auto list = app.audiences().List(shop.id);
                if (!list) return Problem(list.error());
                return Json(200, ToJson(*list));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/audiences/{id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto a = app.audiences().Get(shop.id, IdParam(p.at("id")));
                if (!a) return Problem(a.error());
                return Json(200, ToJson(*a));
              })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/audiences/{id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto done = app.audiences().Delete(shop.id, IdParam(p.at("id")));
                if (!done) return Problem(done.error());
                return NoContent();
              })});
}

}  // namespace vouch::api
