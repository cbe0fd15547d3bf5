// A shop's template override: checked as at upload, then rendered (as the worker would) with a
// context holding lists. Rendering is bounded: libFuzzer's -timeout and -rss_limit_mb catch a
// render that is not.
#include "delivery/template_scan.h"
#include "delivery/templates.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(vouch::fuzz::Text(data, size));
  if (!vouch::delivery::ValidateTemplate(body).ok()) return 0;
  vouch::delivery::TemplateContext ctx;
  ctx.Set("shop_name", "Trail <Shop> & \"Co\"");
  ctx.Set("greeting", "Hello Anna");
  ctx.SetBool("has_code", true);
  for (int score = 0; score <= 10; ++score)
    vouch::delivery::AddSurveyButton(ctx, score, "https://v.test/s/t/1");
  ctx.SetEmptyList("items");
  auto out = vouch::delivery::RenderTemplate("survey.html", "en", ctx, {{"en/survey.html", body}});
  if (out) {
    vouch::fuzz::Require(static_cast<int64_t>(out->size()) <= vouch::delivery::kTemplateMaxOutput,
                         "output bounded");
  }
  return 0;
}
