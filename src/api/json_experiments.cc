#include "api/json_experiments.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

constexpr const char* kMethod =
    "mixture sequential probability ratio test (Johari et al. 2017), normal mixture with tau = "
    "minimum_effect, looked at every UTC day; each challenger against variant 0, alpha 0.05 split "
    "among the challengers (Bonferroni)";

json Number(double v, double scale) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * scale) / scale;
}

json AudienceRef(const std::optional<store::Audience>& a) { return internal::AudienceRefJson<json>(a); }

json VariantJson(const store::ExperimentVariant& v) {
  return json{{"variant", v.variant},
              {"name", v.name},
              {"discount_kind", v.discount_kind},
              {"discount_value", v.discount_value},
              {"reward_minor", v.reward_minor},
              {"share_text", v.share_text}};
}

json ExperimentJson(const store::Experiment& e) {
  json variants = json::array();
  for (const auto& v : e.variants) variants.push_back(VariantJson(v));
  return json{{"id", e.id},
              {"name", e.name},
              {"metric", e.metric},
              {"minimum_effect", static_cast<double>(e.minimum_effect_milli) / 1000.0},
              {"window_days", e.window_days},
              {"status", e.status},
              {"created_at", Iso(e.created_at)},
              {"stopped_at", e.stopped_at ? json(Iso(*e.stopped_at)) : json(nullptr)},
              {"adopted_variant", e.adopted_variant ? json(*e.adopted_variant) : json(nullptr)},
              {"variants", variants}};
}

Result<app::VariantInput> ParseVariant(const json& j, size_t i) {
  const std::string at = "variants[" + std::to_string(i) + "]";
  if (!j.is_object()) return InvalidArgument(at, "must be an object");
  app::VariantInput v;
  for (const auto& [k, val] : j.items()) {
    const std::string field = at + "." + k;
    if (k == "name" || k == "discount_kind" || k == "share_text") {
      if (!val.is_string()) return InvalidArgument(field, "must be a string");
      (k == "name" ? v.name : k == "discount_kind" ? v.discount_kind : v.share_text) = val.get<std::string>();
    } else if (k == "discount_value" || k == "reward_minor") {
      if (!val.is_number_integer()) return InvalidArgument(field, "must be an integer");
      (k == "discount_value" ? v.discount_value : v.reward_minor) = val.get<int64_t>();
    } else {
      return InvalidArgument(field, "is not a known field");
    }
  }
  return v;
}

}  // namespace

Result<app::ExperimentInput> ParseExperiment(std::string_view body) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::ExperimentInput in;
  for (const auto& [k, v] : j.items()) {
    if (k == "name" || k == "metric") {
      if (!v.is_string()) return InvalidArgument(k, "must be a string");
      (k == "name" ? in.name : in.metric) = v.get<std::string>();
    } else if (k == "minimum_effect") {
      if (!v.is_number()) return InvalidArgument(k, "must be a number");
      in.minimum_effect = v.get<double>();
    } else if (k == "window_days") {
      if (!v.is_number_integer()) return InvalidArgument(k, "must be an integer");
      in.window_days = v.get<int64_t>();
    } else if (k == "variants") {
      if (!v.is_array()) return InvalidArgument(k, "must be an array");
      if (v.size() > static_cast<size_t>(app::kMaxVariants))
        return InvalidArgument(k, "must hold 2-4 variants");
      for (size_t i = 0; i < v.size(); ++i) {
        auto variant = ParseVariant(v[i], i);
        if (!variant) return variant.error();
        in.variants.push_back(std::move(*variant));
      }
    } else {
      return InvalidArgument(k, "is not a known field");
    }
  }
  return in;
}

Result<std::optional<int>> ParseAdopt(std::string_view body) {
  if (body.empty()) return std::optional<int>{};
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  std::optional<int> variant;
  for (const auto& [k, v] : j.items()) {
    if (k != "variant") return InvalidArgument(k, "is not a known field");
    if (v.is_null()) continue;
    if (!v.is_number_integer()) return InvalidArgument(k, "must be an integer");
    const int64_t n = v.get<int64_t>();
    if (n < 0 || n >= app::kMaxVariants) return InvalidArgument(k, "no such variant");
    variant = static_cast<int>(n);
  }
  return variant;
}

std::string ToJson(const store::Experiment& e) { return ExperimentJson(e).dump(); }

