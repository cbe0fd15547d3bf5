#include "delivery/templates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vouch::delivery {
namespace {

using Overrides = std::map<std::string, std::string>;

const std::vector<std::string> kNames = {
    "activation.html",  "activation.subject",  "activation.txt", "reward.html",    "reward.subject",
    "reward.txt",       "share.txt",           "survey.html",    "survey.subject", "survey.txt",
    "coupon_leak.html", "coupon_leak.subject", "coupon_leak.txt"};

std::string Render(std::string_view name, std::string_view locale, const TemplateContext& ctx,
                   const Overrides& overrides = {}) {
  Result<std::string> r = RenderTemplate(name, locale, ctx, overrides);
  EXPECT_TRUE(r.ok()) << name << " " << locale << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "";
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = 0; (pos = haystack.find(needle, pos)) != std::string::npos; pos += needle.size()) {
    ++n;
  }
  return n;
}

// Every variable any built-in template uses, with values that show escaping ('&', '<', quotes).
TemplateContext FullContext() {
  TemplateContext ctx;
  ctx.Set("shop_name", "Trail & Co <Outdoor>");
  ctx.Set("shop_url", "https://trail.example/?ref=mail&lang=en");
  ctx.Set("first_name", "Anna");
  ctx.Set("unsubscribe_url", "https://vouch.example/u/tok?a=1&b=2");
  ctx.Set("question", "How likely are you to recommend Trail & Co to a friend or colleague?");
  for (int score = 0; score <= 10; ++score) {
    AddSurveyButton(ctx, score, "https://vouch.example/a/tok?s=" + std::to_string(score) + "&x=1");
  }
  ctx.Set("code", "ANNA-7K2Q");
  ctx.Set("share_url", "https://vouch.example/r/ANNA-7K2Q");
  ctx.Set("offer_text", "Give your friends 15% off — get €10 for each friend who buys.");
  ctx.Set("friend_offer", "15% off");
  ctx.Set("reward", "€10");
  ctx.Set("expires_on", "31 December 2026");
  ctx.Set("whatsapp_url", "https://wa.me/?text=Try%20it&x=1");
  ctx.Set("x_url", "https://x.com/intent/post?text=Try&url=u");
  ctx.Set("facebook_url", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fv");
  ctx.Set("email_share_url", "mailto:?subject=Hi&body=Try");
  ctx.Set("reward_code", "THANKS-10-XY");
  ctx.Set("reward_amount", "€10");
  ctx.Set("friend_first_name", "Ben");
  ctx.Set("buyers_without_visit", "17");
  ctx.Set("threshold", "10");
  ctx.Set("window_days", "30");
  ctx.Set("paused_at", "2026-12-01T10:00:00Z");
  ctx.Set("promoter_url", "https://vouch.example/promoters/9");
  ctx.Set("review_url", "https://vouch.example/review?x=1");
  ctx.Set("api_url", "https://vouch.example/api/v1/referrals?status=pending_review");
  return ctx;
}

TEST(TemplatesTest, BuiltinsCoverEveryNameInEnglishAndGerman) {
  const std::vector<std::string> names = BuiltinTemplateNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const std::string& name : kNames) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), name) != names.end()) << name;
  }
  for (const std::string locale : {"en", "de"}) {
    for (const std::string& name : kNames) {
      EXPECT_TRUE(BuiltinTemplates().contains(locale + "/" + name)) << locale << "/" << name;
      EXPECT_TRUE(ValidateTemplate(BuiltinTemplates().at(locale + "/" + name)).ok()) << locale << "/" << name;
    }
  }
}

