#pragma once
// Orders in JSON: a single order or a batch mapped onto app::RawOrder (its rules are
// app::ValidateOrder's, app/order_input.h), and ingest results out. Parsers name the offending
// field in the error ("customer.email", "line_items[2].price"). Pure functions, thread-safe.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "app/imports.h"
#include "app/ingest.h"
#include "app/order_input.h"
#include "base/result.h"

namespace vouch::api {

// `default_region`: the shop's, national phone numbers are read in it when no country is given.
Result<app::OrderInput> ParseOrder(std::string_view body, const std::string& default_region = "");
// One element of a batch: the order's id as sent (when readable) and the parsed order or its error.
struct BatchItem {
  std::string id;
  Result<app::OrderInput> order;
};
// A JSON array of orders, or NDJSON (one order per line). Each element parsed alone: a bad one
// yields its error in place. kInvalidArgument for a body that is neither, or over `max` orders.
Result<std::vector<BatchItem>> ParseOrderBatch(std::string_view body, size_t max,
                                               const std::string& default_region = "");

std::string ToJson(const app::IngestResult& r);
// A batch's results in order, each with its index; a failed one as its problem document (and the
// order's id when it was readable), with the counts of created, existing and failed orders.
std::string BatchToJson(const std::vector<Result<app::IngestResult>>& results,
                        const std::vector<std::string>& ids);

// An import's report: the counts, whether a broken record stopped it, and the problems with their
// lines and fields.
std::string ImportToJson(const app::ImportReport& r);

}  // namespace vouch::api