std::string ToJson(const std::vector<store::Experiment>& list) {
  json items = json::array();
  for (const auto& e : list) items.push_back(ExperimentJson(e));
  return json{{"experiments", items}}.dump();
}

std::string ToJson(const app::ExperimentResults& r) {
  json j = ExperimentJson(r.experiment);
  json variants = json::array();
  for (const auto& v : r.variants) {
    variants.push_back(json{{"variant", v.variant.variant},
                            {"name", v.variant.name},
                            {"promoters", v.assigned},
                            {"complete", v.complete},
                            {"mean", Number(v.mean, 10000)}});
  }
  json comparisons = json::array();
  for (const auto& c : r.test.comparisons) {
    comparisons.push_back(json{{"variant", c.variant},
                               {"difference", Number(c.difference, 10000)},
                               {"ci_low", Number(c.ci_low, 10000)},
                               {"ci_high", Number(c.ci_high, 10000)},
                               {"p_value", Number(c.p_value, 1000000)}});
  }
  j["results"] = json{{"decision", core::ExperimentDecisionName(r.test.decision)},
                      {"winner", r.test.winner >= 0 ? json(r.test.winner) : json(nullptr)},
                      {"decided_at", r.decided_at ? json(Iso(*r.decided_at)) : json(nullptr)},
                      {"evaluated_until", Iso(r.evaluated_until)},
                      {"looks", r.test.looks},
                      {"unit", r.unit},
                      {"currency", r.currency},
                      {"alpha", app::kExperimentAlpha},
                      {"min_promoters_per_variant", app::kMinPromotersPerArm},
                      {"variants", variants},
                      {"comparisons", comparisons},
                      {"audience", AudienceRef(r.audience)},
                      {"method", kMethod}};
  return j.dump();
}

namespace {

constexpr const char* kHoldoutMethod =
    "promoters drawn in range, activated against held out; own orders after the answer (not "
    "cancelled, refunds deducted), up to now. Shares: Wilson intervals, difference Newcombe's hybrid "
    "score interval (Newcombe 1998) and pooled two-proportion z-test; revenue per promoter: normal "
    "intervals, difference Welch standard error with normal approximation; two-sided, alpha 0.05 "
    "(docs/STATISTICS.md)";

json HoldoutBounds(const core::Bounds& b, double scale) {
  return json{{"low", Number(b.low, scale)}, {"high", Number(b.high, scale)}};
}

json HoldoutGroupJson(const app::HoldoutGroup& g, const std::string& currency) {
  return json{
      {"promoters", g.promoters},
      {"repeat_buyers", g.repeat_buyers},
      {"repeat_share", json{{"share", g.promoters > 0 ? Number(g.repeat_share, 10000) : json(nullptr)},
                            {"ci", HoldoutBounds(g.repeat_ci, 10000)}}},
      {"orders", g.orders},
      {"revenue", internal::MoneyJson<json>(g.revenue_minor, currency)},
      {"revenue_per_promoter_minor",
       json{{"mean", g.promoters > 0 ? Number(g.revenue_per_promoter.mean, 10) : json(nullptr)},
            {"ci", HoldoutBounds(g.revenue_per_promoter.ci, 10)}}}};
}

}  // namespace

std::string ToJson(const app::HoldoutReport& r) {
  const auto& s = r.repeat_difference;
  const auto& m = r.revenue_difference;
  return json{{"from", Iso(r.from)},
              {"to", Iso(r.to)},
              {"holdout_percent", r.holdout_percent},
              {"currency", r.currency},
              {"audience", AudienceRef(r.audience)},
              {"activated", HoldoutGroupJson(r.activated, r.currency)},
              {"held_out", HoldoutGroupJson(r.held_out, r.currency)},
              {"repeat_difference", json{{"difference", Number(s.difference, 10000)},
                                         {"ci", HoldoutBounds(s.ci, 10000)},
                                         {"z", Number(s.z, 1000)},
                                         {"p_value", Number(s.p_value, 10000)},
                                         {"significant", s.significant}}},
              {"revenue_difference_minor", json{{"difference", Number(m.difference, 10)},
                                                {"ci", m.defined ? HoldoutBounds(m.ci, 10) : json(nullptr)},
                                                {"z", Number(m.z, 1000)},
                                                {"p_value", Number(m.p_value, 10000)},
                                                {"significant", m.significant}}},
              {"confidence", 0.95},
              {"method", kHoldoutMethod}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
