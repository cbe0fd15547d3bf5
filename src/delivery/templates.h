#pragma once
// Mail templates: mustache text looked up by name and locale, from a shop's overrides or the
// built-in set compiled from templates/<locale>/<name>.mustache. Rendering is pure and
// thread-safe; nothing here does I/O.
//
// Mail names are "<message>.<part>": survey, activation, reward × subject, txt, html; the api
// module keeps its pages here too (page_*.html).
// In ".html" templates {{var}} is HTML-escaped ({{{var}}} is raw); in every other template
// (".txt", ".subject") nothing is escaped. Lines follow the Mustache spec: a line holding only a
// section tag ({{#x}}, {{^x}}, {{/x}}) or a comment disappears, every other line stays, so
// optional lines are written as
//   {{#expires_on}}
//   Valid until {{expires_on}}.
//   {{/expires_on}}
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "delivery/template_scan.h"

namespace vouch::delivery {

// The built-in templates keyed "<locale>/<name>" ("en/survey.html"). Defined in the
// builtin_templates.cc that cmake/embed_files.cmake generates.
const std::map<std::string, std::string>& BuiltinTemplates();

// The names that have an English built-in ("survey.html", ...), sorted.
std::vector<std::string> BuiltinTemplateNames();

// The values one render sees. Setting a key again replaces its value.
// An empty string is falsy, like false and an empty list: {{#first_name}}Hi {{first_name}}
// {{/first_name}}{{^first_name}}Hello{{/first_name}} greets neutrally when first_name is "".
class TemplateContext {
 public:
  using Record = std::map<std::string, std::string>;
  using Value = std::variant<std::string, bool, std::vector<Record>>;

  void Set(std::string key, std::string value);
  void SetBool(std::string key, bool value);
  // Appends a record to the list `list` (creating it), for {{#list}}{{field}}{{/list}}.
  void AddItem(std::string list, Record item);
  // Makes `list` an empty list (falsy), so {{^list}} renders even when no item is added.
  void SetEmptyList(std::string list);

  const std::map<std::string, Value>& values() const { return values_; }

 private:
  std::map<std::string, Value> values_;
};

// Appends the survey's answer button for `score` (0-10) to the list "buttons" with the fields
// score, url, color (one neutral colour for every score: no traffic lights that nudge the
// answer), low ("1" for 0) and high ("1" for 10), so the templates name the scale's ends in
// words ("0, not at all likely") without logic of their own.
void AddSurveyButton(TemplateContext& ctx, int score, std::string url);

// Renders template `name` ("survey.html") for `locale` ("de-AT", "de_AT", "de", "" = English).
// The first of these that exists is used: overrides "<locale>/<name>", overrides "<lang>/<name>",
// built-in "<locale>/<name>", built-in "<lang>/<name>", overrides "en/<name>", built-in
// "en/<name>". So a language's built-in beats another language's override, and a locale with no
// templates of its own gets the shop's English. `overrides` is keyed like BuiltinTemplates() (a
// shop's stored templates).
// ".subject" output has surrounding whitespace trimmed and inner line breaks turned into spaces.
// kNotFound when no template has that name; kInvalidArgument (field = the template's key) when
// the chosen template does not parse, breaks a rule of CheckTemplateShape (template_scan.h), or
// could, with this context, take more than kTemplateMaxSteps steps or write more than
// kTemplateMaxOutput bytes (reckoned from the template and the context before rendering: list
// lengths times what their sections hold), so no template can stall the thread that renders it.
Result<std::string> RenderTemplate(std::string_view name, std::string_view locale, const TemplateContext& ctx,
                                   const std::map<std::string, std::string>& overrides = {});

// What RenderTemplate gives, byte for byte, rendered once per shape of context and filled per
// call: the chosen template is rendered with a placeholder for each non-empty string of `ctx`,
// and that output (a skeleton, kept per thread with the parsed template) is filled with the
// strings of each later context of the same shape, escaped as the renderer escapes them. A
// shape is every key with its kind and truthiness (strings empty or not, booleans, each list's
// length and its records' fields likewise), which is all that decides the sections a render
// takes; every value is filled per call, so nothing rendered is ever stale: a template override
// is another body and so another cache entry, and settings are values. At most 512 skeletons per
// thread (then all are dropped). ".subject" templates, templates that change delimiters or have
// a tag spanning lines, and contexts whose values could break the cost limits render fully.
Result<std::string> RenderTemplateFilled(std::string_view name, std::string_view locale,
                                         const TemplateContext& ctx,
                                         const std::map<std::string, std::string>& overrides = {});

// While one of these lives, RenderTemplateFilled on its thread renders fully (as RenderTemplate
// does): a seam for tests and benchmarks that compare a whole use case (a mail built by
// app::Messages) filled against fully rendered. Nests; not for production code.
class ScopedFullRender {
 public:
  ScopedFullRender();
  ~ScopedFullRender();
  ScopedFullRender(const ScopedFullRender&) = delete;
  ScopedFullRender& operator=(const ScopedFullRender&) = delete;
};

// Checks that `body` parses as a mustache template, for validating a shop's override before it
// is stored. kInvalidArgument with field "template" and the parser's message ("Unclosed section
// \"buttons\" at 120") when it does not, when it is longer than kTemplateMaxBytes, or when it
// breaks a rule of CheckTemplateShape (nesting too deep, a section inside itself, a partial).
Status ValidateTemplate(std::string_view body);

}  // namespace vouch::delivery
