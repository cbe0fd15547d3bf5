// The shop webhooks' JSON (api/json_hooks): Shopify's orders, refunds and privacy requests and
// WooCommerce's orders. The first byte picks the parser.
#include "api/json_hooks.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body = vouch::fuzz::Text(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: (void)vouch::api::ParseShopifyOrder(body, "DE"); break;
    case 1: (void)vouch::api::ParseShopifyPrivacySubject(body); break;
    case 2: (void)vouch::api::ParseShopifyOrderId(body); break;
    case 3: (void)vouch::api::ParseShopifyRefund(body); break;
    default: {
      auto woo = vouch::api::ParseWooOrder(body, "DE");
      if (woo) {
        for (const auto& r : woo->refunds)
          vouch::fuzz::Require(!r.amount.starts_with('-'), "refunds positive");
      }
    }
  }
  return 0;
}
