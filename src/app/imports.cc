#include "app/imports.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace vouch::app {
namespace {

// The line of the row an order's error is in: a line item's own row, else the order's first.
size_t LineOf(const CsvOrder& o, const std::string& field) {
  constexpr std::string_view kItems = "line_items[";
  if (field.rfind(kItems, 0) != 0) return o.line;
  size_t i = 0;
  const char* begin = field.data() + kItems.size();
  const auto [ptr, ec] = std::from_chars(begin, field.data() + field.size(), i);
  return ec == std::errc{} && i < o.item_lines.size() ? o.item_lines[i] : o.line;
}

void Problem(ImportReport& report, size_t line, const Error& e) {
  ++report.failed;
  if (report.problems.size() < Imports::kMaxProblems) report.problems.push_back({line, e.field, e.message});
}

}  // namespace

Result<ImportReport> Imports::Orders(const store::Shop& shop, CsvSource source,
                                     const ImportOptions& options) {
  OrderCsvReader reader(std::move(source));
  ImportReport report;
  const Instant now = clock_.Now();
  std::vector<OrderInput> chunk;
  std::vector<size_t> lines;
  auto flush = [&] {
    auto results = ingest_.Batch(shop, chunk);
    for (size_t i = 0; i < results.size(); ++i) {
      if (!results[i]) {
        Problem(report, lines[i], results[i].error());
      } else if (results[i]->created) {
        ++report.created;
        if (results[i]->survey.scheduled) ++report.surveyed;
      } else {
        ++report.existing;
      }
    }
    chunk.clear();
    lines.clear();
  };
  for (;;) {
    auto next = reader.Next();
    if (!next) {
      const Error& e = next.error();
      if (e.field == "header") return e;  // nothing to import
      size_t line = 0;                    // the field is "line N"
      std::from_chars(e.field.data() + std::min<size_t>(5, e.field.size()), e.field.data() + e.field.size(),
                      line);
      Problem(report, line, e);
      report.stopped = true;
      break;
    }
    if (!next->has_value()) break;
    CsvOrder& o = **next;
    o.raw.default_region = shop.settings.default_region;
    auto order = ValidateOrder(std::move(o.raw));
    if (!order) {
      Problem(report, LineOf(o, order.error().field), order.error());
      continue;
    }
    order->survey = options.survey_recent && order->created_at >= now - *options.survey_recent;
    chunk.push_back(std::move(*order));
    lines.push_back(o.line);
    if (chunk.size() >= kChunk) flush();
  }
  if (!chunk.empty()) flush();
  return report;
}

Result<Millis> ParseSpan(std::string_view text, const std::string& field) {
  auto bad = [&] { return InvalidArgument(field, "must be a span such as \"30d\" or \"12h\""); };
  if (text.size() < 2) return bad();
  int64_t n = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc{} || ptr != end || n <= 0 || n > 36500) return bad();
  if (text.back() == 'd') return Millis{std::chrono::days{n}};
  if (text.back() == 'h') return Millis{std::chrono::hours{n}};
  return bad();
}

}  // namespace vouch::app
