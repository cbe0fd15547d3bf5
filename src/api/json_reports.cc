#include "api/json_reports.h"

#include <algorithm>
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

// `part` of `whole` in percent, rounded to one decimal; 0 when `whole` is 0.
double Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return 0.0;
  return static_cast<double>(std::llround(1000.0 * static_cast<double>(part) / static_cast<double>(whole))) /
         10.0;
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

// 0…1 rounded to four decimals ("0.0832"; below 0.00005 "0.0000"), by integer arithmetic.
void AppendProbability(std::string& out, double p) {
  const auto tenthousandths = std::clamp<int64_t>(std::llround(p * 10000.0), 0, 10000);
  out += tenthousandths == 10000 ? "1." : "0.";
  const std::string digits = std::to_string(tenthousandths % 10000);
  out.append(4 - digits.size(), '0');
  out += digits;
}

constexpr const char* kSignificanceTest = "adjusted-wald difference, two-sided z-test, alpha 0.05";

void AppendDifference(std::string& out, const core::NpsDifference& d) {
  out += "{\"ci_high\":";
  AppendOneDecimal(out, d.ci_high);
  out += ",\"ci_low\":";
  AppendOneDecimal(out, d.ci_low);
  out += ",\"difference\":";
  AppendOneDecimal(out, d.difference);
  out += ",\"p_value\":";
  AppendProbability(out, d.p_value);
  out += ",\"significant\":";
  out += d.significant ? "true" : "false";
  out += '}';
}

void AppendOptionalDifference(std::string& out, const std::optional<core::NpsDifference>& d) {
  if (d) {
    AppendDifference(out, *d);
  } else {
    out += "null";
  }
}

// The significance members of an NPS report (after "segment"): ",\"segments\":[…],
// \"significance_test\":\"…\"".
void AppendSignificance(std::string& out, const app::NpsReport& r) {
  out += ",\"segments\":[";
  for (size_t i = 0; i < r.segments.size(); ++i) {
    const auto& seg = r.segments[i];
    out += i == 0 ? "{" : ",{";
    AppendNps(out, seg.vs_rest.b);
    out += ",\"segment\":";
    out += json(seg.segment).dump(-1, ' ', false, json::error_handler_t::replace);
    out += ",\"vs_rest\":";
    AppendDifference(out, seg.vs_rest);
    out += '}';
  }
  out += "],\"significance_test\":\"";
  out += kSignificanceTest;
  out += '"';
}

}  // namespace

std::string ToJson(const app::NpsReport& r) {
  std::string out;
  out.reserve(256 + r.buckets.size() * 200);
  out += '{';
  if (r.audience) {  // the cut: {"id","name"} (only with one, so the plain report stays as it was)
    out += "\"audience\":";
    out += json{{"id", r.audience->id}, {"name", r.audience->name}}.dump(-1, ' ', false,
                                                                         json::error_handler_t::replace);
    out += ',';
  }
  out += "\"buckets\":[";
  for (size_t i = 0; i < r.buckets.size(); ++i) {
    const auto& b = r.buckets[i];
    out += i == 0 ? "{" : ",{";
    AppendNps(out, b.estimate);
    if (r.significance) {
      out += ",\"vs_previous\":";
      AppendOptionalDifference(out, b.vs_previous);
    }
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
  if (r.significance) {
    AppendSignificance(out, r);
  }
  out += ",\"to\":\"";
  out += Iso(r.to);
  if (r.significance) {
    out += "\",\"vs_rest\":";
    AppendOptionalDifference(out, r.vs_rest);
    out += '}';
  } else {
    out += "\"}";
  }
  return out;
}

std::string ToJson(const app::NpsComparison& c) {
  auto side = [](const app::NpsSide& s, const core::NpsEstimate& e) {
    std::optional<store::Audience> cut;
    if (s.audience) cut = s.audience->audience;
    return json{{"from", Iso(s.from)},
                {"to", Iso(s.to)},
                {"segment", s.segment ? json(*s.segment) : json(nullptr)},
                {"audience", internal::AudienceRefJson<json>(cut)},
                {"n", e.n},
                {"promoters", e.promoters},
                {"passives", e.passives},
                {"detractors", e.detractors},
                {"nps", std::round(e.nps * 10.0) / 10.0},
                {"ci_low", std::round(e.ci_low * 10.0) / 10.0},
                {"ci_high", std::round(e.ci_high * 10.0) / 10.0},
                {"margin", std::round(e.margin * 10.0) / 10.0}};
  };
  const auto& d = c.result;
  std::string diff;
  AppendDifference(diff, d);
  json out{{"a", side(c.a, d.a)},
           {"b", side(c.b, d.b)},
           {"difference", json::parse(diff)},
           {"confidence", 0.95},
           {"method", "adjusted-wald (Rocks 2016)"},
           {"significance_test", kSignificanceTest}};
  out["difference"]["z"] = std::round(d.z * 1000.0) / 1000.0;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const std::vector<store::CategoryCount>& categories) {
  json list = json::array();
  for (const auto& c : categories) list.push_back(json{{"category", c.category}, {"orders", c.orders}});
  return json{{"categories", list}}.dump();
}

std::string ToJson(const store::Funnel& f, Instant from, Instant to) {
  return json{
      {"from", Iso(from)},
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
      {"reward_cost_minor", f.reward_cost_minor},
      {"over_budget", f.over_budget},
      {"reminders_sent", f.reminders_sent},
      {"responses_after_reminder", f.responses_after_reminder},
      // Responses per survey sent, in percent with one decimal, with and without the
      // answers that came after a reminder.
      {"response_rate", Percent(f.responses, f.surveys_sent)},
      {"response_rate_without_reminders", Percent(f.responses - f.responses_after_reminder, f.surveys_sent)}}
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

namespace {
// Where a reward's voucher stands, in words for the promoter's page.
std::string VoucherState(const store::Reward& w) {
  const std::string used = w.voucher_used_order.empty() ? "" : "used in order " + w.voucher_used_order;
  if (w.voucher_voided_at) return used.empty() ? "voided" : "voided, then " + used;
  if (!used.empty()) return used;
  if (w.status == store::RewardStatus::kHeld || (w.status == store::RewardStatus::kVoided && !w.released_at))
    return "not issued";
  return "unused";
}

json CodeJson(const store::ReferralCode& k) {
  return json{{"code", k.code},
              {"created_at", Iso(k.created_at)},
              {"expires_at", k.expires_at ? json(Iso(*k.expires_at)) : json(nullptr)},
              {"max_uses", k.max_uses},
              {"uses", k.uses},
              {"share_visits", k.visits},
              {"paused_at", k.paused_at ? json(Iso(*k.paused_at)) : json(nullptr)},
              {"resumed_at", k.resumed_at ? json(Iso(*k.resumed_at)) : json(nullptr)}};
}
}  // namespace

std::string CodeToJson(const store::ReferralCode& k) {
  return json{{"code", CodeJson(k)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const store::PromoterPage& p, const std::string& currency) {
  const auto& c = p.customer;
  std::string name = c.first_name;
  if (!c.last_name.empty()) name += name.empty() ? c.last_name : " " + c.last_name;
  json codes = json::array();
  for (const auto& k : p.codes) codes.push_back(CodeJson(k));
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
                           {"created_at", Iso(w.created_at)},
                           {"status", store::RewardStatusName(w.status)},
                           {"voucher", VoucherState(w)}});
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
