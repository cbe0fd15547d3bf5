#include "api/pages.h"

#include <fmt/format.h>

#include "base/log.h"
#include "delivery/templates.h"

namespace vouch::api {

namespace {

constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

http::Response Html(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

http::Response Render(int status, const std::string& name, const std::string& locale,
                      const delivery::TemplateContext& ctx) {
  auto html = delivery::RenderTemplateFilled(name, locale, ctx);
  if (!html) {
    Log(LogLevel::kError, "page.render_failed", {{"page", name}, {"error", html.error().message}});
    return Html(500, "<!DOCTYPE html><title>Error</title><p>Something went wrong.</p>");
  }
  return Html(status, std::move(*html));
}

}  // namespace

delivery::TemplateContext AnswerPageContext(std::string_view public_url, const app::AnswerView& v,
                                            std::string_view token, bool comment_saved) {
  delivery::TemplateContext ctx;
  const auto& s = v.survey;
  const int score = s.score.value_or(0);
  std::string base;
  base.reserve(public_url.size() + 3 + token.size());
  base.append(public_url).append("/s/").append(token);
  ctx.Set("shop_name", v.shop.name);
  ctx.Set("shop_url", v.shop.url);
  ctx.Set("score", std::to_string(score));
  ctx.Set("state", store::AnswerStateName(s.answer_state));
  ctx.SetBool("locked", v.locked);
  ctx.SetBool("suspect", s.answer_state == store::AnswerState::kSuspect);
  ctx.Set("answered_on", s.answered_at ? FormatRfc3339(*s.answered_at).substr(0, 10) : "");
  ctx.Set("confirm_url", fmt::format("{}/{}/confirm", base, score));
  ctx.Set("comment_url", base + "/comment");
  ctx.Set("comment", s.comment);
  ctx.SetBool("comment_saved", comment_saved);
  // The scale's ends carry their words (low, high) for screen readers; only the chosen answer is
  // marked (selected), and "class" stays for shops' older templates.
  for (int i = 0; i <= 10; ++i) {
    const bool selected = s.score && i == score;
    ctx.AddItem("scale", {{"score", std::to_string(i)},
                          {"url", fmt::format("{}/{}", base, i)},
                          {"low", i == 0 ? "1" : ""},
                          {"high", i == 10 ? "1" : ""},
                          {"selected", selected ? "1" : ""},
                          {"class", selected ? "selected" : ""}});
  }
  if (v.code) {
    ctx.Set("code", v.code->code);
    ctx.Set("share_url", v.share.share_url);
    ctx.Set("offer_text", v.offer_text);
    ctx.Set("whatsapp_url", v.share.whatsapp_url);
    ctx.Set("x_url", v.share.x_url);
    ctx.Set("facebook_url", v.share.facebook_url);
    ctx.Set("email_share_url", v.share.email_url);
  } else {
    ctx.Set("code", "");
  }
  return ctx;
}

http::Response AnswerPage(const app::App& app, const app::AnswerView& v, std::string_view token,
                          bool comment_saved) {
  return Render(200, "page_answer.html", v.locale,
                AnswerPageContext(app.config().public_url, v, token, comment_saved));
}

http::Response UnsubscribePage(const store::Shop& shop, const std::string& action_url, bool done) {
  delivery::TemplateContext ctx;
  ctx.Set("shop_name", shop.name);
  ctx.Set("action_url", action_url);
  ctx.SetBool("done", done);
  return Render(200, "page_unsubscribe.html", shop.settings.locale, ctx);
}

http::Response QuestionPage(const app::App& app, const app::AnswerView& v, std::string_view token) {
  delivery::TemplateContext ctx;
  const std::string base = app.config().public_url + "/s/" + std::string(token);
  ctx.Set("shop_name", v.shop.name);
  for (int i = 0; i <= 10; ++i) {
    ctx.AddItem("scale", {{"score", std::to_string(i)}, {"url", fmt::format("{}/{}", base, i)}});
  }
  return Render(200, "page_question.html", v.locale, ctx);
}

http::Response MessagePage(int status, const std::string& title, const std::string& message) {
  delivery::TemplateContext ctx;
  ctx.SetBool("custom", true);
  ctx.Set("title", title);
  ctx.Set("message", message);
  return Render(status, "page_message.html", "en", ctx);
}

http::Response MessagePage(int status, PageMessage what, std::string_view locale, const std::string& detail) {
  delivery::TemplateContext ctx;
  switch (what) {
    case PageMessage::kNotFound: ctx.SetBool("not_found", true); break;
    case PageMessage::kInvalidLink: ctx.SetBool("invalid", true); break;
    case PageMessage::kTryAgain: ctx.SetBool("try_again", true); break;
    case PageMessage::kError: ctx.SetBool("error", true); break;
    case PageMessage::kTooManyRequests: ctx.SetBool("too_many", true); break;
  }
  ctx.Set("message", detail);
  return Render(status, "page_message.html", std::string(locale), ctx);
}

std::string PageLocale(std::string_view accept_language) {
  const auto& builtin = delivery::BuiltinTemplates();
  size_t pos = 0;
  while (pos < accept_language.size()) {
    size_t end = accept_language.find(',', pos);
    if (end == std::string_view::npos) end = accept_language.size();
    std::string_view tag = accept_language.substr(pos, end - pos);
    tag = tag.substr(0, tag.find(';'));
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    std::string lang;
    for (char c : tag) {
      if (c == '-' || c == '_' || c == ' ') break;
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c < 'a' || c > 'z') break;
      lang += c;
    }
    if (!lang.empty() && builtin.count(lang + "/page_message.html")) return lang;
    pos = end + 1;
  }
  return "en";
}

}  // namespace vouch::api
