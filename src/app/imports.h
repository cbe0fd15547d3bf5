#pragma once
// Imports: a shop's order history from a CSV file (app/order_csv.h for the columns), each order
// validated by ValidateOrder and ingested through Ingest::Batch in chunks, so an import is as
// idempotent as the API (per order id: importing a file again changes nothing) and nearly as fast
// as its batches. Orders from the past are stored without a survey, unless placed within
// `survey_recent`; either way they are the customer's history ("existing customer" for
// attribution). A bad order is reported with its line and field and the rest go on.
// Thread-safe; blocks on the store.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ingest.h"
#include "app/order_csv.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct ImportOptions {
  // Orders placed within this span before now get a survey as the API's would; none when unset.
  std::optional<Millis> survey_recent;
};

struct ImportProblem {
  size_t line = 0;    // of the order's row (or of the line item's row the field is in)
  std::string field;  // as ValidateOrder names it ("total_price", "line_items[1].quantity")
  std::string message;
};

struct ImportReport {
  int64_t created = 0, existing = 0, failed = 0, surveyed = 0;
  std::vector<ImportProblem> problems;  // the first kMaxProblems
  bool stopped = false;                 // a broken record ended the reading (its problem is the last)
};

class Imports {
 public:
  static constexpr size_t kChunk = 2000;  // orders per Ingest::Batch call
  static constexpr size_t kMaxProblems = 1000;

  Imports(Ingest& ingest, const Clock& clock) : ingest_(ingest), clock_(clock) {}

  // kInvalidArgument (field "header") when the file has no usable header: nothing is imported.
  Result<ImportReport> Orders(const store::Shop& shop, CsvSource source, const ImportOptions& options);

 private:
  Ingest& ingest_;
  const Clock& clock_;
};

// A span such as "30d" or "12h" (days or hours, a positive integer), for survey_recent;
// kInvalidArgument naming `field`.
Result<Millis> ParseSpan(std::string_view text, const std::string& field);

}  // namespace vouch::app
