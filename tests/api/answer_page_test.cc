// The answer page (GET /s/{token}/{score}) as the I/O thread renders it, through
// RenderTemplateFilled (once per shape, filled per click), against a full render of the same
// values: every state, shop and locale byte for byte, and every input shows in the output.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "api/pages.h"
#include "delivery/templates.h"

namespace vouch::api {
namespace {

constexpr const char* kPublicUrl = "https://vouch.test";
constexpr const char* kToken = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

std::string Full(const app::AnswerView& v, std::string_view token = kToken, bool saved = false,
                 std::string_view url = kPublicUrl) {
  auto r = delivery::RenderTemplate("page_answer.html", v.locale, AnswerPageContext(url, v, token, saved));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "";
}

std::string Filled(const app::AnswerView& v, std::string_view token = kToken, bool saved = false,
                   std::string_view url = kPublicUrl) {
  auto r =
      delivery::RenderTemplateFilled("page_answer.html", v.locale, AnswerPageContext(url, v, token, saved));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : "";
}

app::AnswerView Promoter() {
  app::AnswerView v;
  v.shop.id = 1;
  v.shop.name = "Trail & Co <Outdoor> \"Shoes\" 'n' more";
  v.shop.url = "https://trail.example/?a=1&b=<2>";
  v.locale = "en";
  v.survey.score = 9;
  v.survey.answer_state = store::AnswerState::kCounted;
  v.survey.answered_at = FromUnixMillis(1'764'000'000'000);
  store::ReferralCode code;
  code.code = "ANNA-<&>\"'";
  v.code = code;
  v.share.share_url = "https://vouch.test/r/ANNA?x=<1>&y='2'";
  v.share.whatsapp_url = "https://wa.me/?text=\"hi\"&x=<1>";
  v.share.x_url = "https://x.com/intent/post?text=a&b='c'";
  v.share.facebook_url = "https://www.facebook.com/sharer/sharer.php?u=<u>";
  v.share.email_url = "mailto:?subject=A&body=\"B\"";
  v.offer_text = "Give 15% <off> & \"get\" €10 'each'";
  return v;
}

// Every state a click can show: counted, suspect (a scanner's click), confirmed, locked, a
// passive or detractor without a code, a comment saved or not, the first visit without a score.
std::vector<app::AnswerView> States() {
  std::vector<app::AnswerView> out;
  for (int score : {0, 6, 7, 8, 9, 10}) {
    for (auto state :
         {store::AnswerState::kCounted, store::AnswerState::kSuspect, store::AnswerState::kConfirmed}) {
      for (bool locked : {false, true}) {
        app::AnswerView v = Promoter();
        v.survey.score = score;
        v.survey.answer_state = state;
        v.locked = locked;
        if (score < 9) v.code.reset();
        out.push_back(v);
        v.survey.comment = "<b>bad</b> & \"worse\" 'yes'\nline two\x01";
        out.push_back(v);
      }
    }
  }
  app::AnswerView none = Promoter();
  none.survey.score.reset();
  none.survey.answer_state = store::AnswerState::kNone;
  none.survey.answered_at.reset();
  none.code.reset();
  out.push_back(none);
  return out;
}

TEST(AnswerPageTest, EveryStateShopAndLocaleFillsToTheFullRender) {
  const std::vector<std::string> shops = {"Trail Shop", "Läden <&> \"Süd\"", "O'Brien's"};
  int compared = 0;
  for (const char* locale : {"en", "de", "de-AT", "fr"}) {
    for (const std::string& shop : shops) {
      for (app::AnswerView v : States()) {
        v.locale = locale;
        v.shop.name = shop;
        for (bool saved : {false, true}) {
          for (std::string_view token : {std::string_view(kToken), std::string_view("x<y>&z")}) {
            // The first fill of a shape builds its skeleton, the second fills it.
            const std::string full = Full(v, token, saved);
            ASSERT_EQ(Filled(v, token, saved), full) << locale << " " << shop << " " << compared;
            ASSERT_EQ(Filled(v, token, saved), full) << locale << " " << shop << " " << compared;
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

TEST(AnswerPageTest, EveryInputThatChangesThePageChangesTheFilledPage) {
  const app::AnswerView base = Promoter();
  const std::string before = Filled(base);
  ASSERT_EQ(before, Full(base));
  // Each edit of one input: the filled page differs from before and equals a full render.
  const std::vector<std::pair<std::string, std::function<void(app::AnswerView&)>>> edits = {
      {"shop name", [](app::AnswerView& v) { v.shop.name = "Renamed <Shop>"; }},
      {"shop url", [](app::AnswerView& v) { v.shop.url = "https://elsewhere.example/"; }},
      {"locale", [](app::AnswerView& v) { v.locale = "de"; }},
      {"score", [](app::AnswerView& v) { v.survey.score = 10; }},
      {"state", [](app::AnswerView& v) { v.survey.answer_state = store::AnswerState::kSuspect; }},
      {"locked", [](app::AnswerView& v) { v.locked = true; }},
      {"comment", [](app::AnswerView& v) { v.survey.comment = "Great & fast"; }},
      {"code", [](app::AnswerView& v) { v.code->code = "BEN-2"; }},
      {"no code", [](app::AnswerView& v) { v.code.reset(); }},
      {"offer (settings, experiment)", [](app::AnswerView& v) { v.offer_text = "Give 20% off"; }},
      {"share link", [](app::AnswerView& v) { v.share.share_url = "https://vouch.test/r/OTHER"; }},
      {"whatsapp", [](app::AnswerView& v) { v.share.whatsapp_url = "https://wa.me/?text=other"; }},
      {"x", [](app::AnswerView& v) { v.share.x_url = "https://x.com/intent/post?text=other"; }},
      {"facebook", [](app::AnswerView& v) { v.share.facebook_url = "https://facebook.example/other"; }},
      {"email share", [](app::AnswerView& v) { v.share.email_url = "mailto:?subject=other"; }},
  };
  for (const auto& [what, edit] : edits) {
    app::AnswerView v = base;
    edit(v);
    const std::string after = Filled(v);
    EXPECT_NE(after, before) << what;
    EXPECT_EQ(after, Full(v)) << what;
    EXPECT_EQ(Filled(base), before) << what << ": the earlier page is still right";
  }
  // The day of the answer shows on a locked page.
  app::AnswerView locked = base;
  locked.locked = true;
  app::AnswerView earlier = locked;
  earlier.survey.answered_at = FromUnixMillis(1'700'000'000'000);
  EXPECT_NE(Filled(earlier), Filled(locked)) << "answered on";
  EXPECT_EQ(Filled(earlier), Full(earlier));
  EXPECT_NE(Filled(base, "OtherToken"), before) << "token";
  EXPECT_EQ(Filled(base, "OtherToken"), Full(base, "OtherToken"));
  EXPECT_NE(Filled(base, kToken, true), before) << "comment saved";
  EXPECT_NE(Filled(base, kToken, false, "https://other.test"), before) << "public url";
  EXPECT_EQ(Filled(base, kToken, false, "https://other.test"),
            Full(base, kToken, false, "https://other.test"));
}

TEST(AnswerPageTest, ValuesAreEscapedAsTheRendererEscapesThem) {
  app::AnswerView v = Promoter();
  v.shop.name = "<>&\"'";
  const std::string page = Filled(v);
  EXPECT_EQ(page, Full(v));
  EXPECT_EQ(page.find("<>&\"'"), std::string::npos);
  EXPECT_NE(page.find("&lt;&gt;&amp;&quot;&apos;"), std::string::npos);
}

}  // namespace
}  // namespace vouch::api
