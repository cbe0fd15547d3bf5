#include "api/json_campaigns.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

double Round(double v, double scale) { return std::round(v * scale) / scale; }

json CampaignJson(const store::Campaign& c) {
  return json{{"id", c.id},       {"name", c.name},
              {"kind", c.kind},   {"cost", internal::MoneyJson<json>(c.cost_minor, c.currency)},
              {"codes", c.codes}, {"created_at", Iso(c.created_at)}};
}

json BoundsJson(const core::Bounds& b, double scale) {
  return json{{"low", Round(b.low, scale)}, {"high", Round(b.high, scale)}};
}

json ChannelJson(const app::ChannelFigures& f, const std::string& currency) {
  json j{
      {"channel", f.channel},
      {"cost", internal::MoneyJson<json>(f.cost_minor, currency)},
      {"new_customers", f.new_customers},
      {"cost_per_new_customer_minor",
       f.cost_per_new_customer ? json(Round(*f.cost_per_new_customer, 1)) : json(nullptr)},
      {"revenue", internal::MoneyJson<json>(f.revenue_minor, currency)},
      {"revenue_per_new_customer_minor", json{{"mean", Round(f.revenue_per_new_customer.mean, 1)},
                                              {"ci", BoundsJson(f.revenue_per_new_customer.ci, 1)}}},
      {"nps", json{{"n", f.nps.n},
                   {"nps", Round(f.nps.nps, 10)},
                   {"ci_low", Round(f.nps.ci_low, 10)},
                   {"ci_high", Round(f.nps.ci_high, 10)}}},
      {"repeat_customers", f.repeat_customers},
      {"repeat_rate", json{{"rate", f.new_customers > 0 ? json(Round(static_cast<double>(f.repeat_customers) /
                                                                         static_cast<double>(f.new_customers),
                                                                     10000))
                                                        : json(nullptr)},
                           {"ci", BoundsJson(f.repeat_rate, 10000)}}}};
  if (f.campaign) {
    j["campaign"] = CampaignJson(*f.campaign);
    if (f.vs_program) {
      j["vs_program"] = json{{"program_minor", Round(f.vs_program->program, 1)},
                             {"campaign_minor", Round(f.vs_program->campaign, 1)},
                             {"difference_minor", Round(f.vs_program->difference, 1)},
                             {"ci", BoundsJson(f.vs_program->ci, 1)},
                             {"resamples", f.vs_program->resamples}};
    } else {
      j["vs_program"] = nullptr;
    }
  }
  return j;
}

}  // namespace

Result<app::CampaignInput> ParseCampaign(std::string_view body) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::CampaignInput in;
  for (const auto& [k, v] : j.items()) {
    if (k == "name" || k == "kind") {
      if (!v.is_string()) return InvalidArgument(k, "must be a string");
      (k == "name" ? in.name : in.kind) = v.get<std::string>();
    } else if (k == "cost") {
      if (v.is_string()) {
        in.cost = v.get<std::string>();
      } else {
        return InvalidArgument(k, "must be a decimal string in the shop's currency, e.g. \"1500.00\"");
      }
    } else if (k == "codes") {
      if (!v.is_array()) return InvalidArgument(k, "must be an array of discount codes");
      for (const auto& c : v) {
        if (!c.is_string()) return InvalidArgument(k, "must be an array of discount codes");
        in.codes.push_back(c.get<std::string>());
      }
    } else {
      return InvalidArgument(k, "is not a field of a campaign (name, kind, cost, codes)");
    }
  }
  if (in.name.empty()) return InvalidArgument("name", "is required");
  if (in.kind.empty()) return InvalidArgument("kind", "is required");
  if (in.cost.empty()) return InvalidArgument("cost", "is required");
  return in;
}

std::string ToJson(const store::Campaign& c) {
  return CampaignJson(c).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const std::vector<store::Campaign>& list) {
  json arr = json::array();
  for (const auto& c : list) arr.push_back(CampaignJson(c));
  return json{{"campaigns", arr}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const app::ChannelComparison& c) {
  json channels = json::array();
  for (const auto& f : c.channels) channels.push_back(ChannelJson(f, c.currency));
  return json{{"from", Iso(c.from)},
              {"to", Iso(c.to)},
              {"currency", c.currency},
              {"audience", internal::AudienceRefJson<json>(c.audience)},
              {"channels", channels},
              {"confidence", 0.95},
              {"method",
               "new customers: first order in range; NPS adjusted-wald (Rocks 2016); rates Wilson; "
               "means normal; cost per new customer difference: percentile bootstrap, campaign "
               "counts Poisson (docs/STATISTICS.md)"}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
