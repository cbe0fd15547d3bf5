#include "delivery/templates.h"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "base/utf8.h"
#include "delivery/template_fill.h"
#include "delivery/template_scan.h"

namespace vouch::delivery {
namespace {

namespace mustache = kainjow::mustache;

constexpr std::string_view kDefaultLanguage = "en";
// Survey button colours by NPS band, dark enough for white digits.
// One neutral colour for every answer: a traffic-light scale nudges the answer it asks for.
constexpr const char* kAnswerColor = "#3f3f46";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// An empty string renders as nothing and is falsy in sections (kainjow treats "" as truthy).
mustache::data ToData(const std::string& s) { return s.empty() ? mustache::data(false) : mustache::data(s); }

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

// The tag when `line` holds only a section, inverted-section, end or comment tag (and blanks),
// else empty.
std::string_view StandaloneTag(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  const size_t last = line.find_last_not_of(" \t\r\n");
  if (first == std::string_view::npos || last == std::string_view::npos || last < first) return {};
  const std::string_view tag = line.substr(first, last - first + 1);
  const bool standalone = tag.size() >= 5 && tag.starts_with("{{") && tag.ends_with("}}") &&
                          std::string_view("#^/!").find(tag[2]) != std::string_view::npos &&
                          tag.find("{{", 2) == std::string_view::npos && tag.find("}}") == tag.size() - 2;
  return standalone ? tag : std::string_view{};
}

// Gives kainjow the Mustache spec's line rules, which it gets wrong for false sections (it
// leaves their lines as blank lines, and drops blank lines next to section tags):
//  - a line holding only a section, inverted-section, end or comment tag (and blanks) leaves no
//    trace, so "{{#expires_on}}\nValid until {{expires_on}}.\n{{/expires_on}}\n" adds no empty
//    line when expires_on is empty;
//  - every other line starts with kLineMark, so kainjow never sees a blank line to drop.
// Templates that change delimiters ({{=...=}}) are left as they are.
std::string PrepareTemplate(std::string_view body) {
  if (body.find("{{=") != std::string_view::npos) return std::string(body);
  std::string out;
  out.reserve(body.size() + body.size() / 16);
  bool in_tag = false;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    end = end == std::string_view::npos ? body.size() : end + 1;
    const std::string_view line = body.substr(pos, end - pos);
    pos = end;
    if (const std::string_view tag = in_tag ? "" : StandaloneTag(line); !tag.empty()) {
      out += tag;
      continue;
    }
    if (!in_tag) out += kLineMark;
    out += line;
    for (size_t i = 0; i + 1 < line.size(); ++i) {
      if (line.compare(i, 2, in_tag ? "}}" : "{{") == 0) {
        in_tag = !in_tag;
        ++i;
      }
    }
  }
  return out;
}

// Subjects are one header line: each line trimmed, blank ones dropped, joined by spaces.
std::string OneLine(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    if (!out.empty()) out += ' ';
    out += line.substr(first, line.find_last_not_of(" \t") - first + 1);
  }
  return out;
}

// Skeletons held by this thread, over all templates (RenderTemplateFilled's bound).
size_t& SkeletonCount() {
  thread_local size_t count = 0;
  return count;
}

// A parsed template and the parser's tree of it, for reckoning a render's cost before it runs
// (kainjow keeps its own tree private), and its skeletons by the shape of their context.
struct Compiled {
  explicit Compiled(const std::string& prepared) : tmpl(prepared) {}
  ~Compiled() { SkeletonCount() -= shapes.size(); }
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  mustache::mustache tmpl;
  mustache::component<std::string> tree;
  bool fillable = false;  // FillableBody(the body)
  std::unordered_map<std::string, Skeleton> shapes;
};

// Parsed templates, per thread: parsing took more time than rendering (a thank-you page per
// answer click), and kainjow's render is not const, so threads cannot share one. Keyed by the
// body itself, so an edited shop override is parsed afresh; cleared when it grows past
// kParsedCacheSize bodies (shops' overrides).
constexpr size_t kParsedCacheSize = 256;

