// Mails built by Messages::Build with their bodies filled from a skeleton per shape
// (delivery::RenderTemplateFilled) against the same mails fully rendered (under
// delivery::ScopedFullRender), on every store: the survey, reminder, activation, reward and
// coupon-leak mails, in English, German, Austrian German, a locale without templates and none,
// with and without a shop's overrides, with values holding < > & " ' and line breaks, greeted by
// name and neutrally, from the first build of a shape (the skeleton) and from later ones.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/store_app_test.h"
#include "delivery/templates.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::seconds;

constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
constexpr const char* kShopName = "Trail & Co <Outdoor> \"Shoes\" 'n' more";

class MessageFillTest : public StoreAppTest {
 protected:
  MessageFillTest()
      : StoreAppTest(FromUnixMillis(1'795'600'000'000),
                     AppConfig{"https://vouch.test", "hello@trail.example"}) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto shop = app_->shops().Create(kShopName, "https://trail.example/?a=1&b=2");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
    SettingsPatch p;
    p.reward_hold_seconds = 0;
    p.contact_email = "owner@trail.example";
    p.coupon_leak_buyers = 2;
    auto s = app_->shops().UpdateSettings(shop_.id, p);
    ASSERT_TRUE(s.ok()) << s.error().message;
    shop_ = *s;
  }

  std::vector<store::Job> JobsOf(store::JobKind kind) {
    auto jobs = store_->Read<std::vector<store::Job>>(
        [&](store::ReadTx& tx) { return tx.jobs().List(shop_.id, std::nullopt, 1000); });
    EXPECT_TRUE(jobs.ok());
    std::vector<store::Job> out;
    for (const auto& j : jobs.ok() ? *jobs : std::vector<store::Job>{}) {
      if (j.kind == kind) out.push_back(j);
    }
    return out;
  }

  // An order by `customer` in `locale`, greeted as `first_name`; returns its survey.
  store::Id Order(const std::string& id, const std::string& customer, const std::string& locale,
                  const std::string& first_name, const std::vector<std::string>& codes = {}) {
    OrderInput o = SampleOrder(id, customer, clock_.Now());
    o.customer.locale = locale;
    o.customer.first_name = first_name;
    o.discount_codes = codes;
    auto r = app_->ingest().Order(shop_, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, id); });
    EXPECT_TRUE(order.ok() && order->has_value());
    return order.ok() && order->has_value() && (*order)->survey_id ? *(*order)->survey_id : 0;
  }

  // Builds `job` filled (twice: skeleton, then fill) and fully; expects the same mail. Returns it.
  delivery::MailMessage ExpectSameMail(const store::Job& job) {
    auto full = [&] {
      delivery::ScopedFullRender scope;
      return app_->messages().Build(job);
    }();
    EXPECT_TRUE(full.ok()) << full.error().message;
    if (!full.ok() || !full->message) {
      ADD_FAILURE() << "no mail: " << (full.ok() ? full->skip_reason : full.error().message);
      return {};
    }
    const auto& want = std::get<delivery::MailMessage>(*full->message);
    for (int pass = 0; pass < 2; ++pass) {
      auto filled = app_->messages().Build(job);
      EXPECT_TRUE(filled.ok() && filled->message) << "job " << job.id;
      if (!filled.ok() || !filled->message) return {};
      const auto& got = std::get<delivery::MailMessage>(*filled->message);
      EXPECT_EQ(got.subject, want.subject) << "job " << job.id << " pass " << pass;
      EXPECT_EQ(got.text, want.text) << "job " << job.id << " pass " << pass;
      EXPECT_EQ(got.html, want.html) << "job " << job.id << " pass " << pass;
      EXPECT_EQ(got.message_id, want.message_id);
      EXPECT_EQ(got.to_address, want.to_address);
    }
    return want;
  }

  // Every mail the shop's jobs owe now, each filled against fully rendered; how many.
  int ExpectSameMails(store::JobKind kind) {
    int n = 0;
    for (const auto& job : JobsOf(kind)) {
      ExpectSameMail(job);
      ++n;
    }
    return n;
  }

  void Override(const std::string& key, const std::string& body) {
    auto s = app_->templates().Put(shop_.id, key, body);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  // Every survey job's mail and its reminder's, filled against fully rendered.
  void SurveysAndReminders(bool builtin) {
    SCOPED_TRACE(builtin ? "built-in" : "overrides");
    for (const auto& job : JobsOf(store::JobKind::kSurvey)) {
      const delivery::MailMessage mail = ExpectSameMail(job);
      store::Job reminder = job;
      reminder.kind = store::JobKind::kReminder;
      const delivery::MailMessage again = ExpectSameMail(reminder);
      EXPECT_NE(mail.html, again.html) << "the reminder takes its own section";
      if (builtin) {
        EXPECT_NE(mail.html.find("Trail &amp; Co &lt;Outdoor&gt; &quot;Shoes&quot;"), std::string::npos)
            << mail.html;
      }
    }
  }

  // Overrides with sections, comments, raw and escaped values, standalone and inline tags.
  void PutOverrides() {
    Override(
        "en/survey.html",
        "<p>{{#first_name}}Hi {{first_name}},{{/first_name}}{{^first_name}}Hello,{{/first_name}}</p>\n"
        "  {{#reminder}}\n<b>again</b> {{{shop_name}}}\n  {{/reminder}}\n"
        "{{#buttons}}<a href=\"{{url}}\">{{score}}</a>{{/buttons}}\n{{unsubscribe_url}} & {{shop_url}}\n");
    Override("en/survey.txt",
             "{{! a comment }}\nHi {{{first_name}}}\n\n{{question}}\n{{#buttons}}\n{{url}}\n{{/buttons}}\n");
    Override("de/activation.html",
             "{{shop_name}} <i>{{code}}</i>\n{{#expires_on}}\nbis {{expires_on}}\n{{/expires_on}}\n"
             "{{share_url}} {{{offer_text}}}\n");
    Override("en/reward.txt",
             "{{reward_code}} {{reward_amount}}\n{{#code}}{{code}} {{share_url}}{{/code}}\n");
    Override("en/coupon_leak.html",
             "<p>{{code}} {{buyers_without_visit}}/{{threshold}}</p>\n{{paused_at}}\n");
  }

  store::Shop shop_;
};

