#include "delivery/templates.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <kainjow/mustache.hpp>

namespace vouch::delivery {
namespace {

namespace mustache = kainjow::mustache;

constexpr std::string_view kDefaultLanguage = "en";
// Survey button colours by NPS band, dark enough for white digits.
constexpr int kLastDetractorScore = 6;
constexpr int kLastPassiveScore = 8;
constexpr const char* kDetractorColor = "#dc2626";
constexpr const char* kPassiveColor = "#b45309";
constexpr const char* kPromoterColor = "#15803d";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// An empty string renders as nothing and is falsy in sections (kainjow treats "" as truthy).
mustache::data ToData(const std::string& s) {
  return s.empty() ? mustache::data(false) : mustache::data(s);
}

mustache::data ToData(const TemplateContext::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return ToData(*s);
  if (const auto* b = std::get_if<bool>(&value)) return mustache::data(*b);
  mustache::data list(mustache::data::type::list);
  for (const auto& record : std::get<std::vector<TemplateContext::Record>>(value)) {
    mustache::data item;
    for (const auto& [key, field] : record) item.set(key, ToData(field));
    list.push_back(item);
  }
  return list;
}

// "de_at" -> "de-AT"; the first subtag lower case, two-letter region subtags upper case.
std::string NormalizeLocale(std::string_view locale) {
  std::string out;
  size_t subtag = 0;
  size_t subtag_start = 0;
  for (char c : locale) {
    if (c == '_' || c == '-') {
      out += '-';
      ++subtag;
      subtag_start = out.size();
      continue;
    }
    out += static_cast<char>(subtag == 0 ? std::tolower(static_cast<unsigned char>(c)) : c);
  }
  if (subtag > 0 && out.size() - subtag_start == 2) {
    for (size_t i = subtag_start; i < out.size(); ++i) {
      out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
    }
  }
  return out;
}

struct Found {
  std::string key;
  const std::string* body;
};

std::optional<Found> Lookup(std::string_view name, std::string_view locale,
                            const std::map<std::string, std::string>& overrides) {
  const std::string full = NormalizeLocale(locale);
  const std::string language = full.substr(0, full.find('-'));
  const std::string suffix = "/" + std::string(name);
  const std::string fallback = std::string(kDefaultLanguage) + suffix;
  std::vector<std::pair<const std::map<std::string, std::string>*, std::string>> candidates;
  for (const auto* source : {&overrides, &BuiltinTemplates()}) {
    for (const std::string& l : {full, language}) {
      if (!l.empty()) candidates.emplace_back(source, l + suffix);
    }
  }
  candidates.emplace_back(&overrides, fallback);
  candidates.emplace_back(&BuiltinTemplates(), fallback);
  for (const auto& [source, key] : candidates) {
    if (auto it = source->find(key); it != source->end()) return Found{it->first, &it->second};
  }
  return std::nullopt;
}

// Subjects are one header line: trims the ends and joins lines with single spaces.
std::string OneLine(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == '\r' || c == '\n') {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && out.back() != ' ') out += ' ';
    pending_space = false;
    out += c;
  }
  const auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<std::string> BuiltinTemplateNames() {
  std::set<std::string> names;
  const std::string prefix = std::string(kDefaultLanguage) + "/";
  for (const auto& [key, body] : BuiltinTemplates()) {
    if (key.starts_with(prefix)) names.insert(key.substr(prefix.size()));
  }
  return {names.begin(), names.end()};
}

void TemplateContext::Set(std::string key, std::string value) {
  values_.insert_or_assign(std::move(key), std::move(value));
}

void TemplateContext::SetBool(std::string key, bool value) {
  values_.insert_or_assign(std::move(key), value);
}

void TemplateContext::AddItem(std::string list, Record item) {
  auto [it, inserted] = values_.try_emplace(std::move(list), std::vector<Record>{});
  if (!std::holds_alternative<std::vector<Record>>(it->second)) {
    it->second = std::vector<Record>{};
  }
  std::get<std::vector<Record>>(it->second).push_back(std::move(item));
}

void TemplateContext::SetEmptyList(std::string list) {
  values_.insert_or_assign(std::move(list), std::vector<Record>{});
}

void AddSurveyButton(TemplateContext& ctx, int score, std::string url) {
  const char* color = score <= kLastDetractorScore ? kDetractorColor
                      : score <= kLastPassiveScore ? kPassiveColor
                                                   : kPromoterColor;
  ctx.AddItem("buttons", {{"score", std::to_string(score)}, {"url", std::move(url)}, {"color", color}});
}

Result<std::string> RenderTemplate(std::string_view name, std::string_view locale,
                                   const TemplateContext& ctx,
                                   const std::map<std::string, std::string>& overrides) {
  const std::optional<Found> found = Lookup(name, locale, overrides);
  if (!found) return NotFound("no mail template named \"" + std::string(name) + "\"");

  mustache::mustache tmpl(*found->body);
  if (!tmpl.is_valid()) return InvalidArgument(found->key, tmpl.error_message());
  if (!EndsWith(name, ".html")) {
    tmpl.set_custom_escape([](const std::string& s) { return s; });
  }
  mustache::data data;
  for (const auto& [key, value] : ctx.values()) data.set(key, ToData(value));
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return InvalidArgument(found->key, tmpl.error_message());
  if (EndsWith(name, ".subject")) return OneLine(out);
  return out;
}

Status ValidateTemplate(std::string_view body) {
  mustache::mustache tmpl{std::string(body)};
  if (!tmpl.is_valid()) return InvalidArgument("template", tmpl.error_message());
  return OkStatus();
}

}  // namespace vouch::delivery
