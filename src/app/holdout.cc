#include "app/holdout.h"

#include <map>
#include <vector>

#include "app/links.h"

namespace vouch::app {

Result<bool> HeldOutInTx(store::Tx& tx, const Links& links, const store::Shop& shop, store::Id customer,
                         store::Id survey, Instant now) {
  auto drawn = tx.experiments().HoldoutOf(shop.id, customer);
  if (!drawn) return drawn.error();
  if (*drawn) return (*drawn)->held_out;  // drawn once, never again
  const int64_t percent = shop.settings.holdout_percent;
  if (percent <= 0) return false;
  auto code = tx.referrals().FindCodeByPromoter(shop.id, customer);
  if (!code) return code.error();
  if (*code) return false;  // activated before the holdout: not part of it
  store::HoldoutDraw d;
  d.shop_id = shop.id;
  d.customer_id = customer;
  d.survey_id = survey;
  d.held_out = core::HeldOut(links.KeyedDraw("holdout", shop.id, customer), percent);
  d.percent = percent;
  d.drawn_at = now;
  VOUCH_TRY(tx.experiments().RecordHoldout(d));
  return d.held_out;
}

namespace {

struct Promoter {
  bool held_out = false;
  int64_t orders = 0;
  int64_t revenue_minor = 0;
};

HoldoutGroup GroupOf(const std::vector<const Promoter*>& members, std::vector<double>& revenues) {
  HoldoutGroup g;
  g.promoters = static_cast<int64_t>(members.size());
  for (const Promoter* p : members) {
    if (p->orders > 0) ++g.repeat_buyers;
    g.orders += p->orders;
    g.revenue_minor += p->revenue_minor;
    revenues.push_back(static_cast<double>(p->revenue_minor));
  }
  g.repeat_share =
      g.promoters > 0 ? static_cast<double>(g.repeat_buyers) / static_cast<double>(g.promoters) : 0;
  g.repeat_ci = core::ProportionInterval(g.repeat_buyers, g.promoters);
  g.revenue_per_promoter = core::EstimateMean(revenues);
  return g;
}

}  // namespace

Result<HoldoutReport> HoldoutReportOf(store::Store& store, const store::Shop& shop, Instant from, Instant to,
                                      const std::optional<store::AudienceCut>& cut) {
  std::map<store::Id, Promoter> promoters;
  VOUCH_TRY(store.Read<Ok>([&](store::ReadTx& tx) -> Status {
    return tx.experiments().EachHoldoutOutcome(shop.id, from, to, cut,
                                               [&](const store::HoldoutOutcomeRow& r) {
                                                 Promoter& p = promoters[r.customer_id];
                                                 p.held_out = r.held_out;
                                                 if (!r.order_at) return;
                                                 ++p.orders;
                                                 if (r.currency == shop.settings.currency)
                                                   p.revenue_minor += r.revenue_minor;
                                               });
  }));
  std::vector<const Promoter*> activated, held;
  for (const auto& [id, p] : promoters) (p.held_out ? held : activated).push_back(&p);
  HoldoutReport r;
  r.from = from;
  r.to = to;
  if (cut) r.audience = cut->audience;
  r.holdout_percent = shop.settings.holdout_percent;
  r.currency = shop.settings.currency;
  std::vector<double> ra, rh;
  r.activated = GroupOf(activated, ra);
  r.held_out = GroupOf(held, rh);
  r.repeat_difference = core::CompareShares(r.activated.repeat_buyers, r.activated.promoters,
                                            r.held_out.repeat_buyers, r.held_out.promoters);
  r.revenue_difference = core::CompareMeans(ra, rh);
  return r;
}

}  // namespace vouch::app
