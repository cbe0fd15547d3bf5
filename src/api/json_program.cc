#include "api/json_program.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

double Round4(double v) { return std::round(v * 10000) / 10000; }

json Money(int64_t minor, const std::string& currency) { return internal::MoneyJson<json>(minor, currency); }

json GenerationJson(const app::GenerationFigures& f, const std::string& currency) {
  json j{{"promoters", f.viral.units},
         {"referred_customers", f.viral.events},
         {"viral_coefficient", Round4(f.viral.rate)},
         {"ci", json{{"low", Round4(f.viral.low)}, {"high", Round4(f.viral.high)}}},
         {"dispersion", Round4(f.viral.dispersion)},
         {"revenue", Money(f.revenue_minor, currency)},
         {"rewards_released", Money(f.reward_released_minor, currency)},
         {"net_revenue", Money(f.net_revenue_minor, currency)}};
  if (f.generation >= 0) j["generation"] = f.generation;
  return j;
}

}  // namespace

std::string ToJson(const app::ReferralTree& t) {
  json generations = json::array();
  for (const auto& g : t.generations) {
    json customers = json::array();
    for (const auto& n : g.customers) {
      customers.push_back(json{{"customer_id", n.customer_id},
                               {"referred_by", n.referred_by},
                               {"referred_at", Iso(n.referred_at)},
                               {"revenue", Money(n.revenue_minor, t.currency)},
                               {"reward_released", Money(n.reward_released_minor, t.currency)},
                               {"promoter", n.promoter},
                               {"referred", n.referred}});
    }
    generations.push_back(json{{"generation", g.generation},
                               {"customers", customers},
                               {"revenue", Money(g.revenue_minor, t.currency)},
                               {"rewards_released", Money(g.reward_released_minor, t.currency)}});
  }
  return json{{"promoter", t.promoter},
              {"currency", t.currency},
              {"audience", internal::AudienceRefJson<json>(t.audience)},
              {"customers", t.customers},
              {"truncated", t.truncated},
              {"generations", generations}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const app::ProgramReport& r) {
  json generations = json::array();
  for (const auto& g : r.generations) generations.push_back(GenerationJson(g, r.currency));
  return json{{"from", Iso(r.from)},
              {"to", Iso(r.to)},
              {"currency", r.currency},
              {"audience", internal::AudienceRefJson<json>(r.audience)},
              {"generations", generations},
              {"all", GenerationJson(r.all, r.currency)},
              {"confidence", 0.95},
              {"method",
               "promoters activated in range by generation; viral coefficient = referred new customers "
               "per promoter, Poisson score interval widened by the quasi-Poisson dispersion "
               "(docs/STATISTICS.md)"}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
