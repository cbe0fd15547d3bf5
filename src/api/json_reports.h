#pragma once
// Reports in JSON: NPS over time (written without a DOM), the referral funnel, top promoters and
// the answers. Pure functions, thread-safe.
#include <string>
#include <vector>

#include "app/reports.h"
#include "base/time.h"

namespace vouch::api {

std::string ToJson(const app::NpsReport& r);
std::string ToJson(const store::Funnel& f, Instant from, Instant to);
// Amounts in the shop's `currency`.
std::string ToJson(const std::vector<store::PromoterRow>& rows, const std::string& currency);
std::string ToJson(const std::vector<store::ResponseRow>& rows);

}  // namespace vouch::api
