// CSV exports, streamed: GET /api/v1/responses.csv, /api/v1/promoters.csv and
// /api/v1/referrals.csv, with the filters of their JSON forms. Each is read in pages of kExportPage rows,
// each page its own short read (keyset pagination on the feed's order), and sent as one chunk once the client
// has taken the one before: memory stays one page whatever the export's size, and no read transaction stays
// open while a slow client reads.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "api/csv.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"
#include "base/money.h"
#include "core/fraud.h"
#include "core/nps.h"
#include "core/referral.h"

namespace vouch::api {

using http::Request;
using http::Response;

namespace {

constexpr int kExportPage = 2000;  // rows per read and per chunk

// Appends one page to `out`; false when it was the last.
using PageFn = std::function<Result<bool>(std::string& out)>;

struct Export {
  PageFn page;
  std::string first;  // header and first page, produced before the response is committed
  bool started = false;
  bool done = false;
};

// A streamed text/csv attachment. The first page is read here, on the handler's thread, so a
// failing store is still a problem response rather than a cut-off body.
Response CsvResponse(const std::string& filename, std::string header, PageFn page) {
  auto e = std::make_shared<Export>();
  e->page = std::move(page);
  e->first = std::move(header);
  auto more = e->page(e->first);
  if (!more) return Problem(more.error());
  e->done = !*more;
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers = {{"Content-Disposition", "attachment; filename=\"" + filename + "\""},
               {"Cache-Control", "no-store"},
               {"X-Content-Type-Options", "nosniff"}};
  // Called on a pool thread (Api), one piece at a time.
  r.stream = [e](http::PieceSink sink) {
    if (!e->started) {
      e->started = true;
      return sink(std::move(e->first));
    }
    if (e->done) return sink(std::string());
    std::string out;
    auto next = e->page(out);
    if (!next) return sink(next.error());
    e->done = !*next || out.empty();
    sink(std::move(out));  // empty only if the last page was: the end
  };
  return r;
}

std::string Text(int64_t v) { return std::to_string(v); }

void AppendResponse(std::string& out, const store::ResponseRow& r) {
  const bool detractor = r.score <= 6;
  const store::Followup f = app::FollowupOrOpen(r.followup, 0, r.survey_id);
  AppendCsvRow(out, {Text(r.survey_id), FormatRfc3339(r.answered_at), Text(r.score),
                     core::CategoryName(core::Classify(core::Score{r.score})), r.comment, r.segment,
                     r.order_external_id, r.customer_external_id, r.email, r.first_name, r.last_name,
                     store::AnswerStateName(r.state), detractor ? store::FollowupStatusName(f.status) : "",
                     f.owner.value_or(""), f.note.value_or(""),
                     f.resolved_at ? FormatRfc3339(*f.resolved_at) : std::string()});
}

std::string OptTime(const std::optional<Instant>& t) { return t ? FormatRfc3339(*t) : std::string(); }

void AppendReferral(std::string& out, const store::ReferralRow& row) {
  const store::Referral& r = row.referral;
  std::string rules;  // "rule: detail; rule: detail"
  for (const auto& f : r.rules) {
    if (!rules.empty()) rules += "; ";
    rules += f.detail.empty() ? f.rule : f.rule + ": " + f.detail;
  }
  const std::optional<store::Reward>& w = row.reward;
  AppendCsvRow(out,
               {Text(r.id), FormatRfc3339(r.created_at), row.order_external_id, row.code, Text(r.promoter_id),
                Text(row.buyer_id), core::DecisionName(r.decision), core::VerdictName(r.status), rules,
                FormatAmount(r.revenue_minor, r.currency), r.currency, OptTime(r.reviewed_at),
                w ? FormatAmount(w->amount_minor, w->currency) : std::string(),
                w ? store::RewardStatusName(w->status) : "", w ? OptTime(w->hold_until) : std::string()});
}

}  // namespace

void AddExportRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/responses.csv",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto filter = ResponseFilterParams(req, app.clock().Now());
                if (!filter) return Problem(filter.error());
                std::string header;
                AppendCsvRow(header,
                             {"survey_id", "answered_at", "score", "category", "comment", "segment",
                              "order_id", "customer_id", "email", "first_name", "last_name", "state",
                              "followup_status", "followup_owner", "followup_note", "followup_resolved_at"});
                return CsvResponse("responses.csv", std::move(header),
                                   [&app, shop = shop.id, f = *filter,
                                    after = store::Id{0}](std::string& out) mutable -> Result<bool> {
                                     int n = 0;
                                     VOUCH_TRY(app.reports().ExportResponses(
                                         shop, f, after, kExportPage, [&](const store::ResponseRow& r) {
                                           AppendResponse(out, r);
                                           after = r.survey_id;
                                           ++n;
                                         }));
                                     return n == kExportPage;
                                   });
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/promoters.csv",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{3650});
                if (!range) return Problem(range.error());
                std::string header;
                AppendCsvRow(header, {"customer_id", "email", "first_name", "last_name", "code",
                                      "share_visits", "referrals", "revenue", "reward_cost", "currency"});
                return CsvResponse(
                    "promoters.csv", std::move(header),
                    [&app, shop = shop.id, currency = shop.settings.currency, from = range->from,
                     to = range->to, after = store::Id{0}](std::string& out) mutable -> Result<bool> {
                      int n = 0;
                      VOUCH_TRY(app.reports().ExportPromoters(
                          shop, from, to, after, kExportPage, [&](const store::PromoterRow& p) {
                            AppendCsvRow(out, {p.external_id, p.email, p.first_name, p.last_name, p.code,
                                               Text(p.visits), Text(p.referrals),
                                               FormatAmount(p.revenue_minor, currency),
                                               FormatAmount(p.reward_cost_minor, currency), currency});
                            after = p.code_id;
                            ++n;
                          }));
                      return n == kExportPage;
                    });
              })});
  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/referrals.csv",
       .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
         auto filter = ReferralFilterParams(req, app.clock().Now());
         if (!filter) return Problem(filter.error());
         filter->limit = kExportPage;
         std::string header;
         AppendCsvRow(header, {"referral_id", "created_at", "order_id", "code", "promoter_customer_id",
                               "buyer_customer_id", "status", "verdict", "rules", "revenue", "currency",
                               "reviewed_at", "reward", "reward_status", "reward_hold_until"});
         return CsvResponse("referrals.csv", std::move(header),
                            [&app, shop = shop.id, f = *filter](std::string& out) mutable -> Result<bool> {
                              // Newest first, a page of referrals older than the last one.
                              auto rows = app.referrals().List(shop, f);
                              if (!rows) return rows.error();
                              for (const auto& r : *rows) AppendReferral(out, r);
                              if (!rows->empty()) f.before = rows->back().referral.id;
                              return static_cast<int>(rows->size()) == kExportPage;
                            });
       })});
}

}  // namespace vouch::api
