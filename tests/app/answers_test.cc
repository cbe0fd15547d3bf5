// Answer clicks on every store: the click set (clicks queued by RecordClickAsync, applied with a
// few statements per table) must give each click what the one-by-one path (RecordClick) gives it,
// and a click the database refuses must fail alone.
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "app/store_app_test.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using test::TestDb;

const Instant kNow = FromUnixMillis(1'795'600'000'000);  // 2026-11-24
constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
constexpr const char* kScanner = "Mozilla/5.0 (compatible; Barracuda link check)";

class AnswersTest : public StoreAppTest {
 protected:
  AnswersTest() : StoreAppTest(kNow) {}

  // A shop with one survey per name, keyed by name.
  std::pair<store::Shop, std::map<std::string, store::Id>> ShopWithSurveys(
      const std::string& name, const std::vector<std::string>& orders) {
    auto shop = app_->shops().Create(name, "https://trail.example");
    EXPECT_TRUE(shop.ok());
    std::map<std::string, store::Id> surveys;
    for (const auto& id : orders) {
      OrderInput o = SampleOrder(id, "c-" + id, kNow - days{1});
      if (id == "o2") o.items.front().category = "socks";
      auto r = app_->ingest().Order(shop->shop, o);
      EXPECT_TRUE(r.ok() && r->survey.scheduled);
      auto stored = store_->Read<std::optional<store::Order>>(
          [&](store::ReadTx& tx) { return tx.orders().Find(shop->shop.id, id); });
      EXPECT_TRUE(stored.ok() && stored->has_value() && (*stored)->survey_id);
      surveys[id] = stored.ok() && stored->has_value() && (*stored)->survey_id ? *(*stored)->survey_id : 0;
    }
    return {shop->shop, surveys};
  }

  // Holds the store's writer until the returned function is called, so that clicks queued
  // meanwhile are taken by one click set.
  std::function<void()> HoldWriter() {
    auto gate = std::make_shared<std::latch>(1);
    auto entered = std::make_shared<std::latch>(1);
    store_->WriteAsync(
        [gate, entered](store::Tx&) -> Status {
          entered->count_down();
          gate->wait();
          return OkStatus();
        },
        [](Status) {});
    entered->wait();
    return [gate] { gate->count_down(); };
  }
};

// What a test compares of a click's outcome.
std::string Describe(const Result<AnswerView>& v) {
  if (!v) return "error " + std::to_string(static_cast<int>(v.error().code));
  return "score " + (v->survey.score ? std::to_string(*v->survey.score) : std::string("-")) + " state " +
         store::AnswerStateName(v->survey.answer_state) + " verdict " +
         std::to_string(static_cast<int>(v->verdict)) + (v->locked ? " locked" : "") +
         (v->code ? " code" : "") + " name " + v->first_name + " shop " + v->shop.name.substr(0, 1);
}

