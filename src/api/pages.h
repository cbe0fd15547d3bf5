#pragma once
// HTML pages for customers: the answer page, the unsubscribe page, messages. Rendered from the
// page_*.html templates; every value is HTML-escaped by the template engine.
#include <map>
#include <string>
#include <string_view>

#include "app/app.h"
#include "delivery/templates.h"
#include "http/server.h"

namespace vouch::api {

http::Response AnswerPage(const app::App& app, const app::AnswerView& view, std::string_view token,
                          bool comment_saved);
// The values page_answer.html renders from, for the survey `token` under `public_url`. Pages are
// rendered through delivery::RenderTemplateFilled: once per shape, filled per request.
delivery::TemplateContext AnswerPageContext(std::string_view public_url, const app::AnswerView& view,
                                            std::string_view token, bool comment_saved);
http::Response UnsubscribePage(const store::Shop& shop, const std::string& action_url, bool done);
// The question of a survey sent by text (/q/{token}): the eleven answers as links to
// /s/{token}/{score}, in the customer's locale (page_question.html).
http::Response QuestionPage(const app::App& app, const app::AnswerView& view, std::string_view token);
// A page with a title and a message as given (English: the dashboard's and the assets' 404).
http::Response MessagePage(int status, const std::string& title, const std::string& message);

// What a customer's message page says; the words are the page_message.html template's, in the
// page's language. `detail` is shown by kInvalidLink in English only.
enum class PageMessage { kNotFound, kInvalidLink, kTryAgain, kError, kTooManyRequests };
http::Response MessagePage(int status, PageMessage what, std::string_view locale,
                           const std::string& detail = "");

// The language of a page for a request whose shop is not known (a mistyped link): the first
// language named in `accept_language` that has built-in pages, else "en".
std::string PageLocale(std::string_view accept_language);

}  // namespace vouch::api
