#include <algorithm>
#include <map>
#include <utility>

#include "app/reports.h"

namespace vouch::app {
namespace {

constexpr size_t kMaxBuckets = 5000;

// Start of the bucket holding `day` (days since the epoch). Weeks start on Monday (ISO 8601).
int64_t BucketStart(int64_t day, Interval interval) {
  if (interval == Interval::kWeek) {
    // 1970-01-01 was a Thursday: shift so Monday is 0.
    const int64_t weekday = ((day + 3) % 7 + 7) % 7;
    return day - weekday;
  }
  if (interval == Interval::kMonth) {
    std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    return std::chrono::sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count();
  }
  return day;
}

int64_t NextBucket(int64_t start, Interval interval) {
  if (interval == Interval::kWeek) return start + 7;
  if (interval == Interval::kMonth) {
    std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{start}}};
    auto next = ymd.year() / ymd.month() / 1 + std::chrono::months{1};
    return std::chrono::sys_days{next}.time_since_epoch().count();
  }
  return start + 1;
}

}  // namespace

int64_t BucketStartDay(int64_t day, Interval interval) { return BucketStart(day, interval); }
int64_t NextBucketDay(int64_t start, Interval interval) { return NextBucket(start, interval); }

const char* IntervalName(Interval i) {
  switch (i) {
    case Interval::kDay: return "day";
    case Interval::kWeek: return "week";
    case Interval::kMonth: return "month";
  }
  return "day";
}

Result<Interval> ParseInterval(std::string_view name) {
  for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth}) {
    if (name == IntervalName(i)) return i;
  }
  return InvalidArgument("interval", "must be day, week or month");
}

namespace {

// Rollups are per UTC day: a range covers the days it touches, [first, end).
struct DaySpan {
  int64_t first = 0;
  int64_t end = 0;
};
DaySpan DaysOf(Instant from, Instant to) { return {DayNumber(from), DayNumber(to - Millis{1}) + 1}; }

core::ScoreCounts Sum(const std::vector<store::DayCounts>& days) {
  core::ScoreCounts all;
  for (const auto& d : days) all += d.counts;
  return all;
}

// What the NPS report reads, in one read transaction.
struct NpsRead {
  std::vector<store::DayCounts> days;  // of the segment, or the whole shop
  std::vector<store::SegmentCounts> segments;
};

}  // namespace

Result<NpsReport> Reports::Nps(store::Id shop, Instant from, Instant to, Interval interval,
                               const std::optional<std::string>& segment, bool significance,
                               const std::optional<store::AudienceCut>& audience) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  const auto [from_day, to_day] = DaysOf(from, to);
  // The plain report is one statement without BEGIN/COMMIT (ReadOne), as before the marks; the
  // marks read the segments too, in one transaction so both reads see the same answers.
  auto read_rollup = [&](store::ReadTx& tx) -> Result<NpsRead> {
    auto rollup = audience ? tx.audiences().AnswersByDay(*audience, from_day, to_day, segment)
                           : tx.reports().RollupByDay(shop, from_day, to_day, segment);
    if (!rollup) return rollup.error();
    if (!significance) return NpsRead{std::move(*rollup), {}};
    auto segments = tx.reports().SegmentTotals(shop, from_day, to_day);
    if (!segments) return segments.error();
    return NpsRead{std::move(*rollup), std::move(*segments)};
  };
  auto read = significance ? store_.Read<NpsRead>(read_rollup) : store_.ReadOne<NpsRead>(read_rollup);
  if (!read) return read.error();
  const auto* days = &read->days;

  NpsReport report;
  report.from = DayStart(from_day);
  report.to = DayStart(to_day);
  report.interval = interval;
  report.segment = segment;
  if (audience) report.audience = audience->audience;
  std::map<int64_t, core::ScoreCounts> by_bucket;
  core::ScoreCounts all;
  for (const auto& d : *days) {
    by_bucket[BucketStart(d.day, interval)] += d.counts;
    all += d.counts;
  }
  report.overall = core::EstimateNps(all);
  report.scores = all;
  const int64_t span = to_day - from_day;
  const int64_t most = interval == Interval::kDay    ? span
                       : interval == Interval::kWeek ? span / 7 + 2
                                                     : span / 28 + 2;
  report.buckets.reserve(std::min(static_cast<size_t>(most), kMaxBuckets));
  const core::ScoreCounts* previous = nullptr;
  for (int64_t b = BucketStart(from_day, interval); b < to_day; b = NextBucket(b, interval)) {
    if (report.buckets.size() >= kMaxBuckets) {
      return InvalidArgument("interval", "too many buckets for this range: choose a longer interval");
    }
    NpsBucket bucket;
    bucket.start = DayStart(std::max(b, from_day));
    bucket.end = DayStart(std::min(NextBucket(b, interval), to_day));
    auto it = by_bucket.find(b);
    const core::ScoreCounts* counts = it == by_bucket.end() ? nullptr : &it->second;
    bucket.estimate = core::EstimateNps(counts ? *counts : core::ScoreCounts{});
    if (significance && counts && previous && counts->Total() > 0 && previous->Total() > 0) {
      bucket.vs_previous = core::CompareNps(*previous, *counts);
    }
    if (counts && counts->Total() > 0) previous = counts;
    report.buckets.push_back(std::move(bucket));
  }
  // The shop's answers are the segments' answers: each segment against the sum of the others.
  core::ScoreCounts shop_all;
  for (const auto& seg : read->segments) shop_all += seg.counts;
  report.segments.reserve(read->segments.size());
  for (auto& seg : read->segments) {
    report.segments.push_back(
        {seg.segment, core::CompareNps(core::Without(shop_all, seg.counts), seg.counts)});
  }
  if (significance && (segment || audience))
    report.vs_rest = core::CompareNps(core::Without(shop_all, all), all);
  report.significance = significance;
  return report;
}