// Looked up by the body as a string_view: no copy of the body per render.
struct BodyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using ParsedCache = std::unordered_map<std::string, std::unique_ptr<Compiled>, BodyHash, std::equal_to<>>;

// One cache for HTML templates, one for the others (their escaping differs).
ParsedCache& ParsedTemplates(bool html) {
  thread_local ParsedCache caches[2];
  return caches[html ? 1 : 0];
}

// The shape check comes first: the parser's tree recurses per nesting level.
Result<Compiled*> Parsed(const std::string& body, bool html) {
  ParsedCache& cache = ParsedTemplates(html);
  if (auto it = cache.find(std::string_view(body)); it != cache.end()) return it->second.get();
  VOUCH_TRY(CheckTemplateShape(body, "template"));
  const std::string prepared = PrepareTemplate(body);
  auto compiled = std::make_unique<Compiled>(prepared);
  if (!compiled->tmpl.is_valid()) return InvalidArgument("template", compiled->tmpl.error_message());
  mustache::context<std::string> no_data;
  mustache::context_internal<std::string> state{no_data};
  std::string error;
  mustache::parser<std::string> parse{prepared, state, compiled->tree, error};
  if (!error.empty()) return InvalidArgument("template", error);
  if (!html) compiled->tmpl.set_custom_escape([](const std::string& s) { return s; });
  compiled->fillable = FillableBody(body);
  if (cache.size() >= kParsedCacheSize) cache.clear();
  return cache.emplace(body, std::move(compiled)).first->second.get();
}

void ForgetParsed(const std::string& body, bool html) {
  ParsedCache& cache = ParsedTemplates(html);
  if (auto it = cache.find(std::string_view(body)); it != cache.end()) cache.erase(it);
}

// What a render could produce from a context: how often a section may run (a list's length,
// else once) and how long a value may be (the longest string of that name, in the context or in
// any list's records).
struct Sizes {
  std::map<std::string, double, std::less<>> passes;
  std::map<std::string, double, std::less<>> longest;
  double longest_any = 0;
  double every = -1;  // when >= 0, the length of every value, whatever `longest` says
};

Sizes SizesOf(const TemplateContext& ctx) {
  Sizes sizes;
  const auto note = [&sizes](const std::string& key, const std::string& value) {
    double& longest = sizes.longest[key];
    longest = std::max(longest, static_cast<double>(value.size()));
    sizes.longest_any = std::max(sizes.longest_any, longest);
  };
  for (const auto& [key, value] : ctx.values()) {
    if (const auto* s = std::get_if<std::string>(&value)) note(key, *s);
    if (const auto* list = std::get_if<std::vector<TemplateContext::Record>>(&value)) {
      sizes.passes[key] = static_cast<double>(list->size());
      for (const auto& record : *list) {
        for (const auto& [field, text] : record) note(field, text);
      }
    }
  }
  return sizes;
}

// An upper bound of a render's steps (parts visited) and output bytes. HTML escaping turns one
// byte into at most six ("&quot;"). Recurses per nesting level, which CheckTemplateShape bounds.
struct Cost {
  double steps = 0;
  double bytes = 0;
};

