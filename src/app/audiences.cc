#include "app/audiences.h"

#include "core/validate.h"

namespace vouch::app {
namespace {

constexpr int64_t kMaxMinor = 1'000'000'000'000;  // 10^12 minor units

Status Validate(AudienceInput& in) {
  if (in.name.empty() || in.name.size() > 200) return InvalidArgument("name", "must be 1-200 bytes");
  if (in.categories.size() > kMaxAudienceValues) {
    return InvalidArgument("categories", "must hold at most 50 categories");
  }
  for (size_t i = 0; i < in.categories.size(); ++i) {
    // Stored one a line (migrations/*/0025_audiences.sql): a line break would split it in two.
    if (in.categories[i].empty() || in.categories[i].size() > 200 ||
        in.categories[i].find_first_of("\r\n") != std::string::npos) {
      return InvalidArgument("categories[" + std::to_string(i) + "]", "must be 1-200 bytes on one line");
    }
  }
  for (const auto& [field, v] :
       {std::pair{"min_order_minor", in.min_order_minor}, std::pair{"max_order_minor", in.max_order_minor}}) {
    if (v && (*v < 0 || *v > kMaxMinor)) return InvalidArgument(field, "must be 0 to 10^12 minor units");
  }
  if (in.min_order_minor && in.max_order_minor && *in.max_order_minor < *in.min_order_minor) {
    return InvalidArgument("max_order_minor", "must not be below min_order_minor");
  }
  if (in.locales.size() > kMaxAudienceValues)
    return InvalidArgument("locales", "must hold at most 50 locales");
  for (size_t i = 0; i < in.locales.size(); ++i) {
    auto loc = core::NormalizeLocale(in.locales[i], "locales[" + std::to_string(i) + "]");
    if (!loc) return loc.error();
    in.locales[i] = *loc;
  }
  if (in.repeat_buyer != "any" && in.repeat_buyer != "yes" && in.repeat_buyer != "no") {
    return InvalidArgument("repeat_buyer", "must be \"any\", \"yes\" or \"no\"");
  }
  if (in.offer) {
    const auto& o = *in.offer;
    if (o.discount_kind != "percent" && o.discount_kind != "amount") {
      return InvalidArgument("offer.discount_kind", "must be \"percent\" or \"amount\"");
    }
    if (o.discount_value < 0 || o.discount_value > kMaxMinor ||
        (o.discount_kind == "percent" && o.discount_value > 100)) {
      return InvalidArgument("offer.discount_value", "must be 0-100 for a percent discount and not negative");
    }
    if (o.reward_minor < 0 || o.reward_minor > kMaxMinor) {
      return InvalidArgument("offer.reward_minor", "must not be negative");
    }
  }
  return OkStatus();
}

}  // namespace

Result<store::Audience> Audiences::Create(const store::Shop& shop, AudienceInput in) {
  VOUCH_TRY(Validate(in));
  store::Audience a;
  a.shop_id = shop.id;
  a.name = std::move(in.name);
  a.categories = std::move(in.categories);
  a.min_order_minor = in.min_order_minor;
  a.max_order_minor = in.max_order_minor;
  a.locales = std::move(in.locales);
  a.repeat_buyer = std::move(in.repeat_buyer);
  a.gate = in.gate;
  a.offer = std::move(in.offer);
  a.created_at = clock_.Now();
  return store_.Write<store::Audience>([&](store::Tx& tx) -> Result<store::Audience> {
    auto existing = tx.audiences().List(shop.id);
    if (!existing) return existing.error();
    if (existing->size() >= kMaxAudiences) {
      return Error{Code::kFailedPrecondition, "a shop has at most 50 audiences; delete one first", "name"};
    }
    auto id = tx.audiences().Insert(a);
    if (!id) return id.error();
    store::Audience out = a;
    out.id = *id;
    return out;
  });
}

Result<std::vector<store::Audience>> Audiences::List(store::Id shop) {
  return store_.Read<std::vector<store::Audience>>(
      [&](store::ReadTx& tx) { return tx.audiences().List(shop); });
}

Result<store::Audience> Audiences::Get(store::Id shop, store::Id audience) {
  auto found = store_.Read<std::optional<store::Audience>>(
      [&](store::ReadTx& tx) { return tx.audiences().Find(shop, audience); });
  if (!found) return found.error();
  if (!*found) return Error{Code::kNotFound, "no such audience", "id"};
  return **found;
}

Status Audiences::Delete(store::Id shop, store::Id audience) {
  auto n = store_.Write<int64_t>(
      [&](store::Tx& tx) { return tx.audiences().Delete(shop, audience, clock_.Now()); });
  if (!n) return n.error();
  if (*n == 0) return Error{Code::kNotFound, "no such audience", "id"};
  return OkStatus();
}

Result<AudienceDecision> Audiences::DecideInTx(store::Tx& tx, const store::Shop& shop, store::Id survey) {
  AudienceDecision d;
  auto all = tx.audiences().List(shop.id);
  if (!all) return all.error();
  if (all->empty()) return d;
  bool gated = false, in_gated = false;
  for (const auto& a : *all) {
    gated = gated || a.gate;
    if (!a.gate && (!a.offer || d.offer_from)) continue;  // says nothing more about this promoter
    auto in = tx.audiences().Contains(a, survey, shop.settings.locale);
    if (!in) return in.error();
    if (!*in) continue;
    in_gated = in_gated || a.gate;
    if (!d.offer_from && a.offer) d.offer_from = a;
  }
  d.activate = !gated || in_gated;
  if (!d.activate) d.offer_from.reset();
  return d;
}

}  // namespace vouch::app
