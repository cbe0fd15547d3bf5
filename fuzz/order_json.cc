// Order JSON → OrderInput (POST /api/v1/orders): the JSON mapping and every rule of ValidateOrder.
#include "api/json_orders.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto order = vouch::api::ParseOrder(vouch::fuzz::Text(data, size));
  if (order) {
    vouch::fuzz::Require(!order->external_id.empty(), "an accepted order has an id");
    vouch::fuzz::Require(order->total_minor >= 0, "an accepted total is not negative");
  } else {
    vouch::fuzz::Require(order.error().code == vouch::Code::kInvalidArgument,
                         "a refusal is kInvalidArgument");
  }
  return 0;
}
