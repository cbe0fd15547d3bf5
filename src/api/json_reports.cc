#include "api/json_reports.h"

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"
#include "core/nps.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

// The NPS report is written straight into a string, not through a JSON DOM: a 3-year day-interval
// report has 1,095 buckets, and building and serialising their DOM was half of the query's CPU
// (callgrind, docs/BENCHMARKS.md). Same members as the DOM gave, keys in its sorted order except
// that a bucket's "end" and "start" come last.
// `v` rounded to one decimal ("-12.3", "0.0"), as the DOM's rounded doubles printed, by integer
// arithmetic: fmt's float formatting was the largest part left of a 1,095-bucket report.
void AppendOneDecimal(std::string& out, double v) {
  const auto tenths = static_cast<int64_t>(std::llround(v * 10.0));
  const int64_t magnitude = tenths < 0 ? -tenths : tenths;
  if (tenths < 0) out += '-';
  out += std::to_string(magnitude / 10);
  out += '.';
  out += static_cast<char>('0' + magnitude % 10);
}

void AppendNps(std::string& out, const core::NpsEstimate& e) {
  out += "\"ci_high\":";
  AppendOneDecimal(out, e.ci_high);
  out += ",\"ci_low\":";
  AppendOneDecimal(out, e.ci_low);
  out += ",\"detractors\":";
  out += std::to_string(e.detractors);
  out += ",\"margin\":";
  AppendOneDecimal(out, e.margin);
  out += ",\"n\":";
  out += std::to_string(e.n);
  out += ",\"nps\":";
  AppendOneDecimal(out, e.nps);
  out += ",\"passives\":";
  out += std::to_string(e.passives);
  out += ",\"promoters\":";
  out += std::to_string(e.promoters);
}

}  // namespace

std::string ToJson(const app::NpsReport& r) {
  std::string out;
  out.reserve(256 + r.buckets.size() * 200);
  out += "{\"buckets\":[";
  for (size_t i = 0; i < r.buckets.size(); ++i) {
    const auto& b = r.buckets[i];
    out += i == 0 ? "{" : ",{";
    AppendNps(out, b.estimate);
    out += ",\"end\":\"";
    out += Iso(b.end);
    out += "\",\"start\":\"";
    out += Iso(b.start);
    out += "\"}";
  }
  out += "],\"confidence\":0.95,\"from\":\"";
  out += Iso(r.from);
  out += "\",\"interval\":\"";
  out += app::IntervalName(r.interval);  // a plain word: nothing to escape
  out += "\",\"method\":\"adjusted-wald (Rocks 2016)\",\"overall\":{";
  AppendNps(out, r.overall);
  out += "},\"scores\":[";
  for (size_t i = 0; i < r.scores.by_score.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(r.scores.by_score[i]);
  }
  out += "],\"segment\":";
  out += r.segment ? json(*r.segment).dump(-1, ' ', false, json::error_handler_t::replace) : "null";
  out += ",\"to\":\"";
  out += Iso(r.to);
  out += "\"}";
  return out;
}

std::string ToJson(const std::vector<store::CategoryCount>& categories) {
  json list = json::array();
  for (const auto& c : categories) list.push_back(json{{"category", c.category}, {"orders", c.orders}});
  return json{{"categories", list}}.dump();
}

std::string ToJson(const store::Funnel& f, Instant from, Instant to) {
  return json{{"from", Iso(from)},
              {"to", Iso(to)},
              {"orders", f.orders},
              {"surveys_scheduled", f.surveys_scheduled},
              {"surveys_sent", f.surveys_sent},
              {"responses", f.responses},
              {"promoters", f.promoters},
              {"activated", f.activated},
              {"share_visits", f.share_visits},
              {"referred_orders", f.referred_orders},
              {"referred_revenue_minor", f.referred_revenue_minor},
              {"rewards", f.rewards},
              {"reward_cost_minor", f.reward_cost_minor}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const std::vector<store::PromoterRow>& rows, const std::string& currency) {
  json arr = json::array();
  for (const auto& p : rows) {
    arr.push_back(json{{"customer_id", p.external_id},
                       {"email", p.email},
                       {"first_name", p.first_name},
                       {"last_name", p.last_name},
                       {"code", p.code},
                       {"share_visits", p.visits},
                       {"referrals", p.referrals},
                       {"revenue", internal::MoneyJson<json>(p.revenue_minor, currency)},
                       {"reward_cost", internal::MoneyJson<json>(p.reward_cost_minor, currency)}});
  }
  return json{{"promoters", arr}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const std::vector<store::ResponseRow>& rows) {
  json arr = json::array();
  for (const auto& r : rows) {
    arr.push_back(json{{"survey_id", r.survey_id},
                       {"order_id", r.order_external_id},
                       {"customer_id", r.customer_external_id},
                       {"email", r.email},
                       {"first_name", r.first_name},
                       {"last_name", r.last_name},
                       {"score", r.score},
                       {"category", core::CategoryName(core::Classify(core::Score{r.score}))},
                       {"comment", r.comment},
                       {"state", store::AnswerStateName(r.state)},
                       {"segment", r.segment},
                       {"answered_at", Iso(r.answered_at)},
                       {"followup", r.score <= 6 ? internal::FollowupJson<json>(
                                                       app::FollowupOrOpen(r.followup, 0, r.survey_id))
                                                 : json(nullptr)}});
  }
  json j{{"responses", arr}};
  j["next_after"] = rows.empty() ? json(nullptr) : json(rows.back().survey_id);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const store::PromoterPage& p, const std::string& currency) {
  const auto& c = p.customer;
  std::string name = c.first_name;
  if (!c.last_name.empty()) name += name.empty() ? c.last_name : " " + c.last_name;
  json codes = json::array();
  for (const auto& k : p.codes) {
    codes.push_back(json{{"code", k.code},
                         {"created_at", Iso(k.created_at)},
                         {"expires_at", k.expires_at ? json(Iso(*k.expires_at)) : json(nullptr)},
                         {"max_uses", k.max_uses},
                         {"uses", k.uses},
                         {"share_visits", k.visits}});
  }
  json answers = json::array();
  for (const auto& a : p.answers) {
    answers.push_back(json{{"survey_id", a.survey_id},
                           {"order_id", a.order_external_id},
                           {"score", a.score},
                           {"category", core::CategoryName(core::Classify(core::Score{a.score}))},
                           {"comment", a.comment},
                           {"state", store::AnswerStateName(a.state)},
                           {"answered_at", Iso(a.answered_at)}});
  }
  json referrals = json::array();
  for (const auto& r : p.referrals) {
    referrals.push_back(json{{"id", r.id},
                             {"order_id", r.order_external_id},
                             {"code", r.code},
                             {"status", r.status},
                             {"revenue", internal::MoneyJson<json>(r.revenue_minor, r.currency)},
                             {"created_at", Iso(r.created_at)}});
  }
  json rewards = json::array();
  for (const auto& w : p.rewards) {
    rewards.push_back(json{{"id", w.id},
                           {"referral_id", w.referral_id},
                           {"code", w.code},
                           {"amount", internal::MoneyJson<json>(w.amount_minor, w.currency)},
                           {"created_at", Iso(w.created_at)}});
  }
  return json{{"customer",
               {{"id", c.external_id},
                {"name", name},
                {"first_name", c.first_name},
                {"last_name", c.last_name},
                {"email", c.email}}},
              {"currency", currency},
              {"codes", codes},
              {"answers", answers},
              {"referrals", referrals},
              {"rewards", rewards}}
      .dump();
}

}  // namespace vouch::api
