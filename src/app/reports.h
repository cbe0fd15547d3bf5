#pragma once
// Reports: NPS over time with confidence intervals (from the daily rollups), the referral funnel,
// top promoters and the answers themselves. Reads only. Thread-safe; every method blocks on the
// store. Errors: kInvalidArgument (field "interval", "to", "category") for a bad request, store
// errors.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "core/nps.h"
#include "store/store.h"

namespace vouch::app {

// The width of an NPS report's buckets. Weeks start on Monday (ISO 8601), months on the 1st (UTC).
enum class Interval { kDay, kWeek, kMonth };
// "day", "week", "month": the name the API and the CLI take and the JSON report shows.
const char* IntervalName(Interval i);
// The interval named `name` (exactly, as IntervalName gives it); kInvalidArgument with field
// "interval" for anything else (empty included).
Result<Interval> ParseInterval(std::string_view name);
// The first day (days since the epoch) of the bucket holding `day`, and of the bucket after the
// one starting on `start`.
int64_t BucketStartDay(int64_t day, Interval interval);
int64_t NextBucketDay(int64_t start, Interval interval);

struct NpsBucket {
  Instant start{};
  Instant end{};
  core::NpsEstimate estimate;
  // Against the bucket before it (a = previous, b = this one); empty for the first bucket and
  // when either has no answers.
  std::optional<core::NpsDifference> vs_previous;
};

// A segment against the rest of the shop over the same days (a = the rest, b = the segment).
struct SegmentNps {
  std::string segment;
  core::NpsDifference vs_rest;
};

struct NpsReport {
  Instant from{};
  Instant to{};
  Interval interval = Interval::kDay;
  std::optional<std::string> segment;
  std::optional<store::Audience> audience;  // the cut (answers whose surveyed order is in it), if any
  core::NpsEstimate overall;
  core::ScoreCounts scores;  // the whole range's answers by score, 0 to 10 (the histogram)
  std::vector<NpsBucket> buckets;
  bool significance = false;  // asked for: the marks below were worked out
  // With a segment or an audience: it against the rest of the shop.
  std::optional<core::NpsDifference> vs_rest;
  // Every segment with answers in the range, each against the rest of the shop, by name.
  std::vector<SegmentNps> segments;
};

// One side of an NPS comparison: a range of whole UTC days, an optional segment and an optional
// audience (answers whose surveyed order is in it, as Nps cuts them).
struct NpsSide {
  Instant from{};
  Instant to{};
  std::optional<std::string> segment;
  std::optional<store::AudienceCut> audience;
};

struct NpsComparison {
  NpsSide a;  // days widened as Nps widens them
  NpsSide b;
  core::NpsDifference result;
};

// The answers feed's filters as the API takes them: answered in [from, to); category "",
// "detractor", "passive" or "promoter"; an exact score; text in the comment (case-insensitive,
// literal); follow-up "", "open" or "resolved" (detractors only). They combine (AND).
struct ResponseQuery {
  Instant from{};
  Instant to{};
  std::string category;
  std::optional<int> score;
  std::string text;
  std::string followup;
  std::optional<std::string> segment;  // a product category; at most kMaxResponseText bytes
};
inline constexpr size_t kMaxResponseText = 200;  // bytes of a text filter

// The store's filter for a query. kInvalidArgument naming "to", "category", "score" (not 0-10),
// "q" or "segment" (over kMaxResponseText bytes) or "followup".
Result<store::ResponseFilter> ResponseFilterOf(const ResponseQuery& q);

class Reports {
 public:
  explicit Reports(store::Store& store) : store_(store) {}

  // The whole UTC days [from, to) touches, in buckets of `interval`. With `significance`, also
  // each bucket's vs_previous, each segment's vs_rest (`segments`) and, with a segment, the
  // report's vs_rest: one more read of the rollup, so the plain report stays as cheap as it was.
  Result<NpsReport> Nps(store::Id shop, Instant from, Instant to, Interval interval,
                        const std::optional<std::string>& segment, bool significance = false,
                        const std::optional<store::AudienceCut>& audience = std::nullopt);
  // B against A (core::CompareNps). kInvalidArgument naming "a_to"/"b_to" for an empty range.
  Result<NpsComparison> CompareNps(store::Id shop, const NpsSide& a, const NpsSide& b);
  Result<store::Funnel> Funnel(store::Id shop, Instant from, Instant to);
  // The product categories seen in the shop's orders, by name, with their order counts.
  Result<std::vector<store::CategoryCount>> Categories(store::Id shop);
  // `limit` is clamped to 1..1000.
  Result<std::vector<store::PromoterRow>> Promoters(store::Id shop, Instant from, Instant to, int limit);
  // `category`: "", detractor, passive or promoter; a page after survey id `after`; `limit`
  // clamped to 1..1000.
  Result<std::vector<store::ResponseRow>> Responses(store::Id shop, Instant from, Instant to,
                                                    const std::string& category, store::Id after, int limit);
  Result<std::vector<store::ResponseRow>> Responses(store::Id shop, const store::ResponseFilter& filter,
                                                    store::Id after, int limit);

  // One page of an export, in one short read of its own: at most `limit` rows after the keyset
  // position `after` (answers: survey id, descending, 0 for the start; promoters: code id,
  // ascending), each handed to `row` as it is read. The caller pages on from the last row's key.
  Status ExportResponses(store::Id shop, const store::ResponseFilter& filter, store::Id after, int limit,
                         const std::function<void(const store::ResponseRow&)>& row);
  Status ExportPromoters(store::Id shop, Instant from, Instant to, store::Id after, int limit,
                         const std::function<void(const store::PromoterRow&)>& row);

  // A promoter's page: the shop's customer with this external id, their codes, answers,
  // referrals and rewards. kNotFound "customer_id" when the shop has no such customer.
  Result<store::PromoterPage> Promoter(store::Id shop, const std::string& customer_external_id);

 private:
  store::Store& store_;
};

}  // namespace vouch::app
