#pragma once
// Offer experiments in JSON (issue 16). Pure functions, thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/experiments.h"
#include "base/result.h"

namespace vouch::api {

// {"name","metric","minimum_effect","window_days","variants":[{"name","discount_kind",
// "discount_value","reward_minor","share_text"}]}: unknown keys are errors naming the key.
Result<app::ExperimentInput> ParseExperiment(std::string_view body);
// {"variant"} (optional; empty body: the winner).
Result<std::optional<int>> ParseAdopt(std::string_view body);
// {"id","name","metric","minimum_effect","window_days","status","created_at","stopped_at",
// "adopted_variant","variants":[…]}.
std::string ToJson(const store::Experiment& e);
std::string ToJson(const std::vector<store::Experiment>& list);
// The experiment with "results": each variant's promoters and mean, the test's decision
// (running, winner, futility), the winner, when it was decided, and each challenger against the
// control (difference, always-valid interval and p-value), with "method".
std::string ToJson(const app::ExperimentResults& r);
// The holdout report (app/holdout.h): {"from","to","holdout_percent","currency","activated",
// "held_out" (each {"promoters","repeat_buyers","repeat_share":{"share","ci"},"orders",
// "revenue","revenue_per_promoter_minor":{"mean","ci"}}),"repeat_difference",
// "revenue_difference_minor" (each {"difference","ci","z","p_value","significant"}),"confidence",
// "method"}.
std::string ToJson(const app::HoldoutReport& r);

}  // namespace vouch::api
