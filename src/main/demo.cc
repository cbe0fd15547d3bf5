// The demo shop: a few weeks of simulated history so a newcomer sees every report filled in.
#include <random>

#include <fmt/format.h>

#include "main/commands.h"

namespace vouch::main {
namespace {

constexpr const char* kDemoName = "Trail Shop (demo)";
constexpr int kDays = 56;

const char* kFirst[] = {"Anna", "Ben", "Clara", "David", "Emma", "Felix",  "Greta", "Hannah", "Jonas",
                        "Lena", "Max", "Mia",   "Noah",  "Paul", "Sophie", "Tim",   "Zoë",    "Jürgen"};
const char* kLast[] = {"Schmidt", "Müller", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Koch"};
const char* kCategories[] = {"shoes", "jackets", "backpacks", "tents"};

// A plausible mix: mostly promoters, some passives, a tail of detractors.
int DrawScore(std::mt19937& rng) {
  static const int kWeights[11] = {2, 1, 1, 2, 2, 4, 6, 10, 14, 22, 26};
  std::discrete_distribution<int> d(std::begin(kWeights), std::end(kWeights));
  return d(rng);
}

}  // namespace

Result<app::CreatedShop> SeedDemo(store::Store& store, const Config& config, const std::string& secret) {
  app::AppConfig ac;
  ac.public_url = config.public_url;
  ac.mail_from = config.mail_from;

  SystemClock real;
  const Instant now = real.Now();
  FakeClock clock(DayStart(DayNumber(now) - kDays) + std::chrono::hours{9});
  app::App app(store, clock, ac, secret);

  // Idempotent: a demo shop that exists keeps its data; it only gets a fresh key to print.
  auto shops = app.shops().List();
  if (!shops) return shops.error();
  for (const auto& s : *shops) {
    if (s.name == kDemoName) {
      auto key = app.shops().RotateApiKey(s.id);
      if (!key) return key.error();
      return app::CreatedShop{s, *key};
    }
  }
  auto created = app.shops().Create(kDemoName, "https://trail.example");
  if (!created) return created.error();
  app::SettingsPatch patch;
  patch.survey_delay_seconds = 2 * 86400;
  auto updated = app.shops().UpdateSettings(created->shop.id, patch);
  if (!updated) return updated.error();

  auto make_senders = MakeSenders(config, clock);
  if (!make_senders) return make_senders.error();
  jobs::Worker worker(app, *make_senders, jobs::WorkerOptions{});
  delivery::Senders senders = (*make_senders)();

  std::mt19937 rng(20261127);
  std::vector<std::string> codes;
  int order_no = 1000, customer_no = 1;
  for (int day = 0; day < kDays; ++day) {
    clock.Set(DayStart(DayNumber(now) - kDays + day) + std::chrono::hours{9});
    const int orders_today = 3 + static_cast<int>(rng() % 5);
    for (int k = 0; k < orders_today; ++k) {
      app::OrderInput o;
      o.external_id = std::to_string(++order_no);
      o.created_at = clock.Now() + std::chrono::minutes{static_cast<int>(rng() % 480)};
      o.currency = "EUR";
      o.total_minor = 2000 + static_cast<int64_t>(rng() % 15000);
      const int c = customer_no++;
      o.customer.external_id = fmt::format("c-{}", c);
      o.customer.first_name = kFirst[rng() % std::size(kFirst)];
      o.customer.last_name = kLast[rng() % std::size(kLast)];
      o.customer.email = fmt::format("customer{}@example.com", c);
      o.customer.locale = rng() % 3 == 0 ? "de" : "en";
      const std::string category = kCategories[rng() % std::size(kCategories)];
      o.items.push_back(
          store::LineItem{fmt::format("p-{}", rng() % 40), "Demo product", category, 1, o.total_minor});
      // Some new customers come through a promoter's code.
      if (!codes.empty() && rng() % 4 == 0) {
        const std::string& code = codes[rng() % codes.size()];
        o.discount_codes.push_back(code);
        // The friend came through the share link; some friends look more than once.
        for (int v = 0; v < 1 + static_cast<int>(rng() % 3); ++v) {
          auto visit = app.shares().Visit(code, fmt::format("demo-{}", v));
          if (!visit) return visit.error();
        }
      }
      auto r = app.ingest().Order(*updated, o);
      if (!r) return r.error();
    }
    // Let a few hours pass, send what is due, then let some customers answer.
    clock.Set(clock.Now() + std::chrono::hours{10});
    while (worker.RunOnce(senders) > 0) {
    }
    clock.Set(clock.Now() + std::chrono::hours{2});
    auto sent = app.outbox().List(created->shop.id, store::JobStatus::kDone, 1000);
    if (!sent) return sent.error();
    for (const auto& job : *sent) {
      if (job.kind != store::JobKind::kSurvey || !job.finished_at) continue;
      if (DayNumber(*job.finished_at) != DayNumber(clock.Now())) continue;
      if (rng() % 100 >= 65) continue;  // 65% answer
      auto view = app.answers().RecordClick(app.links().SurveyToken(job.ref_id), DrawScore(rng), "GET",
                                            "Mozilla/5.0 (demo browser)");
      if (!view) return view.error();
      if (view->code) codes.push_back(view->code->code);
      if (view->survey.score && *view->survey.score <= 6 && rng() % 2 == 0) {
        auto s = app.answers().SaveComment(app.links().SurveyToken(job.ref_id),
                                           "Delivery took longer than promised.");
        if (!s) return s.error();
      }
    }
    clock.Set(clock.Now() + std::chrono::minutes{1});
    while (worker.RunOnce(senders) > 0) {
    }
  }
  // From now on the demo shop surveys at once, so a newcomer's first order shows the whole loop.
  app::SettingsPatch now_patch;
  now_patch.survey_delay_seconds = 0;
  auto final_shop = app.shops().UpdateSettings(created->shop.id, now_patch);
  if (!final_shop) return final_shop.error();
  return app::CreatedShop{*final_shop, created->api_key};
}

}  // namespace vouch::main
