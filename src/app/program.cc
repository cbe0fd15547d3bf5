#include "app/program.h"

#include <map>
#include <optional>
#include <set>

namespace vouch::app {
namespace {

struct Graph {
  std::vector<store::ReferralEdge> edges;
  std::set<store::Id> promoters;
  std::map<store::Id, Instant> activated;  // promoter -> when
  std::set<store::Id> in_audience;         // with a cut: the audience's promoters
};

Result<Graph> ReadGraph(store::Store& store, store::Id shop, Instant to,
                        const std::optional<store::AudienceCut>& audience) {
  return store.Read<Graph>([&](store::ReadTx& tx) -> Result<Graph> {
    Graph g;
    VOUCH_TRY(tx.campaigns().EachReferralEdge(shop, to,
                                              [&g](const store::ReferralEdge& e) { g.edges.push_back(e); }));
    VOUCH_TRY(tx.campaigns().EachActivation(shop, to, [&g](const store::PromoterActivation& a) {
      g.promoters.insert(a.promoter_id);
      g.activated.emplace(a.promoter_id, a.at);
    }));
    if (audience) {
      VOUCH_TRY(tx.audiences().EachPromoter(*audience, [&g](store::Id p) { g.in_audience.insert(p); }));
    }
    return g;
  });
}

}  // namespace

Result<ReferralTree> Program::Tree(const store::Shop& shop, store::Id promoter,
                                   const std::optional<store::AudienceCut>& audience) {
  const Instant now = clock_.Now();
  auto g = ReadGraph(store_, shop.id, now + std::chrono::milliseconds{1}, audience);
  if (!g) return g.error();
  if (!g->promoters.count(promoter)) return Error{Code::kNotFound, "no such promoter", "promoter"};
  std::map<int64_t, std::vector<int64_t>> children_of;
  std::map<store::Id, const store::ReferralEdge*> edge_of;  // customer -> the referral that brought them
  for (const auto& e : g->edges) {
    if (!edge_of.emplace(e.customer_id, &e).second) continue;
    if (audience && !g->in_audience.count(e.promoter_id)) continue;  // the spread outside the cut
    children_of[e.promoter_id].push_back(e.customer_id);
  }
  core::Descendants d = core::DescendantsOf(children_of, promoter, core::kMaxGeneration, kMaxTreeNodes);
  ReferralTree t;
  t.promoter = promoter;
  t.currency = shop.settings.currency;
  if (audience) t.audience = audience->audience;
  t.truncated = d.truncated;
  for (size_t i = 0; i < d.levels.size(); ++i) {
    TreeGeneration level;
    level.generation = static_cast<int>(i) + 1;
    for (int64_t customer : d.levels[i]) {
      const store::ReferralEdge& e = *edge_of.at(customer);
      TreeNode n;
      n.customer_id = customer;
      n.referred_by = e.promoter_id;
      n.referred_at = e.at;
      n.revenue_minor = e.revenue_minor;
      n.reward_released_minor = e.reward_released_minor;
      n.promoter = g->promoters.count(customer) > 0;
      auto kids = children_of.find(customer);
      n.referred = kids == children_of.end() ? 0 : static_cast<int64_t>(kids->second.size());
      level.revenue_minor += n.revenue_minor;
      level.reward_released_minor += n.reward_released_minor;
      level.customers.push_back(n);
    }
    t.customers += static_cast<int64_t>(level.customers.size());
    t.generations.push_back(std::move(level));
  }
  return t;
}

Result<ProgramReport> Program::Generations(const store::Shop& shop, Instant from, Instant to,
                                           const std::optional<store::AudienceCut>& audience) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  auto g = ReadGraph(store_, shop.id, to, audience);
  if (!g) return g.error();
  core::ReferrerOf referrer_of;
  struct Brought {
    int64_t customers = 0;
    int64_t revenue = 0;
    int64_t rewards = 0;
  };
  std::map<store::Id, Brought> brought;  // promoter -> what their referrals brought
  for (const auto& e : g->edges) {
    if (!referrer_of.emplace(e.customer_id, e.promoter_id).second) continue;
    Brought& b = brought[e.promoter_id];
    ++b.customers;
    b.revenue += e.revenue_minor;
    b.rewards += e.reward_released_minor;
  }
  // The cohort: promoters activated in the range, by their own generation.
  std::map<int, std::vector<store::Id>> cohort;
  for (const auto& [promoter, at] : g->activated) {
    if (at < from || at >= to) continue;
    if (audience && !g->in_audience.count(promoter)) continue;
    cohort[core::GenerationOf(referrer_of, promoter)].push_back(promoter);
  }
  auto figures = [&](int generation, const std::vector<store::Id>& promoters) {
    GenerationFigures f;
    f.generation = generation;
    std::vector<int64_t> counts;
    counts.reserve(promoters.size());
    for (store::Id p : promoters) {
      auto it = brought.find(p);
      const Brought b = it == brought.end() ? Brought{} : it->second;
      counts.push_back(b.customers);
      f.revenue_minor += b.revenue;
      f.reward_released_minor += b.rewards;
    }
    f.viral = core::EstimateRate(counts);
    f.net_revenue_minor = f.revenue_minor - f.reward_released_minor;
    return f;
  };
  ProgramReport r;
  r.from = from;
  r.to = to;
  r.currency = shop.settings.currency;
  if (audience) r.audience = audience->audience;
  std::vector<store::Id> everyone;
  const int deepest = cohort.empty() ? -1 : cohort.rbegin()->first;
  for (int gen = 0; gen <= deepest; ++gen) {
    auto it = cohort.find(gen);
    const std::vector<store::Id> none;
    const auto& promoters = it == cohort.end() ? none : it->second;
    everyone.insert(everyone.end(), promoters.begin(), promoters.end());
    r.generations.push_back(figures(gen, promoters));
  }
  r.all = figures(-1, everyone);
  return r;
}

}  // namespace vouch::app
