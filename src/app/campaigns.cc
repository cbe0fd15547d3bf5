#include "app/campaigns.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "base/money.h"
#include "base/utf8.h"
#include "core/codes.h"

namespace vouch::app {
namespace {

bool KnownKind(const std::string& kind) {
  return kind == "influencer" || kind == "paid_social" || kind == "other";
}

// What the referred friend's discount cost the shop on an order that came to `net` after it:
// the code's own offer (its experiment variant's, when it carries one; else the shop's current
// offer), a percentage of the undiscounted price or an amount. An estimate where the shop's
// offer changed since the order; docs/STATISTICS.md says so.
double FriendDiscount(const store::ShopSettings& s, const store::NewCustomerRow& row) {
  const bool variant = !row.variant_discount_kind.empty();
  const std::string& kind = variant ? row.variant_discount_kind : s.discount_kind;
  const int64_t value = variant ? row.variant_discount_value : s.discount_value;
  if (kind == "amount") return static_cast<double>(value);
  if (value <= 0 || value >= 100) return 0;
  return static_cast<double>(row.first_order_net_minor) * static_cast<double>(value) /
         static_cast<double>(100 - value);
}

// Collects one channel's new customers.
struct Tally {
  std::vector<double> costs;    // per new customer (the program's)
  std::vector<double> revenue;  // per new customer
  core::ScoreCounts scores;
  int64_t repeat = 0;

  void Add(const store::NewCustomerRow& r, double cost) {
    costs.push_back(cost);
    revenue.push_back(static_cast<double>(r.revenue_minor));
    if (r.score) {
      if (auto s = core::MakeScore(*r.score)) scores.Add(*s);
    }
    repeat += r.repeat ? 1 : 0;
  }

  ChannelFigures Figures(std::string channel, int64_t cost_minor) const {
    ChannelFigures f;
    f.channel = std::move(channel);
    f.cost_minor = cost_minor;
    f.new_customers = static_cast<int64_t>(revenue.size());
    if (f.new_customers > 0) {
      f.cost_per_new_customer = static_cast<double>(cost_minor) / static_cast<double>(f.new_customers);
    }
    for (double r : revenue) f.revenue_minor += static_cast<int64_t>(r);
    f.revenue_per_new_customer = core::EstimateMean(revenue);
    f.nps = core::EstimateNps(scores);
    f.repeat_customers = repeat;
    f.repeat_rate = core::ProportionInterval(repeat, f.new_customers);
    return f;
  }
};

}  // namespace

Result<store::Campaign> Campaigns::Create(const store::Shop& shop, const CampaignInput& in) {
  if (in.name.empty() || in.name.size() > kMaxCampaignName || !IsValidUtf8(in.name)) {
    return InvalidArgument("name", "must be 1 to 200 bytes of text");
  }
  if (!KnownKind(in.kind)) return InvalidArgument("kind", "must be influencer, paid_social or other");
  auto cost = ParseAmount(in.cost, shop.settings.currency, "cost");
  if (!cost) return cost.error();
  if (in.codes.empty() || in.codes.size() > kMaxCampaignCodes) {
    return InvalidArgument("codes", "must list 1 to 100 discount codes");
  }
  store::Campaign c;
  c.shop_id = shop.id;
  c.name = in.name;
  c.kind = in.kind;
  c.cost_minor = *cost;
  c.currency = shop.settings.currency;
  c.created_at = clock_.Now();
  for (const auto& raw : in.codes) {
    std::string code = core::NormalizeCode(raw);
    if (code.empty() || code.size() > kMaxCampaignCode || !IsValidUtf8(code)) {
      return InvalidArgument("codes", "each code must be 1 to 64 bytes");
    }
    if (std::find(c.codes.begin(), c.codes.end(), code) == c.codes.end()) c.codes.push_back(std::move(code));
  }
  auto id = store_.Write<store::Id>([&](store::Tx& tx) -> Result<store::Id> {
    for (const auto& code : c.codes) {
      auto referral = tx.referrals().FindCode(shop.id, code);
      if (!referral) return referral.error();
      if (referral->has_value()) {
        return Error{Code::kAlreadyExists, "code " + code + " is a referral code of this shop", "codes"};
      }
    }
    return tx.campaigns().Insert(c);
  });
  if (!id) return id.error();
  c.id = *id;
  return c;
}

Result<std::vector<store::Campaign>> Campaigns::List(store::Id shop) {
  return store_.Read<std::vector<store::Campaign>>(
      [&](store::ReadTx& tx) { return tx.campaigns().List(shop); });
}

Status Campaigns::Delete(store::Id shop, store::Id campaign) {
  auto n = store_.Write<int64_t>([&](store::Tx& tx) { return tx.campaigns().Delete(shop, campaign); });
  if (!n) return n.error();
  if (*n == 0) return Error{Code::kNotFound, "no such campaign", "id"};
  return OkStatus();
}

Result<ChannelComparison> Campaigns::Compare(const store::Shop& shop, Instant from, Instant to,
                                             const std::optional<store::AudienceCut>& audience) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  struct Read {
    std::vector<store::Campaign> campaigns;
    std::vector<store::NewCustomerRow> rows;
  };
  auto read = store_.Read<Read>([&](store::ReadTx& tx) -> Result<Read> {
    Read r;
    auto campaigns = tx.campaigns().List(shop.id);
    if (!campaigns) return campaigns.error();
    r.campaigns = std::move(*campaigns);
    VOUCH_TRY(tx.campaigns().EachNewCustomer(
        shop.id, from, to, audience, [&r](const store::NewCustomerRow& row) { r.rows.push_back(row); }));
    return r;
  });
  if (!read) return read.error();