TEST(TemplatesTest, LocaleFallsBackToLanguageThenEnglish) {
  const TemplateContext ctx = FullContext();
  const std::string english = Render("survey.subject", "en", ctx);
  const std::string german = Render("survey.subject", "de", ctx);
  EXPECT_EQ(english, "How was your order from Trail & Co <Outdoor>?");
  EXPECT_EQ(german, "Wie zufrieden waren Sie mit Ihrer Bestellung bei Trail & Co <Outdoor>?");
  const std::map<std::string, std::string> cases = {
      {"de-AT", german}, {"de_at", german}, {"DE-ch", german},  {"fr-FR", english},
      {"fr", english},   {"", english},     {"en-GB", english},
  };
  for (const auto& [locale, want] : cases) {
    EXPECT_EQ(Render("survey.subject", locale, ctx), want) << locale;
  }
}

TEST(TemplatesTest, OverridesBeatBuiltinsMostSpecificFirst) {
  const TemplateContext ctx = FullContext();
  const Overrides overrides = {
      {"de-AT/survey.subject", "Servus from {{shop_name}}"},
      {"de/survey.subject", "Hallo from {{shop_name}}"},
      {"en/reward.subject", "Custom reward"},
  };
  struct Case {
    std::string name, locale, want;
  };
  const std::vector<Case> cases = {
      {"survey.subject", "de-AT", "Servus from Trail & Co <Outdoor>"},
      {"survey.subject", "de-CH", "Hallo from Trail & Co <Outdoor>"},
      {"survey.subject", "de", "Hallo from Trail & Co <Outdoor>"},
      {"survey.subject", "en", "How was your order from Trail & Co <Outdoor>?"},
      {"reward.subject", "en-US", "Custom reward"},
      // A language's built-in beats another language's override.
      {"reward.subject", "de", "Danke! Ihr Gutschein über €10 von Trail & Co <Outdoor>"},
      // The English fallback prefers the shop's English override too.
      {"reward.subject", "fr", "Custom reward"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Render(c.name, c.locale, ctx, overrides), c.want) << c.name << " " << c.locale;
  }
}

TEST(TemplatesTest, HtmlIsEscapedTextAndSubjectAreNot) {
  TemplateContext ctx;
  ctx.Set("v", "<b>\"Tom & Jerry's\"</b>");
  const std::string body = "[{{v}}|{{{v}}}]";
  const Overrides overrides = {{"en/x.html", body}, {"en/x.txt", body}, {"en/x.subject", body}};
  EXPECT_EQ(Render("x.html", "en", ctx, overrides),
            "[&lt;b&gt;&quot;Tom &amp; Jerry&apos;s&quot;&lt;/b&gt;|<b>\"Tom & Jerry's\"</b>]");
  EXPECT_EQ(Render("x.txt", "en", ctx, overrides), "[<b>\"Tom & Jerry's\"</b>|<b>\"Tom & Jerry's\"</b>]");
  EXPECT_EQ(Render("x.subject", "en", ctx, overrides), "[<b>\"Tom & Jerry's\"</b>|<b>\"Tom & Jerry's\"</b>]");
}

TEST(TemplatesTest, SubjectIsOneTrimmedLine) {
  TemplateContext ctx;
  ctx.Set("a", "A");
  const Overrides overrides = {{"en/x.subject", "  \n Hello {{a}}\r\n  and more \n\n"}};
  EXPECT_EQ(Render("x.subject", "en", ctx, overrides), "Hello A and more");
}

TEST(TemplatesTest, EmptyValuesAreFalsy) {
  const Overrides overrides = {
      {"en/x.txt",
       "{{#first_name}}Hi {{first_name}}{{/first_name}}{{^first_name}}Hello{{/first_name}}"
       "/{{#flag}}on{{/flag}}{{^flag}}off{{/flag}}/{{^list}}none{{/list}}"}};
  TemplateContext ctx;
  ctx.Set("first_name", "Anna");
  ctx.SetBool("flag", true);
  ctx.AddItem("list", {{"k", "v"}});
  EXPECT_EQ(Render("x.txt", "en", ctx, overrides), "Hi Anna/on/");
  ctx.Set("first_name", "");
  ctx.SetBool("flag", false);
  ctx.SetEmptyList("list");
  EXPECT_EQ(Render("x.txt", "en", ctx, overrides), "Hello/off/none");
  EXPECT_EQ(Render("x.txt", "en", TemplateContext{}, overrides), "Hello/off/none");
}