Cost CostOf(const std::vector<mustache::component<std::string>>& parts, const Sizes& sizes, double escape) {
  Cost cost;
  const auto longest = [&sizes](const std::string& name) {
    if (sizes.every >= 0) return sizes.every;
    if (name.find('.') != std::string::npos) return sizes.longest_any;
    auto it = sizes.longest.find(name);
    return it == sizes.longest.end() ? 0.0 : it->second;
  };
  for (const auto& part : parts) {
    cost.steps += 1;
    if (part.is_text()) {
      cost.bytes += static_cast<double>(part.text.size());
      continue;
    }
    switch (part.tag.type) {
      case mustache::tag_type::variable: cost.bytes += longest(part.tag.name) * escape; break;
      case mustache::tag_type::unescaped_variable: cost.bytes += longest(part.tag.name); break;
      case mustache::tag_type::section_begin:
      case mustache::tag_type::section_begin_inverted: {
        const Cost inner = CostOf(part.children, sizes, escape);
        auto it = sizes.passes.find(part.tag.name);
        const double passes = part.tag.type == mustache::tag_type::section_begin && it != sizes.passes.end()
                                  ? std::max(1.0, it->second)
                                  : 1.0;
        cost.steps += passes * inner.steps;
        cost.bytes += passes * inner.bytes;
        break;
      }
      default: break;
    }
  }
  return cost;
}

constexpr double kHtmlEscapeGrowth = 6;

// Renders a parsed template after the cost check; the output without line marks.
Result<std::string> RenderParsed(Compiled& compiled, const Found& found, bool html,
                                 const TemplateContext& ctx) {
  const Cost cost = CostOf(compiled.tree.children, SizesOf(ctx), html ? kHtmlEscapeGrowth : 1);
  if (cost.steps > static_cast<double>(kTemplateMaxSteps) ||
      cost.bytes > static_cast<double>(kTemplateMaxOutput)) {
    return InvalidArgument(found.key, "could take more than " + std::to_string(kTemplateMaxSteps) +
                                          " steps or write more than " + std::to_string(kTemplateMaxOutput) +
                                          " bytes to render");
  }
  mustache::mustache& tmpl = compiled.tmpl;
  mustache::data data;
  for (const auto& [key, value] : ctx.values()) data.set(key, ToData(value));
  // Rendered straight into `out`, line marks dropped on the way (no stream, no second pass).
  std::string out;
  out.reserve(found.body->size() + found.body->size() / 2);
  tmpl.render(data, [&out](const std::string& piece) {
    for (size_t at = 0; at < piece.size();) {
      const size_t mark = piece.find(kLineMark, at);
      const size_t end = mark == std::string::npos ? piece.size() : mark;
      out.append(piece, at, end - at);
      at = end + (mark == std::string::npos ? 0 : 1);
    }
  });
  if (!tmpl.is_valid()) {
    Result<std::string> failed = InvalidArgument(found.key, tmpl.error_message());
    ForgetParsed(*found.body, html);  // its error state would stick
    return failed;
  }
  return out;
}

// RenderTemplateFilled's bound on the skeletons one thread holds (over all templates); past it
// they are all dropped.
constexpr size_t kSkeletonsPerThread = 512;

void ForgetSkeletons() {
  for (bool html : {false, true}) {
    for (auto& [body, compiled] : ParsedTemplates(html)) {
      SkeletonCount() -= compiled->shapes.size();
      compiled->shapes.clear();
    }
  }
}

// Renders `compiled` once with placeholders for a context shaped like `ctx` (of `count` values)
// and cuts the output at them; nullopt when that does not render or does not cut.
std::optional<Skeleton> SkeletonOf(Compiled& compiled, const Found& found, bool html,
                                   const TemplateContext& ctx, size_t count) {
  Sizes sizes = SizesOf(ctx);
  const double escape = html ? kHtmlEscapeGrowth : 1;
  sizes.every = 0;
  const Cost empty = CostOf(compiled.tree.children, sizes, escape);
  sizes.every = 1;
  const Cost one = CostOf(compiled.tree.children, sizes, escape);
  if (empty.steps > static_cast<double>(kTemplateMaxSteps)) return std::nullopt;
  // Placeholders are a few bytes: this render passes the cost check whenever the steps do.
  auto rendered = RenderParsed(compiled, found, html, Placeholders(ctx));
  if (!rendered) return std::nullopt;
  auto sk = CutSkeleton(*rendered, count);
  if (!sk) return std::nullopt;
  sk->steps = empty.steps;
  sk->bytes = empty.bytes;
  sk->per_byte = one.bytes - empty.bytes;
  return sk;
}

