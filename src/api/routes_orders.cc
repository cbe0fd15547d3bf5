// Orders: POST /api/v1/orders and /api/v1/orders/batch.
#include <string>
#include <utility>
#include <vector>

#include "api/json_orders.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {
namespace {

using http::Request;
using http::Response;

// Small bodies only on the I/O thread: parsing a large one would hold up every connection there.
constexpr size_t kMaxInlineBody = 64 * 1024;

// 201 for a new order, 200 for a replay, else the problem.
Response IngestResponse(const Result<app::IngestResult>& done) {
  return done ? Json(done->created ? 201 : 200, ToJson(*done)) : Problem(done.error());
}

// POST /api/v1/orders without a thread of its own, when the key is one this node knows from the
// last seconds: parsed on the I/O thread, queued for the writer, and answered from the writer's
// completion, the response body built back on the I/O thread. A request otherwise crossed four
// threads (I/O → handler pool → writer → handler → I/O) and held a pool thread asleep for its
// commit. False: take the pool path (a key to look up, or a large body).
bool IngestInline(app::App& app, Request& req, http::Responder& respond) {
  if (req.body.size() > kMaxInlineBody) return false;
  auto shop = app.shops().AuthenticateCached(BearerKey(req));
  if (!shop) return false;
  auto order = ParseOrder(req.body, shop->settings.default_region);
  if (!order) {
    respond(Problem(order.error()));
    return true;
  }
  // The JSON is written on the I/O thread (Response::finish), not on the writer's.
  app.ingest().OrderAsync(
      std::move(*shop), std::move(*order), [respond = std::move(respond)](Result<app::IngestResult> done) {
        Response r;
        r.finish = [done = std::move(done)](Response& out) { out = IngestResponse(done); };
        respond(std::move(r));
      });
  return true;
}

Response IngestBatch(app::App& app, const Request& req, const store::Shop& shop) {
  auto parsed = ParseOrderBatch(req.body, kMaxBatchOrders, shop.settings.default_region);
  if (!parsed) return Problem(parsed.error());
  std::vector<app::OrderInput> valid;
  std::vector<size_t> where;
  std::vector<Result<app::IngestResult>> results(parsed->size(), Result<app::IngestResult>(Internal("")));
  std::vector<std::string> ids(parsed->size());
  for (size_t i = 0; i < parsed->size(); ++i) {
    auto& item = (*parsed)[i];
    ids[i] = item.id;
    if (item.order) {
      where.push_back(i);
      valid.push_back(std::move(*item.order));
    } else {
      results[i] = item.order.error();
    }
  }
  auto done = app.ingest().Batch(shop, valid);
  for (size_t k = 0; k < done.size(); ++k) results[where[k]] = std::move(done[k]);
  return Json(200, BatchToJson(results, ids));
}

}  // namespace

void AddOrderRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/orders",
              .handler = Authed(app,
                                [&app](const Request& req, const Params&, const store::Shop& shop) {
                                  auto order = ParseOrder(req.body, shop.settings.default_region);
                                  if (!order) return Problem(order.error());
                                  return IngestResponse(app.ingest().Order(shop, *order));
                                }),
              .inline_handler = [&app](Request& req, const Params&, http::Responder& respond) {
                return IngestInline(app, req, respond);
              }});
  // A CSV file of orders (app/order_csv.h), up to the batch body limit; ?survey_recent=30d.
  router.Add({.method = "POST",
              .pattern = "/api/v1/orders/import",
              .handler = Authed(app,
                                [&app](const Request& req, const Params&, const store::Shop& shop) {
                                  app::ImportOptions options;
                                  if (req.HasQuery("survey_recent")) {
                                    auto span = app::ParseSpan(req.Query("survey_recent"), "survey_recent");
                                    if (!span) return Problem(span.error());
                                    options.survey_recent = *span;
                                  }
                                  bool given = false;
                                  app::CsvSource body = [&]() -> std::string_view {
                                    if (given) return {};
                                    given = true;
                                    return req.body;
                                  };
                                  auto report = app.imports().Orders(shop, std::move(body), options);
                                  if (!report) return Problem(report.error());
                                  return Json(200, ImportToJson(*report));
                                }),
              .max_body = kMaxBatchBody,
              .release_memory = true});
  // A batch allocates tens of megabytes across glibc's per-thread arenas: hand them back after.
  router.Add({.method = "POST",
              .pattern = "/api/v1/orders/batch",
              .handler = Authed(app, [&app](const Request& req, const Params&,
                                            const store::Shop& shop) { return IngestBatch(app, req, shop); }),
              .max_body = kMaxBatchBody,
              .release_memory = true});
}

}  // namespace vouch::api
