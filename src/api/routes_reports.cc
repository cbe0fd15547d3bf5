// Reports over a date range: /api/v1/nps, /nps/compare, /funnel, /promoters (and a promoter's
// page), /responses; and /categories (the product categories seen in the shop's orders).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "api/audience_param.h"
#include "api/json_problem.h"
#include "api/json_reports.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddReportRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/nps",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{30});
                if (!range) return Problem(range.error());
                const std::string name = req.HasQuery("interval") ? req.Query("interval") : "";
                app::Interval interval = app::Interval::kDay;
                if (name.empty()) {
                  const auto span = range->to - range->from;
                  interval = span <= std::chrono::days{92}    ? app::Interval::kDay
                             : span <= std::chrono::days{731} ? app::Interval::kWeek
                                                              : app::Interval::kMonth;
                } else {
                  auto parsed = app::ParseInterval(name);
                  if (!parsed) return Problem(parsed.error());
                  interval = *parsed;
                }
                std::optional<std::string> segment;
                if (req.HasQuery("segment")) segment = req.Query("segment");
                const std::string sig = req.Query("significance");
                if (req.HasQuery("significance") && sig != "true" && sig != "false") {
                  return Problem(InvalidArgument("significance", "must be true or false"));
                }
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto report = app.reports().Nps(shop.id, range->from, range->to, interval, segment,
                                                sig == "true", *cut);
                if (!report) return Problem(report.error());
                return Json(200, ToJson(*report));
              })});
  // B against A. Defaults: B the last 30 days up to the end of today, A the 30 days before B.
  router.Add({.method = "GET",
              .pattern = "/api/v1/nps/compare",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto b = ParseRange(req, "b_from", "b_to", DayStart(DayNumber(app.clock().Now()) + 1),
                                    std::chrono::days{30});
                if (!b) return Problem(b.error());
                auto a = ParseRange(req, "a_from", "a_to", b->from, b->to - b->from);
                if (!a) return Problem(a.error());
                app::NpsSide side_a{a->from, a->to, std::nullopt, std::nullopt};
                app::NpsSide side_b{b->from, b->to, std::nullopt, std::nullopt};
                if (req.HasQuery("a_segment")) side_a.segment = req.Query("a_segment");
                if (req.HasQuery("b_segment")) side_b.segment = req.Query("b_segment");
                auto cut_a = AudienceParam(app, req, shop, "a_audience");
                if (!cut_a) return Problem(cut_a.error());
                auto cut_b = AudienceParam(app, req, shop, "b_audience");
                if (!cut_b) return Problem(cut_b.error());
                side_a.audience = std::move(*cut_a);
                side_b.audience = std::move(*cut_b);
                auto c = app.reports().CompareNps(shop.id, side_a, side_b);
                if (!c) return Problem(c.error());
                return Json(200, ToJson(*c));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/funnel",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{30});
                if (!range) return Problem(range.error());
                auto f = app.reports().Funnel(shop.id, range->from, range->to);
                if (!f) return Problem(f.error());
                return Json(200, ToJson(*f, range->from, range->to));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/categories",
              .handler = Authed(app, [&app](const Request&, const Params&, const store::Shop& shop) {
                auto rows = app.reports().Categories(shop.id);
                if (!rows) return Problem(rows.error());
                return Json(200, ToJson(*rows));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/promoters",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{3650});
                if (!range) return Problem(range.error());
                auto limit = IntParam(req, "limit", 50, 1, 1000);
                if (!limit) return Problem(limit.error());
                auto rows = app.reports().Promoters(shop.id, range->from, range->to, *limit);
                if (!rows) return Problem(rows.error());
                return Json(200, ToJson(*rows, shop.settings.currency));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/promoters/{customer_id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto page = app.reports().Promoter(shop.id, p.at("customer_id"));
                if (!page) return Problem(page.error());
                return Json(200, ToJson(*page, shop.settings.currency));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/responses",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto filter = ResponseFilterParams(req, app.clock().Now());
                if (!filter) return Problem(filter.error());
                auto limit = IntParam(req, "limit", 100, 1, 1000);
                if (!limit) return Problem(limit.error());
                auto after = IntParam(req, "after", 0, 0, INT32_MAX);
                if (!after) return Problem(after.error());
                auto rows = app.reports().Responses(shop.id, *filter, *after, *limit);
                if (!rows) return Problem(rows.error());
                return Json(200, ToJson(*rows));
              })});
}

}  // namespace vouch::api
