// The CSV import (app/order_csv): RFC 4180 records read in pieces, mapped onto RawOrder and
// validated. The first byte picks the piece size, so records are cut at every place.
#include <algorithm>

#include "app/order_csv.h"
#include "app/order_input.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 17;
  std::string_view rest = vouch::fuzz::Text(data + 1, size - 1);
  vouch::app::OrderCsvReader reader([&]() -> std::string_view {
    const std::string_view p = rest.substr(0, std::min(piece, rest.size()));
    rest.remove_prefix(p.size());
    return p;
  });
  for (int i = 0; i < 10000; ++i) {
    auto next = reader.Next();
    if (!next || !next->has_value()) break;
    auto order = vouch::app::ValidateOrder(std::move((*next)->raw));
    (void)order;
  }
  return 0;
}
