// Batches of orders (POST /api/v1/orders/batch): a JSON array or NDJSON, each element alone.
#include "api/json_orders.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto batch = vouch::api::ParseOrderBatch(vouch::fuzz::Text(data, size), 64);
  if (batch) vouch::fuzz::Require(batch->size() <= 64, "a batch holds at most max orders");
  return 0;
}