// kainjow alone leaves a blank line for a false standalone section and drops blank lines next to
// section tags; RenderTemplate follows the Mustache spec instead.
TEST(TemplatesTest, StandaloneSectionLinesLeaveNoTrace) {
  const Overrides overrides = {{"en/x.txt",
                                "a\n"
                                "{{#on}}\n"
                                "on\n"
                                "{{/on}}\n"
                                "{{#off}}\n"
                                "off\n"
                                "{{/off}}\n"
                                "\n"
                                "  {{! a comment }}  \n"
                                "{{#list}}\n"
                                "- {{k}}\n"
                                "{{/list}}\n"
                                "{{^off}}\n"
                                "not off\n"
                                "{{/off}}\n"
                                "\n"
                                "inline {{#off}}x{{/off}}\n"
                                "z"}};
  TemplateContext ctx;
  ctx.SetBool("on", true);
  ctx.SetBool("off", false);
  ctx.AddItem("list", {{"k", "1"}});
  ctx.AddItem("list", {{"k", "2"}});
  EXPECT_EQ(Render("x.txt", "en", ctx, overrides), "a\non\n\n- 1\n- 2\nnot off\n\ninline \nz");
}

TEST(TemplatesTest, EveryBuiltinRendersWithAnEmptyContext) {
  for (const auto& [key, body] : BuiltinTemplates()) {
    const size_t slash = key.find('/');
    const Result<std::string> r =
        RenderTemplate(key.substr(slash + 1), key.substr(0, slash), TemplateContext{});
    EXPECT_TRUE(r.ok()) << key << ": " << (r.ok() ? "" : r.error().message);
    if (r.ok()) {
      EXPECT_EQ(r->find('\x01'), std::string::npos) << key;
    }
  }
}

TEST(TemplatesTest, EveryBuiltinRendersCompletelyForEnglishAndGerman) {
  const TemplateContext ctx = FullContext();
  for (const std::string locale : {"en", "de"}) {
    for (const std::string& name : kNames) {
      SCOPED_TRACE(locale + "/" + name);
      const std::string out = Render(name, locale, ctx);
      EXPECT_FALSE(out.empty());
      EXPECT_EQ(out.find("{{"), std::string::npos);
      EXPECT_EQ(out.find("}}"), std::string::npos);
      const bool html = name.ends_with(".html");
      const std::string shop = html ? "Trail &amp; Co &lt;Outdoor&gt;" : "Trail & Co <Outdoor>";
      EXPECT_NE(out.find(shop), std::string::npos);
      if (name == "share.txt") continue;  // one line a promoter shares: no greeting, no footer
      if (name.ends_with(".subject")) {
        EXPECT_EQ(out.find('\n'), std::string::npos);
        continue;
      }
      EXPECT_EQ(out.find("Trail & Co <Outdoor>"), html ? std::string::npos : out.find(shop))
          << "no unescaped value in HTML";
      if (name.starts_with("coupon_leak.")) {
        // A mail to the shop, not a customer: no greeting by name, no unsubscribe footer.
        EXPECT_EQ(out.find("https://vouch.example/u/tok"), std::string::npos);
        for (const char* value : {"ANNA-7K2Q", "17", "2026-12-01T10:00:00Z", "review?x=1", "promoters/9"}) {
          EXPECT_NE(out.find(value), std::string::npos) << value;
        }
      } else {
        EXPECT_NE(out.find("Anna"), std::string::npos) << "greets by first name";
        EXPECT_NE(out.find(html ? "https://vouch.example/u/tok?a=1&amp;b=2"
                                : "https://vouch.example/u/tok?a=1&b=2"),
                  std::string::npos)
            << "unsubscribe link";
      }
      if (html) {
        EXPECT_TRUE(out.starts_with("<!DOCTYPE html>"));
        EXPECT_EQ(out.find("<img"), std::string::npos) << "no external images";
        EXPECT_NE(out.find("<html lang=\"" + locale + "\" dir=\"ltr\">"), std::string::npos);
      }
    }
  }
}

