// The demo shop: six months of simulated history so a newcomer sees a living program on the
// dashboard: a few thousand customers, seasonal NPS with a dip the month the carrier changed,
// comments in English and German, detractors followed up (most resolved, recent ones open),
// referrals (some rejected: self-referrals and existing customers; friends who became promoters
// bring a second generation) and their rewards, an influencer campaign with its code, an offer
// experiment running for the last two months (a bigger friend discount, which friends take up
// more often), and a demo admin user. Everything goes through the use cases, so the data is what real traffic
// makes; the day's orders go in as one batch (the set path).
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/password.h"
#include "core/experiments.h"
#include "main/commands.h"
#include "main/demo_texts.h"

namespace vouch::main {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* kDemoName = "Trail Shop (demo)";
constexpr int kDays = 182;
constexpr int kDipFrom = 75, kDipTo = 105;   // days into the history: the carrier's bad month
constexpr int kCampaignFrom = 120;           // the influencer's campaign starts
constexpr int kExperimentFrom = kDays - 60;  // the offer experiment starts 60 days before today

struct Person {
  std::string id, email, first, last, locale;
};

struct Promoter {
  std::string code;
  size_t person = 0;  // index into the customers
  int variant = -1;   // the offer experiment's variant; -1: not in it
};

// The demo's offer experiment: the shop's own offer against a bigger friend discount.
app::ExperimentInput DemoExperiment() {
  app::ExperimentInput in;
  in.name = "Bigger friend discount";
  in.metric = "referred_orders";
  in.minimum_effect = 0.05;
  in.window_days = 14;
  in.variants = {{"Our offer", "percent", 15, 1000, ""}, {"25% for friends", "percent", 25, 1000, ""}};
  return in;
}

template <class Array>
const char* Pick(std::mt19937& rng, const Array& a) {
  return a[rng() % a.size()];
}

// Mostly promoters, some passives, a tail of detractors; in the dip, many more detractors.
int DrawScore(std::mt19937& rng, bool dip) {
  static const int kWeights[11] = {2, 1, 1, 2, 2, 4, 6, 10, 14, 22, 26};
  static const int kDipWeights[11] = {6, 4, 5, 6, 6, 8, 9, 12, 12, 14, 14};
  std::discrete_distribution<int> d(std::begin(dip ? kDipWeights : kWeights),
                                    std::end(dip ? kDipWeights : kWeights));
  return d(rng);
}

// A comment in the customer's language for the score, or none.
std::string DrawComment(std::mt19937& rng, int score, bool german, bool dip) {
  using namespace demo;
  if (score <= 6) {
    if (rng() % 10 >= 7) return "";
    if (dip && rng() % 3 != 0) return german ? Pick(rng, kDipDe) : Pick(rng, kDipEn);
    return german ? Pick(rng, kDetractorDe) : Pick(rng, kDetractorEn);
  }
  if (score <= 8) {
    if (rng() % 10 >= 3) return "";
    return german ? Pick(rng, kPassiveDe) : Pick(rng, kPassiveEn);
  }
  if (rng() % 10 >= 4) return "";
  return german ? Pick(rng, kPromoterDe) : Pick(rng, kPromoterEn);
}

struct Detractor {
  store::Id survey = 0;
  Instant answered{};
};

// Owners, notes and resolutions: older detractors mostly resolved within hours to days, the
// last ten days' mostly still open.
Status FollowUp(app::App& app, FakeClock& clock, store::Id shop, const std::vector<Detractor>& detractors,
                Instant now, std::mt19937& rng) {
  using namespace demo;
  for (const auto& d : detractors) {
    const bool recent = now - d.answered < days{10};
    const int roll = static_cast<int>(rng() % 10);
    if (recent && roll >= 5) continue;  // nobody has looked yet
    clock.Set(d.answered + hours{1 + static_cast<int>(rng() % 20)});
    app::FollowupPatch patch;
    patch.owner = Pick(rng, kOwners);
    if (recent || roll >= 8) {
      patch.note = Pick(rng, kOpenNotes);
      auto f = app.followups().Update(shop, d.survey, patch);
      if (!f) return f.error();
      continue;
    }
    auto f = app.followups().Update(shop, d.survey, patch);
    if (!f) return f.error();
    clock.Set(clock.Now() + hours{2 + static_cast<int>(rng() % 70)});
    app::FollowupPatch done;
    done.note = Pick(rng, kResolvedNotes);
    done.resolved = true;
    f = app.followups().Update(shop, d.survey, done);
    if (!f) return f.error();
  }
  return OkStatus();
}

}  // namespace