TEST_P(MessageFillTest, EveryMailFilledIsByteForByteTheFullRender) {
  const std::vector<std::string> locales = {"en", "de", "de-AT", "fr", ""};
  const std::vector<std::string> names = {"Anna <&> \"A\" 'a'", ""};
  std::vector<store::Id> surveys;
  int i = 0;
  for (const auto& locale : locales) {
    for (const auto& name : names) {
      const std::string c = "c" + std::to_string(i);
      surveys.push_back(Order("o-" + std::to_string(i), c, locale, name));
      ++i;
    }
  }
  ASSERT_EQ(JobsOf(store::JobKind::kSurvey).size(), surveys.size());
  clock_.Advance(days{3} + seconds{1});
  for (store::Id s : surveys) {
    ASSERT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(s, clock_.Now()); }).ok());
  }

  // The survey mail and its reminder (an unanswered survey), in every locale; then under the
  // shop's overrides: other bodies, their own skeletons, still the same bytes.
  SurveysAndReminders(true);
  PutOverrides();
  SurveysAndReminders(false);

  // Everyone answers 10: an activation mail each, then friends' orders: rewards and a leak.
  clock_.Advance(seconds{60});
  std::string code;
  for (store::Id s : surveys) {
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(s), 10, "GET", kBrowser);
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(v->code.has_value());
    if (code.empty()) code = v->code->code;
  }
  clock_.Advance(days{1});
  Order("f-1", "friend1", "de", "Bob\nZwei", {code});
  Order("f-2", "friend2", "en", "Carl", {code});
  for (bool overridden : {true, false}) {
    SCOPED_TRACE(overridden ? "overrides" : "built-in");
    EXPECT_EQ(ExpectSameMails(store::JobKind::kActivation), static_cast<int>(surveys.size()));
    EXPECT_GE(ExpectSameMails(store::JobKind::kReward), 1);
    ASSERT_EQ(JobsOf(store::JobKind::kCouponLeak).size(), 1u);
    const delivery::MailMessage leak = ExpectSameMail(JobsOf(store::JobKind::kCouponLeak)[0]);
    EXPECT_EQ(leak.html.find("<p>" + code + " "), overridden ? 0u : std::string::npos) << leak.html;
    if (!overridden) break;
    for (const char* key :
         {"en/survey.html", "en/survey.txt", "de/activation.html", "en/reward.txt", "en/coupon_leak.html"}) {
      ASSERT_TRUE(app_->templates().Delete(shop_.id, key).ok());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, MessageFillTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