TEST(TemplatesTest, SurveyShowsElevenScoresWithTheirLinks) {
  const TemplateContext ctx = FullContext();
  for (const std::string locale : {"en", "de"}) {
    const std::string txt = Render("survey.txt", locale, ctx);
    const std::string html = Render("survey.html", locale, ctx);
    for (int score = 0; score <= 10; ++score) {
      const std::string url = "https://vouch.example/a/tok?s=" + std::to_string(score);
      EXPECT_NE(txt.find("\n" + std::to_string(score) + ": " + url + "&x=1\n"), std::string::npos)
          << locale << " " << score;
      EXPECT_NE(html.find("href=\"" + url + "&amp;x=1\""), std::string::npos) << locale << score;
    }
    EXPECT_EQ(Count(html, "<a href=\"https://vouch.example/a/tok"), 11u);
    EXPECT_NE(txt.find("How likely are you to recommend Trail & Co"), std::string::npos);
  }
  const std::string en = Render("survey.html", "en", ctx);
  EXPECT_NE(en.find("0 = not at all likely"), std::string::npos);
  EXPECT_NE(en.find("10 = extremely likely"), std::string::npos);
  EXPECT_NE(en.find(">Unsubscribe</a>"), std::string::npos);
  const std::string de = Render("survey.html", "de", ctx);
  EXPECT_NE(de.find(">Abmelden</a>"), std::string::npos);
}

TEST(TemplatesTest, SurveyButtonsAreNeutralWithTheEndsNamed) {
  TemplateContext ctx;
  for (int score = 0; score <= 10; ++score) AddSurveyButton(ctx, score, "u");
  const auto& buttons = std::get<std::vector<TemplateContext::Record>>(ctx.values().at("buttons"));
  ASSERT_EQ(buttons.size(), 11u);
  for (int score = 0; score <= 10; ++score) {
    const auto& b = buttons[static_cast<size_t>(score)];
    EXPECT_EQ(b.at("score"), std::to_string(score));
    EXPECT_EQ(b.at("color"), buttons[0].at("color")) << "one colour for every score: " << score;
    EXPECT_EQ(b.at("low"), score == 0 ? "1" : "") << score;
    EXPECT_EQ(b.at("high"), score == 10 ? "1" : "") << score;
  }
  const std::string en = Render("survey.html", "en", ctx);
  EXPECT_NE(en.find(R"(aria-label="0, not at all likely")"), std::string::npos);
  EXPECT_NE(en.find(R"(aria-label="10, extremely likely")"), std::string::npos);
  EXPECT_NE(en.find(R"(aria-label="5")"), std::string::npos);
  for (const char* traffic : {"#dc2626", "#b45309", "#15803d"})
    EXPECT_EQ(en.find(traffic), std::string::npos);
  const std::string de = Render("survey.html", "de", ctx);
  EXPECT_NE(de.find(R"(aria-label="10, äußerst wahrscheinlich")"), std::string::npos);
}

TEST(TemplatesTest, MissingOptionalValuesGiveNeutralText) {
  TemplateContext ctx = FullContext();
  ctx.Set("first_name", "");
  ctx.Set("friend_first_name", "");
  ctx.Set("expires_on", "");
  ctx.Set("x_url", "");
  const std::map<std::string, std::vector<std::string>> want = {
      {"en/reward.txt", {"Hello,\n", "a friend of yours just ordered"}},
      {"de/reward.txt", {"Guten Tag,\n", "jemand aus Ihrem Freundeskreis hat"}},
      {"en/survey.html", {">Hello,</p>"}},
      {"de/survey.html", {">Guten Tag,</p>"}},
  };
  for (const auto& [key, snippets] : want) {
    const std::string out = Render(key.substr(3), key.substr(0, 2), ctx);
    for (const std::string& s : snippets) EXPECT_NE(out.find(s), std::string::npos) << key << ": " << s;
    EXPECT_EQ(out.find("Anna"), std::string::npos) << key;
  }
  for (const std::string locale : {"en", "de"}) {
    const std::string txt = Render("activation.txt", locale, ctx);
    EXPECT_EQ(txt.find("X: "), std::string::npos) << "no line for a missing share link";
    EXPECT_EQ(txt.find("\n\n\n"), std::string::npos) << "no blank lines left behind";
    EXPECT_EQ(txt.find("31 December"), std::string::npos);
    EXPECT_EQ(Render("activation.html", locale, ctx).find("https://x.com"), std::string::npos);
  }
}

