// Micro-benchmarks of hot pure functions: NPS estimation, code generation, click judging, token
// signing, rendering the answer page and a survey mail's parts (fully, and filled from their
// skeletons).
#include <benchmark/benchmark.h>

#include "api/pages.h"
#include "base/crypto.h"
#include "core/clicks.h"
#include "core/codes.h"
#include "core/nps.h"
#include "delivery/templates.h"

namespace {

void BM_EstimateNps(benchmark::State& state) {
  vouch::core::ScoreCounts c;
  for (int s = 0; s <= 10; ++s) c.Add(vouch::core::Score{s}, 1000 + s);
  for (auto _ : state) benchmark::DoNotOptimize(vouch::core::EstimateNps(c));
}
BENCHMARK(BM_EstimateNps);

void BM_MakeReferralCode(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(vouch::core::MakeReferralCode("Jürgen", 4, vouch::RandomBelow));
  }
}
BENCHMARK(BM_MakeReferralCode);

void BM_JudgeClick(benchmark::State& state) {
  vouch::core::ClickContext ctx;
  ctx.method = "GET";
  ctx.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126 Safari/537.36";
  ctx.at = vouch::Instant{vouch::Millis{1'700'000'000'000}};
  ctx.score = 9;
  for (auto _ : state) benchmark::DoNotOptimize(vouch::core::JudgeClick(ctx));
}
BENCHMARK(BM_JudgeClick);

void BM_HmacToken(benchmark::State& state) {
  const std::string key(32, 'k');
  for (auto _ : state) benchmark::DoNotOptimize(vouch::HmacSha256(key, "s12345678"));
}
BENCHMARK(BM_HmacToken);

// The thank-you page of an answer click, with the values api::AnswerPage sets for a promoter:
// building the context and rendering it (the I/O thread's share of a click).
template <auto kRender>
void RenderAnswerPage(benchmark::State& state) {
  const std::string base = "https://vouch.example/s/AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  for (auto _ : state) {
    vouch::delivery::TemplateContext ctx;
    ctx.Set("shop_name", "Trail & Co");
    ctx.Set("shop_url", "https://shop.example");
    ctx.Set("score", "9");
    ctx.Set("state", "counted");
    ctx.SetBool("locked", false);
    ctx.SetBool("suspect", false);
    ctx.Set("answered_on", "2026-11-27");
    ctx.Set("confirm_url", base + "/9/confirm");
    ctx.Set("comment_url", base + "/comment");
    ctx.Set("comment", "");
    ctx.SetBool("comment_saved", false);
    for (int i = 0; i <= 10; ++i) {
      ctx.AddItem("scale", {{"score", std::to_string(i)},
                            {"url", base + "/" + std::to_string(i)},
                            {"class", i == 9 ? "selected" : ""}});
    }
    ctx.Set("code", "JURGEN-4KQ2");
    ctx.Set("share_url", "https://vouch.example/r/JURGEN-4KQ2");
    ctx.Set("offer_text", "Get 15% off your first order at Trail & Co with my code JURGEN-4KQ2");
    ctx.Set("whatsapp_url", "https://wa.me/?text=Get%2015%25%20off");
    ctx.Set("x_url", "https://x.com/intent/post?text=Get%2015%25%20off");
    ctx.Set("facebook_url", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fvouch.example");
    ctx.Set("email_share_url", "mailto:?subject=A%20code&body=Get%2015%25%20off");
    auto html = kRender("page_answer.html", "en", ctx, {});
    benchmark::DoNotOptimize(html);
  }
}
void BM_RenderAnswerPage(benchmark::State& state) {
  RenderAnswerPage<vouch::delivery::RenderTemplate>(state);
}
BENCHMARK(BM_RenderAnswerPage);
// The same, through RenderTemplateFilled: the page's skeleton for this shape filled per click.
void BM_RenderAnswerPageFilled(benchmark::State& state) {
  RenderAnswerPage<vouch::delivery::RenderTemplateFilled>(state);
}
BENCHMARK(BM_RenderAnswerPageFilled);

