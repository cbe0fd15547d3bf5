// Micro-benchmarks of hot pure functions: NPS estimation, code generation, click judging.
#include <benchmark/benchmark.h>

#include "base/crypto.h"
#include "core/clicks.h"
#include "core/codes.h"
#include "core/nps.h"

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

}  // namespace

BENCHMARK_MAIN();