TEST(TemplatesTest, InvalidTemplatesAreRejected) {
  for (const std::string body : {"{{#section}}never closed", "{{#a}}x{{/b}}", "{{unclosed", "{{/closing}}"}) {
    const Status s = ValidateTemplate(body);
    ASSERT_FALSE(s.ok()) << body;
    EXPECT_EQ(s.error().code, Code::kInvalidArgument);
    EXPECT_EQ(s.error().field, "template");
    EXPECT_FALSE(s.error().message.empty()) << body;
  }
  for (const std::string body : {"", "plain", "{{a}} {{{b}}} {{#c}}{{d}}{{/c}} {{^e}}f{{/e}}"}) {
    EXPECT_TRUE(ValidateTemplate(body).ok()) << body;
  }
  const Result<std::string> r =
      RenderTemplate("survey.txt", "de", FullContext(), {{"de/survey.txt", "{{#x}}"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().field, "de/survey.txt");
}

// Parsed templates are kept per thread, keyed by their text: an edited override must take effect
// at once, the same text must keep escaping by the name's kind, and one render's values must not
// leak into the next.
TEST(TemplatesTest, ReusedParsesFollowEditsKindsAndValues) {
  TemplateContext anna;
  anna.Set("first_name", "Anna & Co");
  TemplateContext ben;
  ben.Set("first_name", "Ben");
  const std::string body = "Hi {{first_name}}";
  EXPECT_EQ(Render("survey.txt", "en", anna, {{"en/survey.txt", body}}), "Hi Anna & Co");
  EXPECT_EQ(Render("survey.html", "en", anna, {{"en/survey.html", body}}), "Hi Anna &amp; Co");
  EXPECT_EQ(Render("survey.txt", "en", anna, {{"en/survey.txt", body}}), "Hi Anna & Co");
  EXPECT_EQ(Render("survey.txt", "en", ben, {{"en/survey.txt", body}}), "Hi Ben");
  EXPECT_EQ(Render("survey.txt", "en", ben, {{"en/survey.txt", "Bye {{first_name}}"}}), "Bye Ben");
  // More distinct texts than the cache keeps: each still renders as itself.
  for (int i = 0; i < 600; ++i) {
    const std::string text = "#" + std::to_string(i) + " {{first_name}}";
    ASSERT_EQ(Render("survey.txt", "en", ben, {{"en/survey.txt", text}}), "#" + std::to_string(i) + " Ben");
  }
  // A broken override fails every time (a failed parse is not kept).
  for (int i = 0; i < 2; ++i) {
    const Result<std::string> r = RenderTemplate("survey.txt", "en", ben, {{"en/survey.txt", "{{#x}}"}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "en/survey.txt");
  }
}

TEST(TemplatesTest, UnknownNameIsNotFound) {
  const Result<std::string> r = RenderTemplate("nosuch.html", "de", FullContext());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kNotFound);
}

// A section inside itself repeats per pass of the outer one: a dozen levels over the eleven
// buttons would take 11^12 passes. Refused at upload, and at render for a body stored before.
std::string SelfNested(int levels) {
  std::string body;
  for (int i = 0; i < levels; ++i) body += "{{#buttons}}";
  body += "{{score}}";
  for (int i = 0; i < levels; ++i) body += "{{/buttons}}";
  return body;
}

TEST(TemplateLimitsTest, UploadRefusesSelfNestingDeepNestingPartialsAndHugeBodies) {
  const auto refused = [](const std::string& body, const std::string& words) {
    const Status s = ValidateTemplate(body);
    ASSERT_FALSE(s.ok()) << body.substr(0, 80);
    EXPECT_EQ(s.error().code, Code::kInvalidArgument);
    EXPECT_EQ(s.error().field, "template");
    EXPECT_NE(s.error().message.find(words), std::string::npos) << s.error().message;
  };
  refused(SelfNested(12), "section \"buttons\" is nested inside itself");
  refused("{{#a}}{{# b }}{{#a}}x{{/a}}{{/b}}{{/a}}", "section \"a\" is nested inside itself");
  refused("{{=<% %>=}}<%#buttons%><%#buttons%><%/buttons%><%/buttons%>",
          "\"buttons\" is nested inside itself");
  std::string deep;
  for (int i = 0; i < 9; ++i) deep += "{{#s" + std::to_string(i) + "}}";
  for (int i = 0; i < 9; ++i) deep += "{{/s}}";
  refused(deep, "nests sections more than 8 deep");
  // Far deeper than the parser's recursion could take: refused by the scan before it parses.
  std::string abyss;
  for (int i = 0; i < 200'000; ++i) abyss += "{{^x}}";
  EXPECT_FALSE(ValidateTemplate(abyss).ok());
  refused("Hi {{>first_name}}", "partials are not supported");
  refused("Caf\xe9 {{name}}", "is not valid UTF-8");
  refused(std::string(kTemplateMaxBytes + 1, 'x'), "is longer than");

  // Sections of one name side by side, or an inverted one inside, are fine.
  EXPECT_TRUE(ValidateTemplate("{{#buttons}}a{{/buttons}}{{#buttons}}b{{/buttons}}").ok());
  EXPECT_TRUE(ValidateTemplate("{{#code}}{{^code}}never{{/code}}{{/code}}").ok());
}

TEST(TemplateLimitsTest, AStoredBombFailsToRenderAtOnceNamingTheProblem) {
  const auto started = std::chrono::steady_clock::now();
  const Result<std::string> r =
      RenderTemplate("survey.txt", "en", FullContext(), {{"en/survey.txt", SelfNested(12)}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().field, "en/survey.txt");
  EXPECT_NE(r.error().message.find("nested inside itself"), std::string::npos) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST(TemplateLimitsTest, RenderingIsBoundedBySteps) {
  // Eight different lists of eleven, nested: 11^8 passes, no section inside itself.
  TemplateContext ctx;
  std::string body;
  for (int l = 0; l < 8; ++l) {
    for (int i = 0; i < 11; ++i) ctx.AddItem("l" + std::to_string(l), {{"v", "x"}});
    body += "{{#l" + std::to_string(l) + "}}";
  }
  body += "{{v}}";
  for (int l = 7; l >= 0; --l) body += "{{/l" + std::to_string(l) + "}}";
  ASSERT_TRUE(ValidateTemplate(body).ok());
  const auto started = std::chrono::steady_clock::now();
  const Result<std::string> r = RenderTemplate("survey.txt", "en", ctx, {{"en/survey.txt", body}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "en/survey.txt");
  EXPECT_NE(r.error().message.find("could take more than"), std::string::npos) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));

  // Three levels of the same lists (1331 passes) render in full.
  std::string small = "{{#l0}}{{#l1}}{{#l2}}{{v}}{{/l2}}{{/l1}}{{/l0}}";
  const Result<std::string> ok = RenderTemplate("survey.txt", "en", ctx, {{"en/survey.txt", small}});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*ok, std::string(1331, 'x'));
}

TEST(TemplateLimitsTest, RenderingIsBoundedByOutputSize) {
  // 64 KiB of template text repeated over 100 records: 6.4 MB, past the 2 MiB cap.
  TemplateContext ctx;
  for (int i = 0; i < 100; ++i) ctx.AddItem("rows", {{"v", "x"}});
  const std::string body = "{{#rows}}" + std::string(kTemplateMaxBytes - 40, 'y') + "{{/rows}}";
  ASSERT_TRUE(ValidateTemplate(body).ok());
  const Result<std::string> r = RenderTemplate("survey.txt", "en", ctx, {{"en/survey.txt", body}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bytes to render"), std::string::npos) << r.error().message;
  // A long value escaped in HTML counts six bytes per byte: 400 KB of '"' is 2.4 MB escaped.
  TemplateContext quoted;
  quoted.Set("first_name", std::string(400'000, '"'));
  EXPECT_FALSE(RenderTemplate("survey.html", "en", quoted, {{"en/survey.html", "{{first_name}}"}}).ok());
  EXPECT_TRUE(RenderTemplate("survey.txt", "en", quoted, {{"en/survey.txt", "{{first_name}}"}}).ok());
}

// Complete locales: a shipped language is a folder of templates (templates/<lang>/), and each
// must hold every template any language has, so no customer sees a page or mail fall back to
// another language; every HTML template names its language and direction.
TEST(TemplatesTest, EveryTemplateExistsInEveryShippedLanguage) {
  std::set<std::string> languages, names;
  for (const auto& [key, body] : BuiltinTemplates()) {
    const size_t slash = key.find('/');
    ASSERT_NE(slash, std::string::npos) << key;
    languages.insert(key.substr(0, slash));
    names.insert(key.substr(slash + 1));
  }
  EXPECT_TRUE(languages.count("en") && languages.count("de")) << "en and de are shipped";
  for (const auto& lang : languages) {
    for (const auto& name : names) {
      auto it = BuiltinTemplates().find(lang + "/" + name);
      if (it == BuiltinTemplates().end()) {
        ADD_FAILURE() << "templates/" << lang << "/" << name << ".mustache is missing";
        continue;
      }
      if (name.size() > 5 && name.substr(name.size() - 5) == ".html") {
        EXPECT_NE(it->second.find("<html lang=\"" + lang + "\" dir=\""), std::string::npos)
            << lang << "/" << name << " names its language and direction";
      }
    }
  }
}

TEST(TemplateScanTest, ATopLevelVariableIsOneOutsideEverySection) {
  EXPECT_TRUE(HasTopLevelVariable("a {{reward_disclosure}} b", "reward_disclosure"));
  EXPECT_TRUE(HasTopLevelVariable("a {{ reward_disclosure }}", "reward_disclosure"));
  EXPECT_TRUE(HasTopLevelVariable("{{{reward_disclosure}}}", "reward_disclosure"));
  EXPECT_TRUE(HasTopLevelVariable("{{& reward_disclosure}}", "reward_disclosure"));
  EXPECT_TRUE(HasTopLevelVariable("{{#x}}y{{/x}} {{reward_disclosure}}", "reward_disclosure"));
  EXPECT_TRUE(HasTopLevelVariable("{{=<% %>=}}<%reward_disclosure%>", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("reward_disclosure", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("{{#x}}{{reward_disclosure}}{{/x}}", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("{{^x}}{{reward_disclosure}}{{/x}}", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("{{! reward_disclosure}}", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("{{#reward_disclosure}}x{{/reward_disclosure}}", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("{{=<% %>=}}{{reward_disclosure}}", "reward_disclosure"));
  EXPECT_FALSE(HasTopLevelVariable("{{reward_disclosure_x}}", "reward_disclosure"));
}

TEST(TemplatesTest, TheBuiltInShareTextsDiscloseTheReward) {
  for (const std::string locale : {"en", "de"}) {
    EXPECT_TRUE(HasTopLevelVariable(BuiltinTemplates().at(locale + "/share.txt"), "reward_disclosure"))
        << locale;
  }
}

}  // namespace
}  // namespace vouch::delivery
