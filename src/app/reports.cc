#include <algorithm>
#include <map>

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

Result<NpsReport> Reports::Nps(store::Id shop, Instant from, Instant to, Interval interval,
                               const std::optional<std::string>& segment) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  // Rollups are per UTC day: a range covers the days it touches.
  const int64_t from_day = DayNumber(from);
  const int64_t to_day = DayNumber(to - Millis{1}) + 1;
  auto days = store_.ReadOne<std::vector<store::DayCounts>>(
      [&](store::ReadTx& tx) { return tx.reports().RollupByDay(shop, from_day, to_day, segment); });
  if (!days) return days.error();

  NpsReport report;
  report.from = DayStart(from_day);
  report.to = DayStart(to_day);
  report.interval = interval;
  report.segment = segment;
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
  for (int64_t b = BucketStart(from_day, interval); b < to_day; b = NextBucket(b, interval)) {
    if (report.buckets.size() >= kMaxBuckets) {
      return InvalidArgument("interval", "too many buckets for this range: choose a longer interval");
    }
    NpsBucket bucket;
    bucket.start = DayStart(std::max(b, from_day));
    bucket.end = DayStart(std::min(NextBucket(b, interval), to_day));
    auto it = by_bucket.find(b);
    bucket.estimate = core::EstimateNps(it == by_bucket.end() ? core::ScoreCounts{} : it->second);
    report.buckets.push_back(bucket);
  }
  return report;
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