// What the I/O thread does per click since issue 18: api::AnswerPageContext for a promoter's view
// (eleven scale links, the share links) and the page, rendered fully (`...Full`, as before) or
// filled from its skeleton (`...Filled`, as served); `...Context` is the context alone.
vouch::app::AnswerView PromoterView() {
  vouch::app::AnswerView v;
  v.shop.name = "Trail & Co";
  v.shop.url = "https://shop.example";
  v.locale = "en";
  v.survey.score = 9;
  v.survey.answer_state = vouch::store::AnswerState::kCounted;
  v.survey.answered_at = vouch::FromUnixMillis(1'764'000'000'000);
  vouch::store::ReferralCode code;
  code.code = "JURGEN-4KQ2";
  v.code = code;
  v.share.share_url = "https://vouch.example/r/JURGEN-4KQ2";
  v.share.whatsapp_url = "https://wa.me/?text=Get%2015%25%20off";
  v.share.x_url = "https://x.com/intent/post?text=Get%2015%25%20off";
  v.share.facebook_url = "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fvouch.example";
  v.share.email_url = "mailto:?subject=A%20code&body=Get%2015%25%20off";
  v.offer_text = "Give your friends 15% off — get €10 for each friend who buys.";
  return v;
}
constexpr const char* kToken = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

void BM_AnswerPageContext(benchmark::State& state) {
  const auto v = PromoterView();
  for (auto _ : state) {
    benchmark::DoNotOptimize(vouch::api::AnswerPageContext("https://vouch.example", v, kToken, false));
  }
}
BENCHMARK(BM_AnswerPageContext);

template <auto kRender>
void RenderAnswerPageOfView(benchmark::State& state) {
  const auto v = PromoterView();
  for (auto _ : state) {
    auto html = kRender("page_answer.html", v.locale,
                        vouch::api::AnswerPageContext("https://vouch.example", v, kToken, false), {});
    benchmark::DoNotOptimize(html);
  }
}
void BM_RenderAnswerPageOfViewFull(benchmark::State& state) {
  RenderAnswerPageOfView<vouch::delivery::RenderTemplate>(state);
}
BENCHMARK(BM_RenderAnswerPageOfViewFull);
void BM_RenderAnswerPageOfViewFilled(benchmark::State& state) {
  RenderAnswerPageOfView<vouch::delivery::RenderTemplateFilled>(state);
}
BENCHMARK(BM_RenderAnswerPageOfViewFilled);

// A survey mail's three parts as app::Messages renders them (subject fully; text and HTML
// fully, or filled from their skeletons), with the values Messages sets for a named customer.
template <auto kBody>
void BuildSurveyMail(benchmark::State& state) {
  const std::string base = "https://vouch.example/s/AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  for (auto _ : state) {
    vouch::delivery::TemplateContext ctx;
    ctx.Set("shop_name", "Trail & Co");
    ctx.Set("shop_url", "https://shop.example");
    ctx.Set("first_name", "Jürgen");
    ctx.Set("unsubscribe_url", "https://vouch.example/u/QrStUvWxYz012345AbCdEfGhIjKlMnOp");
    ctx.Set("question", "How likely are you to recommend Trail & Co to a friend or colleague?");
    ctx.SetBool("reminder", false);
    for (int score = 0; score <= 10; ++score) {
      vouch::delivery::AddSurveyButton(ctx, score, base + "/" + std::to_string(score));
    }
    auto subject = vouch::delivery::RenderTemplate("survey.subject", "en", ctx, {});
    auto text = kBody("survey.txt", "en", ctx, {});
    auto html = kBody("survey.html", "en", ctx, {});
    benchmark::DoNotOptimize(subject);
    benchmark::DoNotOptimize(text);
    benchmark::DoNotOptimize(html);
  }
}
void BM_BuildSurveyMailFull(benchmark::State& state) {
  BuildSurveyMail<vouch::delivery::RenderTemplate>(state);
}
BENCHMARK(BM_BuildSurveyMailFull);
void BM_BuildSurveyMailFilled(benchmark::State& state) {
  BuildSurveyMail<vouch::delivery::RenderTemplateFilled>(state);
}
BENCHMARK(BM_BuildSurveyMailFilled);

}  // namespace

BENCHMARK_MAIN();