  std::map<std::string, size_t> campaign_of_code;
  for (size_t i = 0; i < read->campaigns.size(); ++i) {
    for (const auto& code : read->campaigns[i].codes) campaign_of_code.emplace(code, i);
  }
  Tally program, organic;
  std::vector<Tally> campaigns(read->campaigns.size());
  std::vector<int64_t> campaign_all(read->campaigns.size());  // new customers before the cut
  int64_t program_cost = 0;
  for (const auto& row : read->rows) {
    if (row.referred) {
      if (!row.in_audience) continue;
      const double cost = static_cast<double>(row.reward_released_minor) + FriendDiscount(shop.settings, row);
      program.Add(row, cost);
      program_cost += static_cast<int64_t>(cost + 0.5);
      continue;
    }
    std::optional<size_t> which;
    for (const auto& code : row.discount_codes) {
      auto it = campaign_of_code.find(core::NormalizeCode(code));
      if (it != campaign_of_code.end()) {
        which = it->second;
        break;
      }
    }
    if (which) ++campaign_all[*which];
    if (!row.in_audience) continue;
    (which ? campaigns[*which] : organic).Add(row, 0);
  }

  ChannelComparison out;
  out.from = from;
  out.to = to;
  out.currency = shop.settings.currency;
  if (audience) out.audience = audience->audience;
  out.channels.push_back(program.Figures("referral_program", program_cost));
  // One seed per shop and range: the same request gives the same interval.
  const uint64_t seed = static_cast<uint64_t>(shop.id) * 0x9E3779B97F4A7C15ULL ^
                        static_cast<uint64_t>(ToUnixMillis(from)) ^
                        (static_cast<uint64_t>(ToUnixMillis(to)) << 1);
  for (size_t i = 0; i < campaigns.size(); ++i) {
    int64_t cost = read->campaigns[i].cost_minor;
    if (audience && campaign_all[i] > 0) {  // the audience's share of the campaign's new customers
      const auto in = static_cast<int64_t>(campaigns[i].revenue.size());
      cost = static_cast<int64_t>(std::llround(static_cast<double>(cost) * static_cast<double>(in) /
                                               static_cast<double>(campaign_all[i])));
    }
    ChannelFigures f = campaigns[i].Figures("campaign", cost);
    f.campaign = read->campaigns[i];
    f.vs_program = core::BootstrapCostDifference(program.costs, static_cast<double>(f.cost_minor),
                                                 f.new_customers, seed + i);
    out.channels.push_back(std::move(f));
  }
  out.channels.push_back(organic.Figures("organic", 0));
  return out;
}

}  // namespace vouch::app
