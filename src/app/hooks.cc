#include "app/hooks.h"

#include "base/crypto.h"

namespace vouch::app {

const char* HookSourceName(HookSource s) {
  switch (s) {
    case HookSource::kShopify: return "shopify";
    case HookSource::kWooCommerce: return "woocommerce";
  }
  return "";
}

std::string HookSignature(std::string_view secret, std::string_view body) {
  return Base64(HmacSha256(secret, body));
}

Result<HookDelivery> Hooks::Open(store::Id shop_id, HookSource source, std::string_view body,
                                 std::string_view signature, const std::string& signature_header,
                                 const std::string& delivery_id) {
  const Error refused{Code::kUnauthenticated, "the webhook signature does not match", signature_header};
  if (signature.empty() || signature.size() > 200) return refused;
  return store_.Read<HookDelivery>([&](store::ReadTx& tx) -> Result<HookDelivery> {
    auto shop = tx.shops().Get(shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return refused;
    const store::ShopSettings& st = (*shop)->settings;
    const std::string& secret =
        source == HookSource::kShopify ? st.shopify_webhook_secret : st.woocommerce_webhook_secret;
    // The comparison runs even without a secret, so the answer takes as long either way.
    const bool match = ConstantTimeEqual(HookSignature(secret, body), signature);
    if (secret.empty() || !match) return refused;
    HookDelivery d{**shop, false};
    if (!delivery_id.empty()) {
      auto seen = tx.shops().SeenDelivery(shop_id, HookSourceName(source), delivery_id);
      if (!seen) return seen.error();
      d.seen = *seen;
    }
    return d;
  });
}

Status Hooks::Remember(store::Id shop, HookSource source, const std::string& delivery_id) {
  if (delivery_id.empty()) return OkStatus();
  const Instant now = clock_.Now();
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto added = tx.shops().RememberDelivery(shop, HookSourceName(source), delivery_id, now);
    if (!added) return added.error();
    return tx.shops().ForgetDeliveries(shop, now - kRetention);
  });
}

}  // namespace vouch::app
