#pragma once
// Comment themes (issue 16): the words and two-word phrases detractors (0–6) write more than
// promoters (9–10), and the reverse, over a range and optionally one product category, each with
// its counts, G² and p-value and up to three example comments (core/themes.h,
// docs/STATISTICS.md). Thread-safe; blocks on the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "core/themes.h"
#include "store/store.h"

namespace vouch::app {

// Comments read per group at most (newest first); `capped` says when a group had more.
inline constexpr int64_t kMaxThemeComments = 20000;

struct ThemeExample {
  store::Id survey_id = 0;
  int score = 0;
  std::string comment;
  Instant answered_at{};
};

struct ThemeTerm {
  core::TermScore score;
  std::vector<ThemeExample> examples;
};

struct ThemeReport {
  Instant from{};
  Instant to{};
  std::optional<std::string> category;
  std::optional<store::Audience> audience;  // the cut, if any
  int64_t detractor_comments = 0;
  int64_t promoter_comments = 0;
  bool capped = false;
  std::vector<ThemeTerm> detractor_terms;
  std::vector<ThemeTerm> promoter_terms;
};

class Themes {
 public:
  explicit Themes(store::Store& store) : store_(store) {}

  // kInvalidArgument "to" for an empty range. With `audience`: only answers whose surveyed order
  // is in it.
  Result<ThemeReport> Compare(store::Id shop, Instant from, Instant to,
                              const std::optional<std::string>& category,
                              const std::optional<store::AudienceCut>& audience = std::nullopt);

 private:
  store::Store& store_;
};

}  // namespace vouch::app