Result<NpsComparison> Reports::CompareNps(store::Id shop, const NpsSide& a, const NpsSide& b) {
  if (a.to <= a.from) return InvalidArgument("a_to", "must be after a_from");
  if (b.to <= b.from) return InvalidArgument("b_to", "must be after b_from");
  const DaySpan da = DaysOf(a.from, a.to);
  const DaySpan db = DaysOf(b.from, b.to);
  using Pair = std::pair<core::ScoreCounts, core::ScoreCounts>;
  auto counts = store_.Read<Pair>([&](store::ReadTx& tx) -> Result<Pair> {
    auto days_of = [&](const NpsSide& s, const DaySpan& d) {
      return s.audience ? tx.audiences().AnswersByDay(*s.audience, d.first, d.end, s.segment)
                        : tx.reports().RollupByDay(shop, d.first, d.end, s.segment);
    };
    auto days_a = days_of(a, da);
    if (!days_a) return days_a.error();
    auto days_b = days_of(b, db);
    if (!days_b) return days_b.error();
    return Pair{Sum(*days_a), Sum(*days_b)};
  });
  if (!counts) return counts.error();
  NpsComparison c;
  c.a = {DayStart(da.first), DayStart(da.end), a.segment, a.audience};
  c.b = {DayStart(db.first), DayStart(db.end), b.segment, b.audience};
  c.result = core::CompareNps(counts->first, counts->second);
  return c;
}

Result<std::vector<store::CategoryCount>> Reports::Categories(store::Id shop) {
  return store_.ReadOne<std::vector<store::CategoryCount>>(
      [&](store::ReadTx& tx) { return tx.reports().Categories(shop); });
}

Result<store::Funnel> Reports::Funnel(store::Id shop, Instant from, Instant to) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  return store_.Read<store::Funnel>(
      [&](store::ReadTx& tx) { return tx.reports().FunnelCounts(shop, from, to); });
}

Result<std::vector<store::PromoterRow>> Reports::Promoters(store::Id shop, Instant from, Instant to,
                                                           int limit) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  return store_.Read<std::vector<store::PromoterRow>>([&](store::ReadTx& tx) {
    return tx.reports().TopPromoters(shop, from, to, std::clamp(limit, 1, 1000));
  });
}

Result<store::ResponseFilter> ResponseFilterOf(const ResponseQuery& q) {
  if (q.to <= q.from) return InvalidArgument("to", "must be after from");
  store::ResponseFilter f;
  f.from = q.from;
  f.to = q.to;
  if (q.category == "detractor") {
    f.max_score = 6;
  } else if (q.category == "passive") {
    f.min_score = 7;
    f.max_score = 8;
  } else if (q.category == "promoter") {
    f.min_score = 9;
  } else if (!q.category.empty()) {
    return InvalidArgument("category", "must be detractor, passive or promoter");
  }
  if (q.score) {
    if (*q.score < 0 || *q.score > 10) return InvalidArgument("score", "must be an integer from 0 to 10");
    // Both filters hold: a score outside the category matches nothing.
    f.min_score = std::max(f.min_score, *q.score);
    f.max_score = std::min(f.max_score, *q.score);
  }
  if (q.text.size() > kMaxResponseText) {
    return InvalidArgument("q", "must be at most " + std::to_string(kMaxResponseText) + " bytes");
  }
  f.text = q.text;
  if (q.segment && q.segment->size() > kMaxResponseText) {
    return InvalidArgument("segment", "must be at most " + std::to_string(kMaxResponseText) + " bytes");
  }
  f.segment = q.segment;
  if (!q.followup.empty()) {
    auto status = store::ParseFollowupStatus(q.followup);
    if (!status) return InvalidArgument("followup", "must be open or resolved");
    f.followup = *status;
  }
  return f;
}

Result<std::vector<store::ResponseRow>> Reports::Responses(store::Id shop, Instant from, Instant to,
                                                           const std::string& category, store::Id after,
                                                           int limit) {
  ResponseQuery q;
  q.from = from;
  q.to = to;
  q.category = category;
  auto filter = ResponseFilterOf(q);
  if (!filter) return filter.error();
  return Responses(shop, *filter, after, limit);
}

Result<std::vector<store::ResponseRow>> Reports::Responses(store::Id shop,
                                                           const store::ResponseFilter& filter,
                                                           store::Id after, int limit) {
  return store_.ReadOne<std::vector<store::ResponseRow>>([&](store::ReadTx& tx) {
    return tx.reports().ListResponses(shop, filter, after, std::clamp(limit, 1, 1000));
  });
}

Status Reports::ExportResponses(store::Id shop, const store::ResponseFilter& filter, store::Id after,
                                int limit, const std::function<void(const store::ResponseRow&)>& row) {
  return store_.ReadOne<Ok>(
      [&](store::ReadTx& tx) { return tx.reports().EachResponse(shop, filter, after, limit, row); });
}

Status Reports::ExportPromoters(store::Id shop, Instant from, Instant to, store::Id after, int limit,
                                const std::function<void(const store::PromoterRow&)>& row) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  return store_.ReadOne<Ok>(
      [&](store::ReadTx& tx) { return tx.reports().EachPromoter(shop, from, to, after, limit, row); });
}

Result<store::PromoterPage> Reports::Promoter(store::Id shop, const std::string& customer_external_id) {
  auto page = store_.Read<std::optional<store::PromoterPage>>(
      [&](store::ReadTx& tx) { return tx.reports().Promoter(shop, customer_external_id); });
  if (!page) return page.error();
  if (!*page) return Error{Code::kNotFound, "no customer with this id", "customer_id"};
  return std::move(**page);
}

}  // namespace vouch::app
