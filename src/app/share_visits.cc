#include "app/share_visits.h"

#include <optional>
#include <utility>

#include "app/experiments.h"
#include "base/log.h"
#include "core/codes.h"

namespace vouch::app {
namespace {

struct Found {
  store::ReferralCode code;
  store::Shop shop;
};

}  // namespace

ShareVisits::ShareVisits(store::Store& store, const Clock& clock, const Links& links, AsyncCalls& async)
    : store_(store),
      clock_(clock),
      links_(links),
      async_(async),
      visits_(store,
              {.max_items = 1000,
               .log_event = "share_visits.set_failed",
               .log_count_key = "visits",
               .not_run_message = "share visits not run"},
              {.run = [](store::Tx& tx, Coalescer::Set& set) -> Status {
                 for (const Item& item : set.items)
                   VOUCH_TRY(tx.referrals().AddCodeVisit(item.code, item.at));
                 return OkStatus();
               },
               .finish =
                   [](Coalescer::Set& set) {
                     for (Item& item : set.items) item.finished();
                   },
               .alone =
                   [this](Item&& item) {
                     auto finished = std::move(item.finished);
                     store_.WriteAsync(
                         [code = item.code, at = item.at](store::Tx& tx) {
                           return tx.referrals().AddCodeVisit(code, at);
                         },
                         [finished = std::move(finished)](const Status& s) {
                           if (!s) Log(LogLevel::kWarn, "share_visits.lost", {{"error", s.error().message}});
                           finished();
                         });
                   },
               .refuse =
                   [](Item& item, const Error& e) {
                     Log(LogLevel::kWarn, "share_visits.lost", {{"error", e.message}});
                     item.finished();
                   }}) {}

bool ShareVisits::FirstInWindow(store::Id code, std::string_view client, Instant now) {
  std::string key = std::to_string(code);
  key += ' ';
  key += client;
  std::lock_guard lock(mu_);
  if (auto it = seen_.find(key); it != seen_.end()) {
    if (now - it->second < kVisitWindow) return false;
    it->second = now;
    return true;
  }
  if (seen_.size() >= kMaxRemembered) {
    std::erase_if(seen_, [&](const auto& entry) { return now - entry.second >= kVisitWindow; });
    if (seen_.size() >= kMaxRemembered) seen_.clear();
  }
  seen_.emplace(std::move(key), now);
  return true;
}

Result<std::string> ShareVisits::Visit(std::string_view raw, std::string_view client) {
  const std::string code_text = core::NormalizeCode(raw);
  if (code_text.empty() || code_text.size() > 64) return NotFound("unknown referral code");
  auto found = store_.Read<std::optional<Found>>([&](store::ReadTx& tx) -> Result<std::optional<Found>> {
    auto code = tx.referrals().FindCodeAnyShop(code_text);
    if (!code) return code.error();
    if (!code->has_value()) return std::optional<Found>{};
    auto shop = tx.shops().Get((*code)->shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return std::optional<Found>{};
    Found f{**code, **shop};
    // {discount}: the code's own offer (its experiment variant's, else its audience's), one
    // more read only for a landing page that shows it.
    if (f.shop.settings.landing_url.find("{discount}") != std::string::npos) {
      auto variant = tx.experiments().VariantOfPromoter(f.shop.id, f.code.promoter_id);
      if (!variant) return variant.error();
      if (*variant) ApplyVariantOffer(**variant, f.shop);
    }
    return std::optional<Found>{std::move(f)};
  });
  if (!found) return found.error();
  if (!found->has_value()) return NotFound("unknown referral code");
  const Instant now = clock_.Now();
  if (FirstInWindow((*found)->code.id, client, now)) {
    visits_.Submit(Item{(*found)->code.id, now, async_.Begin()});
  }
  return links_.LandingUrl((*found)->shop, (*found)->code.code);
}

}  // namespace vouch::app