Result<DemoSeed> SeedDemo(store::Store& store, const Config& config, const std::string& secret) {
  using namespace demo;
  app::AppConfig ac;
  ac.public_url = config.public_url;
  ac.mail_from = config.mail_from;

  SystemClock real;
  const Instant now = real.Now();
  const int64_t today = DayNumber(now);
  FakeClock clock(DayStart(today - kDays) + hours{9});
  app::App app(store, clock, ac, secret);

  // Idempotent: a demo shop that exists keeps its data (and its demo user, whose password was
  // printed when it was made); it only gets a fresh key to print.
  auto shops = app.shops().List();
  if (!shops) return shops.error();
  for (const auto& s : *shops) {
    if (s.name == kDemoName) {
      auto key = app.shops().RotateApiKey(s.id);
      if (!key) return key.error();
      return DemoSeed{app::CreatedShop{s, *key}, std::nullopt};
    }
  }
  auto created = app.shops().Create(kDemoName, "https://trail.example");
  if (!created) return created.error();
  app::SettingsPatch patch;
  patch.survey_delay_seconds = 2 * 86400;
  auto shop = app.shops().UpdateSettings(created->shop.id, patch);
  if (!shop) return shop.error();

  auto make_senders = MakeSenders(config, clock);
  if (!make_senders) return make_senders.error();
  jobs::Worker worker(app, *make_senders, jobs::WorkerOptions{});
  delivery::Senders senders = (*make_senders)();
  auto drain = [&] {
    while (worker.RunOnce(senders) > 0) {
    }
  };

  // A paid influencer campaign beside the program (compare/channels): her code brings new
  // customers from day kCampaignFrom on.
  app::CampaignInput campaign{"Lena's trail reel", "influencer", "450.00", {"LENA10"}};
  auto made = app.campaigns().Create(*shop, campaign);
  if (!made) return made.error();
  // The shop's own comment themes (themes/tagged and themes/over-time): the carrier change shows
  // in Delivery's share.
  for (const app::DefinedThemeInput& theme :
       {app::DefinedThemeInput{"Delivery",
                               {"delivery", "parcel", "shipping", "carrier", "arrived", "Lieferung",
                                "Versand", "Paket", "Sendung", "Lieferzeit"}},
        app::DefinedThemeInput{"Quality", {"quality", "fell apart", "comfy", "Qualität", "kaputt", "bequem"}},
        app::DefinedThemeInput{"Service", {"support", "service", "answered", "Kundenservice", "Antwort"}}}) {
    auto t = app.defined_themes().Create(shop->id, theme);
    if (!t) return t.error();
  }
  // Audiences to cut every report by (no gate, no offer: the history is the same without them).
  app::AudienceInput germans;
  germans.name = "German speakers";
  germans.locales = {"de"};
  app::AudienceInput campers;
  campers.name = "Campers";
  campers.categories = {"tents", "backpacks"};
  app::AudienceInput big;
  big.name = "Big baskets (120 EUR and more)";
  big.min_order_minor = 12000;
  for (const auto& audience : {germans, campers, big}) {
    auto a = app.audiences().Create(*shop, audience);
    if (!a) return a.error();
  }

  std::mt19937 rng(20261127);
  // Draws for the experiment alone, so the rest of the history is what it was without it.
  std::mt19937 offer_rng(16);
  std::optional<store::Experiment> experiment;
  std::vector<Person> people;
  std::vector<Promoter> promoters;
  std::vector<Detractor> detractors;
  int order_no = 10000;
  for (int day = 0; day < kDays; ++day) {
    const Instant morning = DayStart(today - kDays + day) + hours{9};
    clock.Set(morning);
    const bool weekend = (today - kDays + day + 3) % 7 >= 5;  // 1970-01-01 was a Thursday
    const bool dip = day >= kDipFrom && day < kDipTo;
    if (day == kExperimentFrom) {
      auto e = app.experiments().Create(*shop, DemoExperiment());
      if (!e) return e.error();
      experiment = std::move(*e);
    }
    // Busier at weekends and towards the end (the season), a little noise.
    const int n = 11 + (weekend ? 6 : 0) + day / 25 + static_cast<int>(rng() % 6);
    std::vector<app::OrderInput> orders;
    for (int k = 0; k < n; ++k) {
      app::OrderInput o;
      o.external_id = std::to_string(++order_no);
      o.created_at = morning + minutes{static_cast<int>(rng() % 600)};
      o.currency = "EUR";
      o.total_minor = 2000 + static_cast<int64_t>(rng() % 18000);
      const bool again = people.size() > 50 && rng() % 7 == 0;
      const bool self_referral = !promoters.empty() && rng() % 90 == 0;
      size_t who = 0;
      if (self_referral) {
        const Promoter& p = promoters[rng() % promoters.size()];
        who = p.person;
        o.discount_codes.push_back(p.code);  // rejected: the promoter's own code
      } else if (again) {
        who = rng() % people.size();
        // Rejected too: a referral is for new customers.
        if (!promoters.empty() && rng() % 12 == 0)
          o.discount_codes.push_back(promoters[rng() % promoters.size()].code);
      } else {
        who = people.size();
        const int c = static_cast<int>(people.size()) + 1;
        const bool german = rng() % 3 == 0;
        people.push_back(Person{fmt::format("c-{}", c), fmt::format("customer{}@example.com", c),
                                Pick(rng, kFirst), Pick(rng, kLast), german ? "de" : "en"});
        // Some new customers come through a promoter's share link and code, a few (once the
        // campaign runs) with the influencer's.
        if (day >= kCampaignFrom && rng() % 14 == 0) {
          o.discount_codes.push_back("LENA10");
        } else if (!promoters.empty() && rng() % 5 == 0) {
          size_t pick = rng() % promoters.size();
          // Friends of the experiment's control promoters take up the offer less often.
          if (promoters[pick].variant == 0 && offer_rng() % 2 == 0) pick = offer_rng() % promoters.size();
          const std::string& code = promoters[pick].code;
          o.discount_codes.push_back(code);
          for (int v = 0; v < 1 + static_cast<int>(rng() % 3); ++v) {
            // One visitor each: visits from one client count once a day.
            auto visit = app.shares().Visit(code, fmt::format("demo-{}-{}", people.size(), v));
            if (!visit) return visit.error();
          }
        }
      }
      const Person& p = people[who];
      o.customer.external_id = p.id;
      o.customer.email = p.email;
      o.customer.first_name = p.first;
      o.customer.last_name = p.last;
      o.customer.locale = p.locale;
      o.items.push_back(store::LineItem{fmt::format("p-{}", rng() % 40), "Demo product",
                                        Pick(rng, kCategories), 1, o.total_minor});
      orders.push_back(std::move(o));
    }
    for (const auto& r : app.ingest().Batch(*shop, orders)) {
      if (!r) return r.error();
    }
    // Later that day: send what is due, then some customers answer.
    clock.Set(morning + hours{10});
    drain();
    clock.Set(morning + hours{12});
    auto sent = app.outbox().List(shop->id, store::JobStatus::kDone, 1000);
    if (!sent) return sent.error();
    for (const auto& job : *sent) {
      if (job.kind != store::JobKind::kSurvey || !job.finished_at) continue;
      if (DayNumber(*job.finished_at) != DayNumber(clock.Now())) continue;
      if (rng() % 100 >= 62) continue;  // 62 % answer
      clock.Set(clock.Now() + minutes{1});
      const std::string token = app.links().SurveyToken(job.ref_id);
      auto view = app.answers().RecordClick(token, DrawScore(rng, dip), "GET", "Mozilla/5.0 (demo browser)");
      if (!view) return view.error();
      if (!view->survey.score) continue;
      const int score = *view->survey.score;
      auto customer = store.ReadOne<std::optional<store::Customer>>(
          [&](store::ReadTx& tx) { return tx.customers().Get(view->survey.customer_id); });
      if (!customer) return customer.error();
      const bool german = *customer && (*customer)->locale == "de";
      if (view->code && *customer) {
        for (size_t i = people.size(); i-- > 0;) {  // newest first: most answers are recent
          if (people[i].id == (*customer)->external_id) {
            const bool in_experiment = experiment && view->code->created_at >= experiment->created_at;
            promoters.push_back(Promoter{
                view->code->code, i,
                in_experiment ? core::AssignVariant(experiment->id, view->survey.customer_id, 2) : -1});
            break;
          }
        }
      }
      const std::string comment = DrawComment(rng, score, german, dip);
      if (!comment.empty()) {
        auto s = app.answers().SaveComment(token, comment);
        if (!s) return s.error();
      }
      if (score <= 6 && view->survey.answered_at)
        detractors.push_back({view->survey.id, *view->survey.answered_at});
    }
    clock.Set(clock.Now() + minutes{1});
    drain();
  }
  VOUCH_TRY(FollowUp(app, clock, shop->id, detractors, now, rng));

  // From now on the demo shop surveys at once, so a newcomer's first order shows the whole loop.
  clock.Set(now);
  app::SettingsPatch now_patch;
  now_patch.survey_delay_seconds = 0;
  auto final_shop = app.shops().UpdateSettings(created->shop.id, now_patch);
  if (!final_shop) return final_shop.error();
  // The demo's password is printed for the newcomer to sign in with: not a one-time password,
  // so the demo sign-in lands straight on the overview.
  const std::string password = NewOneTimePassword();
  auto user = app.users().Create(final_shop->id, kDemoEmail, store::Role::kAdmin, password);
  if (!user) return user.error();
  return DemoSeed{app::CreatedShop{*final_shop, created->api_key}, password};
}

}  // namespace vouch::main
