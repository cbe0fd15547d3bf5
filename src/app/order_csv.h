#pragma once
// Orders in CSV (an import): RFC 4180 records read in pieces from any source, and rows mapped
// onto app::RawOrder by their column names, so ValidateOrder holds every rule and error as for the
// JSON API. Two column sets are understood (names compared case-insensitively, spaces as '_'):
//
//   Vouch's:   id, created_at, currency, total_price, customer_id, email, phone, first_name,
//              last_name, locale, discount_codes (comma-separated), product_id, title, category,
//              quantity, price
//   Shopify's order export: Id (else Name), Created at ("2026-11-20 10:15:00 +0100"), Currency,
//              Total, Email, Phone (else Billing Phone, Shipping Phone in international form),
//              Billing Name (first word: first name, the rest: last name), Discount Code,
//              Lineitem sku, Lineitem name, Lineitem quantity, Lineitem price
//
// An order's line items are consecutive rows with the same id (Shopify writes one row per line
// item, the order's own columns filled on the first only); the first row's other columns make the
// order. Other columns are ignored. Not thread-safe; one reader per source.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/order_input.h"
#include "base/result.h"

namespace vouch::app {

// The next piece of the source; empty at its end. A piece stays valid until the next call.
using CsvSource = std::function<std::string_view()>;

// RFC 4180: fields separated by ',', records by CRLF or LF, fields in double quotes may hold
// commas, line breaks and "" for a quote. A UTF-8 byte order mark before the first record is
// skipped.
class CsvReader {
 public:
  explicit CsvReader(CsvSource source) : source_(std::move(source)) {}
  // The next record and the line it starts on (1-based); nullopt at the end. kInvalidArgument
  // (field "line N") for a quote left open at the end or text after a closing quote.
  Result<std::optional<std::vector<std::string>>> Next(size_t& line);

 private:
  bool Peek(char& c);
  CsvSource source_;
  std::string_view piece_;
  size_t pos_ = 0;
  size_t line_ = 1;
  bool started_ = false;
  bool ended_ = false;
};

// One order of the file: its rows' first line, the lines of its line items, and the order as
// the file gave it.
struct CsvOrder {
  size_t line = 0;
  std::vector<size_t> item_lines;
  RawOrder raw;
};

class OrderCsvReader {
 public:
  explicit OrderCsvReader(CsvSource source) : csv_(std::move(source)) {}
  // The next order; nullopt at the end. kInvalidArgument for a header without an id or created_at
  // column (field "header") and for a broken record (field "line N"): the file cannot be read on.
  Result<std::optional<CsvOrder>> Next();

 private:
  Status ReadHeader();
  // The cell of column `name` in `row` ("" when the file has no such column).
  std::string_view Cell(const std::vector<std::string>& row, std::string_view name) const;
  std::string IdOf(const std::vector<std::string>& row) const;
  void AddItem(const std::vector<std::string>& row, size_t line, CsvOrder& order) const;
  CsvOrder Start(const std::vector<std::string>& row, size_t line) const;

  CsvReader csv_;
  bool header_read_ = false;
  std::map<std::string, size_t, std::less<>> columns_;
  std::optional<std::vector<std::string>> pending_;  // a row read ahead: the next order's first
  size_t pending_line_ = 0;
  std::optional<Error> pending_error_;  // a broken record met while reading ahead
};

}  // namespace vouch::app
