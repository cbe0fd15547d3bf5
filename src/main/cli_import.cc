// vouch import orders FILE.csv --shop N [--survey-recent 30d]: a shop's order history from a CSV
// file (the columns: app/order_csv.h), read in pieces, so a file of any size takes little memory.
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "api/json_orders.h"
#include "main/cli.h"

namespace vouch::main::cli {
namespace {

struct ImportCliOptions {
  std::string file;
  int64_t shop = 0;
  std::string survey_recent;
};

}  // namespace

void AddImportCommands(CLI::App& cli, Commands& out) {
  auto* import = cli.add_subcommand("import", "import a shop's history");
  import->require_subcommand(1);
  auto o = std::make_shared<ImportCliOptions>();
  auto* orders = import->add_subcommand(
      "orders",
      "import orders from a CSV file (Vouch's columns or Shopify's order export); prints a JSON report");
  orders->add_option("file", o->file, "the CSV file")->required();
  orders->add_option("--shop", o->shop, "shop id")->required();
  orders->add_option(
      "--survey-recent", o->survey_recent,
      "survey the orders placed within this span before now (\"30d\", \"12h\"); default: none");
  out.push_back({orders, [o](const Config& c) {
                   app::ImportOptions options;
                   if (!o->survey_recent.empty()) {
                     auto span = app::ParseSpan(o->survey_recent, "--survey-recent");
                     if (!span) return Fail(span.error());
                     options.survey_recent = *span;
                   }
                   std::ifstream in(o->file, std::ios::binary);
                   if (!in) return Fail(InvalidArgument("file", "cannot be opened: " + o->file));
                   return WithApp(c, [&](app::App& app) {
                     auto shops = app.shops().List();
                     if (!shops) return Fail(shops.error());
                     const store::Shop* shop = nullptr;
                     for (const auto& s : *shops) {
                       if (s.id == o->shop) shop = &s;
                     }
                     if (shop == nullptr) return Fail(NotFound("--shop: no shop with this id"));
                     std::string buffer(1 << 16, '\0');
                     app::CsvSource source = [&]() -> std::string_view {
                       in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                       return std::string_view(buffer.data(), static_cast<size_t>(in.gcount()));
                     };
                     auto report = app.imports().Orders(*shop, std::move(source), options);
                     if (!report) return Fail(report.error());
                     std::cout << api::ImportToJson(*report) << "\n";
                     return report->failed == 0 ? 0 : 1;
                   });
                 }});
}

}  // namespace vouch::main::cli
