#pragma once
// Referral generations (issue 16): does the program grow by itself? A promoter's friends are
// generation 1 below them; a friend who becomes a promoter brings generation 2, and so on. Two
// reports: one promoter's descendants by generation (Tree), and the program's viral coefficient
// per generation of promoters with what the customers they brought were worth (Generations;
// method in docs/STATISTICS.md). Thread-safe; every method blocks on the store.
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "core/generations.h"
#include "store/store.h"

namespace vouch::app {

// A customer in a promoter's tree.
struct TreeNode {
  store::Id customer_id = 0;
  store::Id referred_by = 0;  // the promoter whose code brought them
  Instant referred_at{};
  int64_t revenue_minor = 0;          // net of their orders so far
  int64_t reward_released_minor = 0;  // paid for bringing them
  bool promoter = false;              // they became a promoter themselves
  int64_t referred = 0;               // customers they brought
};

struct TreeGeneration {
  int generation = 0;  // 1: the promoter's own friends
  std::vector<TreeNode> customers;
  int64_t revenue_minor = 0;
  int64_t reward_released_minor = 0;
};

struct ReferralTree {
  store::Id promoter = 0;
  std::string currency;
  std::optional<store::Audience> audience;  // the cut, if any
  std::vector<TreeGeneration> generations;
  int64_t customers = 0;
  bool truncated = false;  // deeper than core::kMaxGeneration or more than kMaxTreeNodes
};

inline constexpr size_t kMaxTreeNodes = 2000;

// The promoters of one generation activated in the range, and the new customers they brought.
struct GenerationFigures {
  int generation = 0;         // 0: promoters nothing brought; capped at core::kMaxGeneration
  core::RateEstimate viral;   // units: promoters; events: new customers they referred
  int64_t revenue_minor = 0;  // those customers' net revenue (refunds deducted) before the range's end
  int64_t reward_released_minor = 0;  // released rewards paid for them
  int64_t net_revenue_minor = 0;      // revenue less released rewards
};

struct ProgramReport {
  Instant from{};
  Instant to{};
  std::string currency;
  std::optional<store::Audience> audience;     // the cut, if any
  std::vector<GenerationFigures> generations;  // 0 up to the deepest with promoters
  GenerationFigures all;                       // every generation together (generation -1)
};

class Program {
 public:
  Program(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // kNotFound "promoter" when the customer is no promoter of the shop. With `audience`, the
  // program spreads only through the audience's promoters (those whose surveyed order is in it):
  // a customer is listed when an audience promoter of the tree brought them, so a promoter outside
  // the audience has an empty tree.
  Result<ReferralTree> Tree(const store::Shop& shop, store::Id promoter,
                            const std::optional<store::AudienceCut>& audience = std::nullopt);
  // Promoters activated in [from, to), by generation, with their referrals before `to`.
  // kInvalidArgument "to" for an empty range. With `audience`: only the audience's promoters
  // (each still in the generation the whole program gives them).
  Result<ProgramReport> Generations(const store::Shop& shop, Instant from, Instant to,
                                    const std::optional<store::AudienceCut>& audience = std::nullopt);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace vouch::app
