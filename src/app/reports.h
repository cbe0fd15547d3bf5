#pragma once
// Reports: NPS over time with confidence intervals (from the daily rollups), the referral funnel,
// top promoters and the answers themselves. Reads only. Thread-safe; every method blocks on the
// store. Errors: kInvalidArgument (field "interval", "to", "category") for a bad request, store
// errors.
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

struct NpsBucket {
  Instant start{};
  Instant end{};
  core::NpsEstimate estimate;
};

struct NpsReport {
  Instant from{};
  Instant to{};
  Interval interval = Interval::kDay;
  std::optional<std::string> segment;
  core::NpsEstimate overall;
  core::ScoreCounts scores;  // the whole range's answers by score, 0 to 10 (the histogram)
  std::vector<NpsBucket> buckets;
};

class Reports {
 public:
  explicit Reports(store::Store& store) : store_(store) {}

  // The whole UTC days [from, to) touches, in buckets of `interval`.
  Result<NpsReport> Nps(store::Id shop, Instant from, Instant to, Interval interval,
                        const std::optional<std::string>& segment);
  Result<store::Funnel> Funnel(store::Id shop, Instant from, Instant to);
  // `limit` is clamped to 1..1000.
  Result<std::vector<store::PromoterRow>> Promoters(store::Id shop, Instant from, Instant to, int limit);
  // `category`: "", detractor, passive or promoter; a page after survey id `after`; `limit`
  // clamped to 1..1000.
  Result<std::vector<store::ResponseRow>> Responses(store::Id shop, Instant from, Instant to,
                                                    const std::string& category, store::Id after, int limit);

 private:
  store::Store& store_;
};

}  // namespace vouch::app
