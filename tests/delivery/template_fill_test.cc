// RenderTemplateFilled against RenderTemplate: the same bytes for every template, locale, shape
// and value, from the first render of a shape (the skeleton) and from later ones (the fill).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "delivery/templates.h"

namespace vouch::delivery {
namespace {

using Overrides = std::map<std::string, std::string>;

// Values that show every escape, a line mark (the renderer drops it from values too), a
// placeholder's marks, line breaks and blanks.
const std::vector<std::string> kNasty = {"Trail & Co <b>\"quoted\"</b> 'apos'",
                                         "a\x01"
                                         "b",
                                         "x\x02"
                                         "0&\x03y",
                                         "two\nlines",
                                         "   ",
                                         "&amp;",
                                         "{{shop_name}}",
                                         "Grüße – €10"};

void ExpectSame(std::string_view name, std::string_view locale, const TemplateContext& ctx,
                const Overrides& overrides = {}) {
  const Result<std::string> full = RenderTemplate(name, locale, ctx, overrides);
  // Twice: the first builds the shape's skeleton, the second fills it.
  for (int pass = 0; pass < 2; ++pass) {
    const Result<std::string> filled = RenderTemplateFilled(name, locale, ctx, overrides);
    ASSERT_EQ(full.ok(), filled.ok()) << name << " " << locale << " pass " << pass;
    if (!full.ok()) {
      EXPECT_EQ(full.error().message, filled.error().message);
      EXPECT_EQ(full.error().field, filled.error().field);
      continue;
    }
    EXPECT_EQ(*full, *filled) << name << " " << locale << " pass " << pass;
  }
}

// Every variable the built-in templates use, each from `v`, lists included.
TemplateContext Everything(const std::string& v, bool flag) {
  TemplateContext ctx;
  for (const char* key : {"shop_name",       "shop_url",
                          "first_name",      "unsubscribe_url",
                          "question",        "code",
                          "share_url",       "offer_text",
                          "friend_offer",    "reward",
                          "expires_on",      "whatsapp_url",
                          "x_url",           "facebook_url",
                          "email_share_url", "reward_code",
                          "reward_amount",   "friend_first_name",
                          "score",           "state",
                          "answered_on",     "confirm_url",
                          "comment_url",     "comment",
                          "title",           "message",
                          "action_url",      "days",
                          "paused_at",       "reason"}) {
    ctx.Set(key, v + "·" + key);
  }
  for (const char* key : {"locked", "suspect", "comment_saved", "done", "custom", "not_found", "invalid",
                          "try_again", "error", "too_many"}) {
    ctx.SetBool(key, flag);
  }
  for (int i = 0; i <= 10; ++i) {
    AddSurveyButton(ctx, i, v + "/b/" + std::to_string(i));
    ctx.AddItem("scale", {{"score", std::to_string(i)},
                          {"url", v + "/s/" + std::to_string(i)},
                          {"low", i == 0 ? "1" : ""},
                          {"high", i == 10 ? "1" : ""},
                          {"selected", i == 7 ? "1" : ""},
                          {"class", i == 7 ? "selected" : ""}});
  }
  return ctx;
}

TEST(TemplateFillTest, EveryBuiltInTemplateAndLocaleGivesTheFullRender) {
  const auto& builtin = BuiltinTemplates();
  std::vector<std::string> names = BuiltinTemplateNames();
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    for (const char* locale : {"en", "de", "de-AT", "de_at", "fr", ""}) {
      for (const std::string& v : kNasty) {
        for (bool flag : {false, true}) ExpectSame(name, locale, Everything(v, flag));
      }
      ExpectSame(name, locale, TemplateContext{});  // no values at all: every section false
    }
  }
  EXPECT_GT(builtin.size(), names.size());  // more than English is shipped
}

TEST(TemplateFillTest, ValuesOfOneShapeAreFilledFreshEveryTime) {
  // The same shape with other values: each render shows its own values, none of an earlier one.
  std::string previous;
  for (const std::string& v : kNasty) {
    TemplateContext ctx = Everything(v, false);
    const auto filled = RenderTemplateFilled("page_answer.html", "en", ctx);
    ASSERT_TRUE(filled.ok());
    EXPECT_EQ(*filled, *RenderTemplate("page_answer.html", "en", ctx));
    EXPECT_NE(*filled, previous);
    previous = *filled;
  }
  // An escaped value comes out escaped, a raw one ({{{x}}}) raw.
  const Overrides mine = {{"en/page_answer.html", "<p>{{shop_name}}|{{{shop_name}}}|{{& shop_name}}</p>"}};
  TemplateContext ctx;
  ctx.Set("shop_name", "<>&\"'");
  EXPECT_EQ(*RenderTemplateFilled("page_answer.html", "en", ctx, mine),
            "<p>&lt;&gt;&amp;&quot;&apos;|<>&\"'|<>&\"'</p>");
  ExpectSame("page_answer.html", "en", ctx, mine);
}

TEST(TemplateFillTest, AnOverrideIsItsOwnEntryAndNeverStale) {
  TemplateContext ctx = Everything("v", false);
  const std::string builtin = *RenderTemplateFilled("page_answer.html", "en", ctx);
  Overrides overrides = {
      {"en/page_answer.html", "<h1>{{shop_name}}</h1>{{#scale}}<a href=\"{{url}}\">{{score}}</a>{{/scale}}"}};
  const std::string first = *RenderTemplateFilled("page_answer.html", "en", ctx, overrides);
  EXPECT_NE(first, builtin);
  ExpectSame("page_answer.html", "en", ctx, overrides);
  overrides["en/page_answer.html"] += "<p>{{comment}}</p>";  // the shop edits it (PUT)
  const std::string second = *RenderTemplateFilled("page_answer.html", "en", ctx, overrides);
  EXPECT_NE(second, first);
  EXPECT_NE(second.find("v·comment"), std::string::npos);
  ExpectSame("page_answer.html", "en", ctx, overrides);
  // A German override does not touch English, and deleting it (DELETE) gives the built-in again.
  overrides["de/page_answer.html"] = "<p>Deutsch {{shop_name}}</p>";
  ExpectSame("page_answer.html", "de", ctx, overrides);
  EXPECT_EQ(*RenderTemplateFilled("page_answer.html", "de", ctx, overrides), "<p>Deutsch v·shop_name</p>");
  EXPECT_EQ(*RenderTemplateFilled("page_answer.html", "en", ctx, {}), builtin);
}

TEST(TemplateFillTest, TemplatesPlaceholdersCannotServeRenderFully) {
  TemplateContext ctx;
  ctx.Set("a", "   ");
  ctx.Set("b", "<b>");
  ctx.SetBool("t", true);
  for (const std::string body : {
           // delimiters changed: no line marks, so kainjow drops a line that renders blank
           "{{=<% %>=}}\n<%#t%><%a%><%/t%>\nend <%b%>\n",
           // a tag across lines (rendered fully, to be safe)
           "x {{#t\n}}{{a}}{{/t}}\n{{b}}\n",
           // the placeholders' own marks in the text
           "text \x02"
           "0&\x03 {{b}}\n",
           // a blank value on a section's line (marked: kept, as in a full render)
           "{{#t}}\n  {{a}}  \n{{/t}}\n{{#t}}{{a}}{{/t}}\n{{b}}",
       }) {
    ExpectSame("page_message.html", "en", ctx, {{"en/page_message.html", body}});
  }
}

TEST(TemplateFillTest, TheCostLimitsHoldAsInAFullRender) {
  const Overrides mine = {{"en/page_message.html", "{{#l}}{{m}}{{m}}{{/l}}"}};
  TemplateContext small;
  small.Set("m", "x");
  for (int i = 0; i < 100; ++i) small.AddItem("l", {});
  ExpectSame("page_message.html", "en", small, mine);  // builds the shape's skeleton
  // The same shape with a value long enough to pass 2 MiB: refused, with the full render's error.
  TemplateContext big = small;
  big.Set("m", std::string(4000, '<'));
  ExpectSame("page_message.html", "en", big, mine);
  EXPECT_FALSE(RenderTemplateFilled("page_message.html", "en", big, mine).ok());
  // Too many steps is a shape of its own, refused the same way.
  TemplateContext many;
  many.Set("m", "x");
  for (int i = 0; i < 120'000; ++i) many.AddItem("l", {});
  ExpectSame("page_message.html", "en", many, mine);
  EXPECT_FALSE(RenderTemplateFilled("page_message.html", "en", many, mine).ok());
}

TEST(TemplateFillTest, ManyShapesStayBoundedAndRight) {
  // More shapes than one thread keeps (512): the oldest go, every render stays right.
  const Overrides mine = {{"en/page_message.html", "{{#l}}<i>{{v}}</i>{{/l}}{{^l}}none{{/l}}"}};
  for (int n = 0; n < 700; n += 1) {
    TemplateContext ctx;
    for (int i = 0; i < n % 40; ++i) ctx.AddItem("l", {{"v", n % 3 == 0 ? "" : "<" + std::to_string(i)}});
    ctx.Set("pad" + std::to_string(n), "x");  // a key of its own: a new shape each time
    const auto full = RenderTemplate("page_message.html", "en", ctx, mine);
    const auto filled = RenderTemplateFilled("page_message.html", "en", ctx, mine);
    ASSERT_TRUE(full.ok() && filled.ok());
    ASSERT_EQ(*full, *filled) << n;
  }
}

TEST(TemplateFillTest, RandomContextsOverSectionsListsAndDottedNames) {
  // A template with every kind of tag RenderTemplateFilled must handle, against random shapes.
  const std::string body =
      "<h1>{{a}}</h1>\n"
      "{{#a}}\n"
      "[{{.}}] {{b}}\n"
      "{{/a}}\n"
      "{{^b}}no b{{/b}}{{#t}} t:{{{a}}}{{/t}}\n"
      "{{#l}}\n"
      "  <li class=\"{{#x}}x{{/x}}\">{{x}}|{{y}}|{{a}}|{{l.x}}</li>\n"
      "{{/l}}\n"
      "{{! a comment }}\n"
      "{{^l}}\n"
      "empty list\n"
      "{{/l}}\n"
      "end {{missing}}{{#missing}}never{{/missing}}\n";
  const Overrides mine = {{"en/page_answer.html", body}, {"en/share.txt", body}};
  std::mt19937 rng(18);
  const auto pick = [&rng](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  const std::vector<std::string> strings = {"", "", "plain", "<&>\"'", "a\x01", "line\nbreak", " "};
  for (int round = 0; round < 400; ++round) {
    TemplateContext ctx;
    if (rng() % 4) ctx.Set("a", pick(strings));
    if (rng() % 4) ctx.Set("b", pick(strings));
    if (rng() % 3) ctx.SetBool("t", rng() % 2);
    if (rng() % 2) ctx.Set("t", pick(strings));
    const int items = static_cast<int>(rng() % 4);
    if (rng() % 5 == 0) ctx.SetEmptyList("l");
    for (int i = 0; i < items; ++i) {
      TemplateContext::Record r;
      if (rng() % 3) r["x"] = pick(strings);
      if (rng() % 3) r["y"] = pick(strings);
      if (rng() % 4 == 0) r["a"] = pick(strings);
      ctx.AddItem("l", r);
    }
    ExpectSame("page_answer.html", "en", ctx, mine);
    ExpectSame("share.txt", "en", ctx, mine);  // not HTML: nothing escaped
  }
}

}  // namespace
}  // namespace vouch::delivery
