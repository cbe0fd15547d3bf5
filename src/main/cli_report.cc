// vouch report nps (the NPS table in a terminal) and vouch bench links (answer URLs for the load
// harness).
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "main/bench_support.h"
#include "main/cli.h"

namespace vouch::main::cli {
namespace {

struct ReportOptions {
  int64_t shop = 0;
  std::string from, to, interval = "week", segment;
};

std::string Fmt1(double v) { return fmt::format("{:.1f}", v); }

// --from/--to: days (whole UTC days, --to inclusive) or RFC 3339 instants; default: 90 days to today.
Result<std::pair<Instant, Instant>> RangeOf(const ReportOptions& o, Instant now) {
  Instant to = DayStart(DayNumber(now) + 1);
  if (!o.to.empty()) {
    auto v = ParseDateOrTime(o.to, "--to");
    if (!v) return v.error();
    to = o.to.size() == 10 ? *v + std::chrono::days{1} : *v;
  }
  Instant from = to - std::chrono::days{90};
  if (!o.from.empty()) {
    auto v = ParseDateOrTime(o.from, "--from");
    if (!v) return v.error();
    from = *v;
  }
  return std::make_pair(from, to);
}

std::string NpsRow(const std::string& label, const core::NpsEstimate& e) {
  const std::string nps = e.n ? Fmt1(e.nps) : "-";
  const std::string ci = e.n ? fmt::format("[{}, {}]", Fmt1(e.ci_low), Fmt1(e.ci_high)) : "";
  return fmt::format("{:<12} {:>7} {:>15} {:>6} {:>6} {:>6} {:>6}\n", label, nps, ci, e.n, e.promoters,
                     e.passives, e.detractors);
}

int PrintNps(app::App& app, const ReportOptions& o) {
  auto range = RangeOf(o, app.clock().Now());
  if (!range) return Fail(range.error());
  auto interval = app::ParseInterval(o.interval);
  if (!interval) return Fail(interval.error());
  std::optional<std::string> segment;
  if (!o.segment.empty()) segment = o.segment;
  auto r = app.reports().Nps(o.shop, range->first, range->second, *interval, segment);
  if (!r) return Fail(r.error());
  std::cout << fmt::format("{:<12} {:>7} {:>15} {:>6} {:>6} {:>6} {:>6}\n", "period", "NPS", "95% interval",
                           "n", "prom", "pass", "detr");
  for (const auto& b : r->buckets) std::cout << NpsRow(FormatRfc3339(b.start).substr(0, 10), b.estimate);
  std::cout << NpsRow("overall", r->overall);
  std::cout << fmt::format(
      "NPS = % promoters - % detractors; interval: adjusted Wald (Rocks 2016), margin ±{}\n",
      Fmt1(r->overall.margin));
  return 0;
}

}  // namespace

void AddReportCommands(CLI::App& cli, Commands& out) {
  auto* report = cli.add_subcommand("report", "print reports");
  report->require_subcommand(1);
  auto* nps = report->add_subcommand("nps", "NPS table with 95% intervals");
  auto o = std::make_shared<ReportOptions>();
  nps->add_option("--shop", o->shop, "shop id")->required();
  nps->add_option("--from", o->from, "first day (YYYY-MM-DD), default 90 days ago");
  nps->add_option("--to", o->to, "last day (YYYY-MM-DD), default today");
  nps->add_option("--interval", o->interval, "day, week or month");
  nps->add_option("--segment", o->segment, "product category");
  out.push_back(
      {nps, [o](const Config& c) { return WithApp(c, [&](app::App& app) { return PrintNps(app, *o); }); }});

  auto* bench = cli.add_subcommand("bench", "helpers for the load harness bench/run");
  bench->require_subcommand(1);
  auto* links = bench->add_subcommand("links", "print answer URLs of a shop's surveys, oldest first");
  struct LinkOptions {
    int64_t shop = 0;
    int limit = 1000, score = 9;
  };
  auto l = std::make_shared<LinkOptions>();
  links->add_option("--shop", l->shop, "shop id")->required();
  links->add_option("--limit", l->limit, "at most this many surveys");
  links->add_option("--score", l->score, "the score the links answer");
  out.push_back({links, [l](const Config& c) {
                   return WithApp(c, [&](app::App& app) {
                     return PrintAnswerLinks(app, l->shop, l->limit, l->score, std::cout);
                   });
                 }});
}

}  // namespace vouch::main::cli