TEST_P(AnswersTest, AClickSetGivesEachClickWhatTheOneByOnePathGivesIt) {
  const std::vector<std::string> names = {"o1", "o2", "o3", "o4", "o5", "o6", "o7"};
  auto [set_shop, set_surveys] = ShopWithSurveys("Set", names);
  auto [one_shop, one_surveys] = ShopWithSurveys("One", names);

  // Before: o5 answered 8 days ago (locked now), o7 answered yesterday (its change moves the
  // rollup of yesterday).
  for (auto* surveys : {&set_surveys, &one_surveys}) {
    clock_.Set(kNow - days{8});
    ASSERT_TRUE(
        app_->answers().RecordClick(app_->links().SurveyToken((*surveys)["o5"]), 6, "GET", kBrowser).ok());
    clock_.Set(kNow - days{1});
    ASSERT_TRUE(
        app_->answers().RecordClick(app_->links().SurveyToken((*surveys)["o7"]), 5, "GET", kBrowser).ok());
  }
  clock_.Set(kNow);

  struct Click {
    std::string survey;  // "" = an unknown survey
    int score;
    const char* agent;
  };
  const std::vector<Click> clicks = {
      {"o1", 9, kBrowser}, {"o2", 3, kBrowser}, {"o3", 7, kBrowser},  {"o3", 8, kBrowser},
      {"o4", 9, kScanner}, {"o5", 2, kBrowser}, {"o6", 10, kBrowser}, {"o6", 10, kBrowser},
      {"o7", 9, kBrowser}, {"", 4, kBrowser},   {"o3", 7, kBrowser},  {"o4", 10, kBrowser},
  };
  auto token = [&](std::map<std::string, store::Id>& surveys, const std::string& name) {
    return app_->links().SurveyToken(name.empty() ? 999'999 : surveys[name]);
  };

  std::vector<std::optional<Result<AnswerView>>> in_set(clicks.size());
  {
    auto release = HoldWriter();
    for (size_t i = 0; i < clicks.size(); ++i) {
      app_->answers().RecordClickAsync(
          token(set_surveys, clicks[i].survey), clicks[i].score, "GET", clicks[i].agent,
          [&in_set, i](Result<AnswerView> v) { in_set[i].emplace(std::move(v)); });
    }
    release();
    app_->WaitForAsync();
  }
  for (size_t i = 0; i < clicks.size(); ++i) {
    SCOPED_TRACE("click " + std::to_string(i) + " on " + clicks[i].survey);
    auto one = app_->answers().RecordClick(token(one_surveys, clicks[i].survey), clicks[i].score, "GET",
                                           clicks[i].agent);
    ASSERT_TRUE(in_set[i].has_value());
    std::string set_text = Describe(*in_set[i]), one_text = Describe(one);
    set_text.back() = one_text.back() = '?';  // the shop names differ by design
    EXPECT_EQ(set_text, one_text);
  }

  // The same stored state: surveys, logged clicks, rollups, codes and activation jobs.
  auto stored = [&](store::Id id) {
    return store_->Read<std::string>([&](store::ReadTx& tx) -> Result<std::string> {
      auto s = tx.surveys().Get(id);
      if (!s) return s.error();
      auto logged = tx.surveys().RecentClicks(id, kNow - days{30});
      if (!logged) return logged.error();
      std::string out = std::string(store::AnswerStateName((*s)->answer_state)) + " " +
                        ((*s)->score ? std::to_string(*(*s)->score) : "-") + " answered " +
                        ((*s)->answered_at ? FormatRfc3339(*(*s)->answered_at) : "-") + " clicks";
      for (const auto& c : *logged)
        out += " " + std::to_string(c.score) + "/" + core::ClickVerdictName(c.verdict);
      auto code = tx.referrals().FindCodeByPromoter((*s)->shop_id, (*s)->customer_id);
      if (!code) return code.error();
      return out + (code->has_value() ? " code" : "");
    });
  };
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    auto a = stored(set_surveys[name]);
    auto b = stored(one_surveys[name]);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b);
  }
  auto nps = [&](const store::Shop& shop) {
    auto r = app_->reports().Nps(shop.id, kNow - days{10}, kNow + days{1}, Interval::kDay, std::nullopt);
    EXPECT_TRUE(r.ok());
    std::string out;
    if (!r.ok()) return out;
    for (const auto& b : r->buckets) {
      out += FormatRfc3339(b.start).substr(0, 10) + ":" + std::to_string(b.estimate.promoters) + "/" +
             std::to_string(b.estimate.passives) + "/" + std::to_string(b.estimate.detractors) + " ";
    }
    auto shoes =
        app_->reports().Nps(shop.id, kNow - days{10}, kNow + days{1}, Interval::kDay, std::string("socks"));
    EXPECT_TRUE(shoes.ok());
    if (shoes.ok()) out += "socks n=" + std::to_string(shoes->overall.n);
    return out;
  };
  EXPECT_EQ(nps(set_shop), nps(one_shop));
  EXPECT_NE(nps(set_shop).find("socks n=1"), std::string::npos) << nps(set_shop);
  auto set_jobs = app_->outbox().Counts(set_shop.id);
  auto one_jobs = app_->outbox().Counts(one_shop.id);
  ASSERT_TRUE(set_jobs.ok() && one_jobs.ok());
  EXPECT_EQ(set_jobs->pending, one_jobs->pending);
  EXPECT_EQ(app_->answers().AsyncClicks(), clicks.size());
}

