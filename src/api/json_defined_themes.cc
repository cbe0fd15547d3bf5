#include "api/json_defined_themes.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

double Round(double v, double scale) { return std::round(v * scale) / scale; }

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json ThemeJson(const store::DefinedTheme& t) {
  return json{{"id", t.id},
              {"name", t.name},
              {"keywords", t.keywords},
              {"created_at", Iso(t.created_at)},
              {"updated_at", Iso(t.updated_at)}};
}

json ShareJson(const app::ThemeShare& s) {
  return json{
      {"tagged", s.tagged},
      {"comments", s.comments},
      {"share", s.comments > 0
                    ? json(Round(static_cast<double>(s.tagged) / static_cast<double>(s.comments), 10000))
                    : json(nullptr)},
      {"ci_low", Round(s.ci.low, 10000)},
      {"ci_high", Round(s.ci.high, 10000)}};
}

}  // namespace

Result<app::DefinedThemeInput> ParseDefinedTheme(std::string_view body) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::DefinedThemeInput in;
  bool has_keywords = false;
  for (const auto& [k, v] : j.items()) {
    if (k == "name") {
      if (!v.is_string()) return InvalidArgument(k, "must be a string");
      in.name = v.get<std::string>();
    } else if (k == "keywords") {
      if (!v.is_array()) return InvalidArgument(k, "must be an array of words or two-word phrases");
      for (const auto& w : v) {
        if (!w.is_string()) return InvalidArgument(k, "must be an array of words or two-word phrases");
        in.keywords.push_back(w.get<std::string>());
      }
      has_keywords = true;
    } else {
      return InvalidArgument(k, "is not a field of a theme (name, keywords)");
    }
  }
  if (in.name.empty()) return InvalidArgument("name", "is required");
  if (!has_keywords) return InvalidArgument("keywords", "is required");
  return in;
}

std::string ToJson(const store::DefinedTheme& t) { return Dump(ThemeJson(t)); }

std::string ToJson(const std::vector<store::DefinedTheme>& list) {
  json arr = json::array();
  for (const auto& t : list) arr.push_back(ThemeJson(t));
  return Dump(json{{"themes", arr}});
}

std::string ToJson(const app::DefinedThemeReport& r) {
  json themes = json::array();
  for (const auto& f : r.themes) {
    json examples = json::array();
    for (const auto& e : f.examples) {
      examples.push_back(json{{"survey_id", e.survey_id},
                              {"score", e.score},
                              {"comment", e.comment},
                              {"answered_at", Iso(e.answered_at)}});
    }
    themes.push_back(json{{"id", f.theme.id},
                          {"name", f.theme.name},
                          {"keywords", f.theme.keywords},
                          {"tagged", f.tagged},
                          {"share", ShareJson(f.all)},
                          {"promoters", ShareJson(f.promoters)},
                          {"passives", ShareJson(f.passives)},
                          {"detractors", ShareJson(f.detractors)},
                          {"nps", json{{"n", f.nps.n},
                                       {"nps", Round(f.nps.nps, 10)},
                                       {"ci_low", Round(f.nps.ci_low, 10)},
                                       {"ci_high", Round(f.nps.ci_high, 10)}}},
                          {"examples", examples}});
  }
  return Dump(json{{"from", Iso(r.from)},
                   {"to", Iso(r.to)},
                   {"category", r.category ? json(*r.category) : json(nullptr)},
                   {"audience", internal::AudienceRefJson<json>(r.audience)},
                   {"comments", r.comments},
                   {"capped", r.capped},
                   {"themes", themes},
                   {"confidence", 0.95},
                   {"method",
                    "a comment carries a theme when one of its stemmed words or two-word phrases equals "
                    "a keyword's (tagged when read); shares: Wilson score interval; NPS of the tagged "
                    "answers: adjusted Wald (Rocks 2016) (docs/STATISTICS.md)"}});
}

std::string ToJson(const app::ThemeTimeline& t) {
  json themes = json::array();
  for (const auto& d : t.themes) themes.push_back(json{{"id", d.id}, {"name", d.name}});
  json buckets = json::array();
  auto figures = [](const app::ThemeBucketFigures& f) {
    json j = ShareJson(f.share);
    if (f.vs_previous) {
      j["vs_previous"] = json{{"difference", Round(f.vs_previous->difference, 10000)},
                              {"z", Round(f.vs_previous->z, 1000)},
                              {"p_value", Round(f.vs_previous->p_value, 1000000)},
                              {"significant", f.vs_previous->significant}};
    } else {
      j["vs_previous"] = nullptr;
    }
    return j;
  };
  for (const auto& b : t.buckets) {
    json per = json::array();
    for (size_t i = 0; i < b.themes.size() && i < t.themes.size(); ++i) {
      json j = figures(b.themes[i]);
      j["id"] = t.themes[i].id;
      per.push_back(std::move(j));
    }
    json bucket{{"start", Iso(b.start)}, {"end", Iso(b.end)}, {"comments", b.comments}, {"themes", per}};
    if (t.discovered) {
      json terms = json::array();
      for (size_t i = 0; i < b.terms.size() && i < t.terms.size(); ++i) {
        json j = figures(b.terms[i]);
        j["term"] = t.terms[i].term;
        terms.push_back(std::move(j));
      }
      bucket["terms"] = std::move(terms);
    }
    buckets.push_back(std::move(bucket));
  }
  json out{{"from", Iso(t.from)},
           {"to", Iso(t.to)},
           {"interval", app::IntervalName(t.interval)},
           {"category", t.category ? json(*t.category) : json(nullptr)},
           {"audience", internal::AudienceRefJson<json>(t.audience)},
           {"capped", t.capped},
           {"themes", themes},
           {"buckets", buckets},
           {"confidence", 0.95},
           {"method",
            "share of the bucket's comments tagged, Wilson score interval; vs_previous: pooled "
            "two-proportion z-test against the previous bucket with comments, two-sided, "
            "significant at p < 0.05 (the /api/v1/nps marks' rule applied to a share) "
            "(docs/STATISTICS.md)"}};
  if (t.discovered) {  // terms=discovered: the discovered terms followed as series
    json terms = json::array();
    for (const auto& d : t.terms) {
      terms.push_back(
          json{{"term", d.term}, {"display", d.display}, {"phrase", d.phrase}, {"leans", d.leans}});
    }
    out["terms"] = std::move(terms);
  }
  return Dump(out);
}

}  // namespace vouch::api
