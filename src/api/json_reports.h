#pragma once
// Reports in JSON: NPS over time (written without a DOM), the referral funnel, top promoters and
// the answers. Pure functions, thread-safe.
#include <string>
#include <vector>

#include "app/reports.h"
#include "base/time.h"

namespace vouch::api {

std::string ToJson(const app::NpsReport& r);
// B against A: each side's range, segment and NPS with its interval, and "difference" (B − A
// with its 95% interval, z, p_value, significant).
std::string ToJson(const app::NpsComparison& c);
std::string ToJson(const store::Funnel& f, Instant from, Instant to);
// {"categories": [{"category", "orders"}]}
std::string ToJson(const std::vector<store::CategoryCount>& categories);
// Amounts in the shop's `currency`.
std::string ToJson(const std::vector<store::PromoterRow>& rows, const std::string& currency);
// Each detractor's row carries its follow-up (an open one when none is stored); others null.
std::string ToJson(const std::vector<store::ResponseRow>& rows);
// A promoter's page: {"customer":{"id","name","first_name","last_name","email"},"currency",
// "codes","answers","referrals","rewards"}; `currency` the shop's.
std::string ToJson(const store::PromoterPage& page, const std::string& currency);
// {"code": {...}}: one referral code as the promoter page lists it (POST /api/v1/codes/{code}/resume).
std::string CodeToJson(const store::ReferralCode& code);

}  // namespace vouch::api
