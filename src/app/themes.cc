#include "app/themes.h"

#include <algorithm>

namespace vouch::app {
namespace {

constexpr int kPage = 1000;

// The group's answers with a comment, newest first, at most kMaxThemeComments.
Status ReadGroup(store::ReadTx& tx, store::Id shop, store::ResponseFilter filter,
                 std::vector<ThemeExample>& out, bool& capped) {
  store::Id after = 0;
  for (;;) {
    int rows = 0;
    VOUCH_TRY(tx.reports().EachResponse(shop, filter, after, kPage, [&](const store::ResponseRow& r) {
      ++rows;
      after = r.survey_id;
      if (r.comment.empty() || static_cast<int64_t>(out.size()) >= kMaxThemeComments) return;
      out.push_back(ThemeExample{r.survey_id, r.score, r.comment, r.answered_at});
    }));
    if (static_cast<int64_t>(out.size()) >= kMaxThemeComments) {
      capped = capped || rows == kPage;
      return OkStatus();
    }
    if (rows < kPage) return OkStatus();
  }
}

std::vector<ThemeTerm> Resolve(std::vector<core::TermScore> scores, const std::vector<ThemeExample>& group) {
  std::vector<ThemeTerm> out;
  for (auto& s : scores) {
    ThemeTerm t;
    for (size_t i : s.examples) t.examples.push_back(group[i]);
    t.score = std::move(s);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Result<ThemeReport> Themes::Compare(store::Id shop, Instant from, Instant to,
                                    const std::optional<std::string>& category,
                                    const std::optional<store::AudienceCut>& audience) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  struct Groups {
    std::vector<ThemeExample> detractors, promoters;
    bool capped = false;
  };
  auto read = store_.Read<Groups>([&](store::ReadTx& tx) -> Result<Groups> {
    Groups g;
    store::ResponseFilter f;
    f.from = from;
    f.to = to;
    f.segment = category;
    f.audience = audience;
    f.min_score = 0;
    f.max_score = 6;
    VOUCH_TRY(ReadGroup(tx, shop, f, g.detractors, g.capped));
    f.min_score = 9;
    f.max_score = 10;
    VOUCH_TRY(ReadGroup(tx, shop, f, g.promoters, g.capped));
    return g;
  });
  if (!read) return read.error();
  std::vector<std::string> d, p;
  for (const auto& e : read->detractors) d.push_back(e.comment);
  for (const auto& e : read->promoters) p.push_back(e.comment);
  core::TermComparison c = core::CompareTerms(d, p);
  ThemeReport r;
  r.from = from;
  r.to = to;
  r.category = category;
  if (audience) r.audience = audience->audience;
  r.detractor_comments = c.detractor_comments;
  r.promoter_comments = c.promoter_comments;
  r.capped = read->capped;
  r.detractor_terms = Resolve(std::move(c.detractor_terms), read->detractors);
  r.promoter_terms = Resolve(std::move(c.promoter_terms), read->promoters);
  return r;
}

}  // namespace vouch::app
