#pragma once
// Hooks: webhooks a shop's store software sends (Shopify, WooCommerce). Which shop a delivery is
// for and whether its signature holds (base64 HMAC-SHA256 of the raw body under the shop's secret
// for that source, compared in constant time), and the deliveries seen lately, so one sent again
// (Shopify retries for 48 hours) is answered without being done twice. What a delivery means is
// the other use cases' (ingest, privacy); the formats are the api module's.
// Thread-safe; every method blocks on the store.
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

enum class HookSource { kShopify, kWooCommerce };
// "shopify", "woocommerce": as stored with a remembered delivery.
const char* HookSourceName(HookSource s);

// The signature a source sends for `body` under `secret`: base64 (with padding) of its
// HMAC-SHA256. Pure.
std::string HookSignature(std::string_view secret, std::string_view body);

struct HookDelivery {
  store::Shop shop;
  bool seen = false;  // this delivery id was remembered before: answer, do nothing
};

class Hooks {
 public:
  // How long a delivery id is remembered: longer than Shopify's 48 hours of retries.
  static constexpr std::chrono::days kRetention{7};

  Hooks(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The shop of a delivery whose `signature` matches the body under the shop's secret for
  // `source`, and whether `delivery_id` (may be empty: never seen) was remembered. An unknown
  // shop, a shop without that secret and a wrong signature are all kUnauthenticated (field
  // `signature_header`), so a caller learns nothing of which shops exist.
  Result<HookDelivery> Open(store::Id shop_id, HookSource source, std::string_view body,
                            std::string_view signature, const std::string& signature_header,
                            const std::string& delivery_id);
  // Remembers a delivery that was done (nothing for an empty id) and forgets the shop's
  // deliveries older than kRetention.
  Status Remember(store::Id shop, HookSource source, const std::string& delivery_id);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace vouch::app
