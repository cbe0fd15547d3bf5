#pragma once
// Campaigns and the channel comparison in JSON. Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/campaigns.h"
#include "base/result.h"

namespace vouch::api {

// {"name","kind","cost","codes":[…]}: unknown keys are errors naming the key.
Result<app::CampaignInput> ParseCampaign(std::string_view body);
// {"id","name","kind","cost":{amount,minor,currency},"codes","created_at"}.
std::string ToJson(const store::Campaign& c);
std::string ToJson(const std::vector<store::Campaign>& list);
// {"from","to","currency","channels":[…],"method"}: per channel its cost, new customers, cost
// per new customer, revenue and revenue per new customer (with interval), the new customers' NPS
// (with interval), repeat purchase rate (with interval), and for campaigns "vs_program" (program
// − campaign in cost per new customer, bootstrap interval). Money in minor units and as text.
std::string ToJson(const app::ChannelComparison& c);

}  // namespace vouch::api
