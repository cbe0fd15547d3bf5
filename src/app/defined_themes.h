#pragma once
// Shop-defined comment themes (issue 16): a shop names themes and lists their keywords (English
// or German words or two-word phrases); every comment that carries one of a theme's keywords,
// once cut, stop-worded and stemmed as the themes report does (core/theme_tags.h), is tagged with
// it. Tagging happens when a report is read, not when an answer is stored: a theme added or
// changed applies to every past comment at once, and the cost is one stemming pass over the
// range's comments per report (the discovered-terms report pays the same). Reports: per theme,
// the comments tagged, the share of promoters', passives' and detractors' comments tagged (Wilson
// intervals), the NPS of the tagged comments' answers (adjusted Wald) and the newest examples;
// and the same themes over time, per bucket, with a mark where a theme's share differs
// significantly from the bucket before (pooled two-proportion z-test, p < 0.05).
// Thread-safe; blocks on the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/reports.h"
#include "app/themes.h"
#include "base/result.h"
#include "base/time.h"
#include "core/acquisition.h"
#include "core/nps.h"
#include "core/theme_tags.h"
#include "store/store.h"

namespace vouch::app {

inline constexpr int64_t kMaxDefinedThemes = 50;  // per shop
inline constexpr size_t kMaxThemeKeywords = 50;   // per theme
inline constexpr size_t kMaxThemeNameBytes = 100;
inline constexpr int64_t kMaxTaggedComments = 50000;  // read per report at most, newest first
inline constexpr size_t kMaxThemeBuckets = 400;
inline constexpr size_t kTopDiscoveredTerms = 5;  // each way, on themes/over-time?terms=discovered

struct DefinedThemeInput {
  std::string name;
  std::vector<std::string> keywords;
};

// A share of one group's comments that carry a theme, with its 95% Wilson interval.
struct ThemeShare {
  int64_t tagged = 0;
  int64_t comments = 0;
  core::Bounds ci{0, 1};
};

struct DefinedThemeFigures {
  store::DefinedTheme theme;
  int64_t tagged = 0;  // comments of any score
  ThemeShare all;
  ThemeShare promoters;                // 9–10
  ThemeShare passives;                 // 7–8
  ThemeShare detractors;               // 0–6
  core::NpsEstimate nps;               // of the tagged comments' answers
  std::vector<ThemeExample> examples;  // the newest three
};

struct DefinedThemeReport {
  Instant from{};
  Instant to{};
  std::optional<std::string> category;
  std::optional<store::Audience> audience;  // the cut, if any
  int64_t comments = 0;                     // answers with a comment in the range
  bool capped = false;                      // more than kMaxTaggedComments: the newest were read
  std::vector<DefinedThemeFigures> themes;  // by name
};

struct ThemeBucketFigures {
  ThemeShare share;  // of all the bucket's comments
  // Against the bucket before (empty for the first, or when either has no comments).
  std::optional<core::ProportionChange> vs_previous;
};

struct ThemeBucket {
  Instant start{};
  Instant end{};
  int64_t comments = 0;
  std::vector<ThemeBucketFigures> themes;  // in the timeline's theme order
  std::vector<ThemeBucketFigures> terms;   // in the timeline's discovered-term order
};

// A term the themes report discovers over the whole range (core::CompareTerms), followed over time.
struct DiscoveredTerm {
  std::string term;  // stems
  std::string display;
  bool phrase = false;
  std::string leans;  // "detractors" or "promoters": the group that uses it more
};

struct ThemeTimeline {
  Instant from{};
  Instant to{};
  Interval interval = Interval::kWeek;
  std::optional<std::string> category;
  std::optional<store::Audience> audience;  // the cut, if any
  bool capped = false;
  std::vector<store::DefinedTheme> themes;  // by name
  bool discovered = false;                  // asked for: `terms` below were worked out
  std::vector<DiscoveredTerm> terms;        // detractors' strongest first, then promoters'
  std::vector<ThemeBucket> buckets;
};

class ShopThemes {
 public:
  ShopThemes(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // kInvalidArgument naming "name" (empty, over kMaxThemeNameBytes, control characters, not
  // UTF-8) or "keywords" (none, over kMaxThemeKeywords, or a keyword core::KeywordTermOf
  // refuses); kAlreadyExists "name" for a name the shop uses; kFailedPrecondition "name" at
  // kMaxDefinedThemes.
  Result<store::DefinedTheme> Create(store::Id shop, const DefinedThemeInput& in);
  Result<std::vector<store::DefinedTheme>> List(store::Id shop);
  // kNotFound "id" for a theme that is not the shop's.
  Result<store::DefinedTheme> Get(store::Id shop, store::Id theme);
  Result<store::DefinedTheme> Update(store::Id shop, store::Id theme, const DefinedThemeInput& in);
  Status Delete(store::Id shop, store::Id theme);

  // kInvalidArgument "to" for an empty range. With `audience` (both reports): only answers whose
  // surveyed order is in it.
  Result<DefinedThemeReport> Report(store::Id shop, Instant from, Instant to,
                                    const std::optional<std::string>& category,
                                    const std::optional<store::AudienceCut>& audience = std::nullopt);
  // The whole UTC days [from, to) touches, in buckets of `interval` (as Reports::Nps).
  // kInvalidArgument "to" for an empty range, "interval" for more than kMaxThemeBuckets buckets.
  // With `discovered`, also the top kTopDiscoveredTerms terms each way of the themes report over
  // the same comments, as series with the same shares and marks.
  Result<ThemeTimeline> OverTime(store::Id shop, Instant from, Instant to, Interval interval,
                                 const std::optional<std::string>& category,
                                 const std::optional<store::AudienceCut>& audience = std::nullopt,
                                 bool discovered = false);

 private:
  store::Store& store_;
  const Clock& clock_;
};

// The input checked and tidied (name and keywords trimmed, repeated keywords dropped), with each
// keyword's terms. Errors as ShopThemes::Create.
struct CheckedTheme {
  DefinedThemeInput input;
  std::vector<core::KeywordTerm> terms;
};
Result<CheckedTheme> CheckTheme(const DefinedThemeInput& in);

}  // namespace vouch::app
