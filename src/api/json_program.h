#pragma once
// Referral generations in JSON (issue 16). Pure functions, thread-safe.
#include <string>

#include "app/program.h"

namespace vouch::api {

// {"promoter","currency","customers","truncated","generations":[{"generation","customers":[…],
// "revenue","rewards_released"}]}: each customer with who referred them, when, their net revenue
// and the reward paid for them, whether they became a promoter and how many they referred.
std::string ToJson(const app::ReferralTree& t);
// {"from","to","currency","generations":[…],"all","confidence","method"}: per generation of
// promoters their count, the new customers they referred, the viral coefficient with its 95%
// interval, and revenue, released rewards and net revenue of those customers.
std::string ToJson(const app::ProgramReport& r);

}  // namespace vouch::api
