#pragma once
// HTML pages for customers: the answer page, the unsubscribe page, messages. Rendered from the
// (overridable) page_*.html templates; every value is HTML-escaped by the template engine.
#include <map>
#include <string>

#include "app/app.h"
#include "http/server.h"

namespace vouch::api {

http::Response AnswerPage(const app::App& app, const app::AnswerView& view, std::string_view token,
                          bool comment_saved);
http::Response UnsubscribePage(const store::Shop& shop, const std::string& action_url, bool done);
// The question of a survey sent by text (/q/{token}): the eleven answers as links to
// /s/{token}/{score}, in the customer's locale (page_question.html).
http::Response QuestionPage(const app::App& app, const app::AnswerView& view, std::string_view token);
http::Response MessagePage(int status, const std::string& title, const std::string& message);

}  // namespace vouch::api
