#include "api/json_themes.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

double Round(double v, double scale) { return std::round(v * scale) / scale; }

json Terms(const std::vector<app::ThemeTerm>& terms) {
  json out = json::array();
  for (const auto& t : terms) {
    json examples = json::array();
    for (const auto& e : t.examples) {
      examples.push_back(json{{"survey_id", e.survey_id},
                              {"score", e.score},
                              {"comment", e.comment},
                              {"answered_at", Iso(e.answered_at)}});
    }
    out.push_back(json{{"term", t.score.display},
                       {"stems", t.score.term},
                       {"phrase", t.score.phrase},
                       {"detractors", t.score.detractors},
                       {"promoters", t.score.promoters},
                       {"g2", Round(t.score.g2, 10000)},
                       {"p_value", Round(t.score.p_value, 1000000)},
                       {"examples", examples}});
  }
  return out;
}

}  // namespace

std::string ToJson(const app::ThemeReport& r) {
  return json{{"from", Iso(r.from)},
              {"to", Iso(r.to)},
              {"category", r.category ? json(*r.category) : json(nullptr)},
              {"audience", internal::AudienceRefJson<json>(r.audience)},
              {"detractor_comments", r.detractor_comments},
              {"promoter_comments", r.promoter_comments},
              {"capped", r.capped},
              {"detractor_terms", Terms(r.detractor_terms)},
              {"promoter_terms", Terms(r.promoter_terms)},
              {"significance_test",
               "log-likelihood G2 of comments with and without the term, detractors (0-6) against promoters "
               "(9-10), chi-square 1 df, p < 0.05, at least 3 comments (docs/STATISTICS.md)"}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