// How many ScopedFullRender live on this thread.
int& FullRenderDepth() {
  thread_local int depth = 0;
  return depth;
}

}  // namespace

ScopedFullRender::ScopedFullRender() { ++FullRenderDepth(); }
ScopedFullRender::~ScopedFullRender() { --FullRenderDepth(); }

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
  ctx.AddItem("buttons", {{"score", std::to_string(score)},
                          {"url", std::move(url)},
                          {"color", kAnswerColor},
                          {"low", score == 0 ? "1" : ""},
                          {"high", score == 10 ? "1" : ""}});
}

Result<std::string> RenderTemplate(std::string_view name, std::string_view locale, const TemplateContext& ctx,
                                   const std::map<std::string, std::string>& overrides) {
  const std::optional<Found> found = Lookup(name, locale, overrides);
  if (!found) return NotFound("no mail template named \"" + std::string(name) + "\"");
  const bool html = EndsWith(name, ".html");
  auto parsed = Parsed(*found->body, html);
  if (!parsed) return InvalidArgument(found->key, parsed.error().message);
  auto out = RenderParsed(**parsed, *found, html, ctx);
  if (!out) return out;
  if (EndsWith(name, ".subject")) return OneLine(*out);
  return out;
}

Result<std::string> RenderTemplateFilled(std::string_view name, std::string_view locale,
                                         const TemplateContext& ctx,
                                         const std::map<std::string, std::string>& overrides) {
  if (EndsWith(name, ".subject") || FullRenderDepth() > 0)
    return RenderTemplate(name, locale, ctx, overrides);
  const std::optional<Found> found = Lookup(name, locale, overrides);
  if (!found) return NotFound("no mail template named \"" + std::string(name) + "\"");
  const bool html = EndsWith(name, ".html");
  auto parsed = Parsed(*found->body, html);
  if (!parsed) return InvalidArgument(found->key, parsed.error().message);
  Compiled& compiled = **parsed;
  if (!compiled.fillable) return RenderParsed(compiled, *found, html, ctx);

  thread_local std::string shape;
  thread_local std::vector<const std::string*> values;
  shape.clear();
  values.clear();
  const size_t longest = ShapeOf(ctx, shape, values);
  auto it = compiled.shapes.find(shape);
  if (it == compiled.shapes.end()) {
    auto skeleton = SkeletonOf(compiled, *found, html, ctx, values.size());
    // A template that cannot render this shape (which may have dropped `compiled`): the full
    // render says why.
    if (!skeleton) return RenderTemplate(name, locale, ctx, overrides);
    if (SkeletonCount() >= kSkeletonsPerThread) ForgetSkeletons();
    it = compiled.shapes.emplace(shape, std::move(*skeleton)).first;
    ++SkeletonCount();
  }
  const Skeleton& sk = it->second;
  // Over the cost bound with these values: the full render decides exactly.
  if (sk.steps > static_cast<double>(kTemplateMaxSteps) ||
      sk.bytes + sk.per_byte * static_cast<double>(longest) > static_cast<double>(kTemplateMaxOutput)) {
    return RenderParsed(compiled, *found, html, ctx);
  }
  return Fill(sk, values);
}

Status ValidateTemplate(std::string_view body) {
  if (body.size() > kTemplateMaxBytes) {
    return InvalidArgument("template", "is longer than " + std::to_string(kTemplateMaxBytes) + " bytes");
  }
  if (!IsValidUtf8(body)) return InvalidArgument("template", "is not valid UTF-8");
  VOUCH_TRY(CheckTemplateShape(body, "template"));
  mustache::mustache tmpl{PrepareTemplate(body)};
  if (!tmpl.is_valid()) return InvalidArgument("template", tmpl.error_message());
  return OkStatus();
}

}  // namespace vouch::delivery