// A click the database refuses rolls the whole set back; its clicks then run one by one, so only
// that click fails, and nothing of it is left behind.
TEST_P(AnswersTest, AClickTheDatabaseRefusesFailsAlone) {
  auto [shop, surveys] = ShopWithSurveys("Trail", {"a", "bad", "b"});
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto refuse =
      GetParam() == "postgres"
          ? (*conn)->Script("ALTER TABLE clicks ADD CONSTRAINT refuse_bad CHECK (user_agent <> 'refuse-me')")
          : (*conn)->Script(
                "CREATE TRIGGER refuse_bad BEFORE INSERT ON clicks "
                "WHEN NEW.user_agent = 'refuse-me' BEGIN SELECT RAISE(ABORT, 'refused'); END");
  ASSERT_TRUE(refuse.ok()) << refuse.error().message;
  std::map<std::string, std::optional<Result<AnswerView>>> got;
  std::mutex mu;
  {
    auto release = HoldWriter();
    for (const std::string name : {"a", "bad", "b"}) {
      app_->answers().RecordClickAsync(app_->links().SurveyToken(surveys[name]), 8, "GET",
                                       name == "bad" ? "refuse-me" : kBrowser,
                                       [&, name](Result<AnswerView> v) {
                                         std::lock_guard lock(mu);
                                         got[name].emplace(std::move(v));
                                       });
    }
    release();
  }
  app_.reset();  // waits for every answer
  ASSERT_EQ(got.size(), 3u);
  ASSERT_TRUE(got["a"]->ok()) << got["a"]->error().message;
  ASSERT_TRUE(got["b"]->ok()) << got["b"]->error().message;
  EXPECT_EQ((*got["a"])->survey.score, 8);
  EXPECT_FALSE(got["bad"]->ok());
  auto bad = store_->Read<std::optional<store::Survey>>(
      [&](store::ReadTx& tx) { return tx.surveys().Get(surveys["bad"]); });
  ASSERT_TRUE(bad.ok() && bad->has_value());
  EXPECT_FALSE((*bad)->score);
  EXPECT_EQ((*bad)->answer_state, store::AnswerState::kNone);
  auto b = store_->Read<std::optional<store::Survey>>(
      [&](store::ReadTx& tx) { return tx.surveys().Get(surveys["b"]); });
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->score, 8);
}

// Bytes that are not UTF-8 in a user agent or a comment are repaired before they are stored:
// on PostgreSQL one such user agent would otherwise fail (and roll back) a whole click set.
TEST_P(AnswersTest, BadBytesInUserAgentsAndCommentsAreRepairedNotStoredOrFailed) {
  std::map<std::string, store::Id> surveys = ShopWithSurveys("Bytes", {"o1", "o2", "o3"}).second;
  const std::string bad_agent = std::string(kBrowser) + " \xff\xfe\xc3";
  std::vector<std::optional<Result<AnswerView>>> got(3);
  {
    auto release = HoldWriter();
    int i = 0;
    for (const std::string id : {"o1", "o2", "o3"}) {
      app_->answers().RecordClickAsync(app_->links().SurveyToken(surveys[id]), 9, "GET",
                                       id == "o2" ? bad_agent : std::string(kBrowser),
                                       [&got, i](Result<AnswerView> v) { got[i].emplace(std::move(v)); });
      ++i;
    }
    release();
    app_->WaitForAsync();
  }
  for (const auto& v : got) {
    ASSERT_TRUE(v.has_value() && v->ok()) << (v && !v->ok() ? v->error().message : "");
    EXPECT_EQ((*v)->survey.score, 9);
  }
  auto clicks = store_->Read<std::vector<store::Click>>(
      [&](store::ReadTx& tx) { return tx.surveys().RecentClicks(surveys["o2"], kNow - days{1}); });
  ASSERT_TRUE(clicks.ok() && clicks->size() == 1u);
  EXPECT_EQ((*clicks)[0].user_agent, std::string(kBrowser) + " \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");

  const std::string token = app_->links().SurveyToken(surveys["o1"]);
  ASSERT_TRUE(app_->answers().SaveComment(token, "gut \xff!").ok());
  auto view = app_->answers().View(token);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->survey.comment, "gut \xEF\xBF\xBD!");
}

INSTANTIATE_TEST_SUITE_P(Stores, AnswersTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
