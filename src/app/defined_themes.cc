#include "app/defined_themes.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/utf8.h"

namespace vouch::app {
namespace {

constexpr int kPage = 1000;

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// The range's answers with a comment, newest first, at most kMaxTaggedComments.
struct Comments {
  std::vector<ThemeExample> rows;
  bool capped = false;
};

Result<Comments> ReadComments(store::ReadTx& tx, store::Id shop, Instant from, Instant to,
                              const std::optional<std::string>& category,
                              const std::optional<store::AudienceCut>& audience) {
  store::ResponseFilter f;
  f.from = from;
  f.to = to;
  f.segment = category;
  f.audience = audience;
  Comments out;
  store::Id after = 0;
  for (;;) {
    int rows = 0;
    VOUCH_TRY(tx.reports().EachResponse(shop, f, after, kPage, [&](const store::ResponseRow& r) {
      ++rows;
      after = r.survey_id;
      if (r.comment.empty()) return;
      if (static_cast<int64_t>(out.rows.size()) >= kMaxTaggedComments) {
        out.capped = true;
        return;
      }
      out.rows.push_back(ThemeExample{r.survey_id, r.score, r.comment, r.answered_at});
    }));
    if (out.capped || rows < kPage) return out;
  }
}

struct Read {
  std::vector<store::DefinedTheme> themes;
  Comments comments;
};

Result<Read> ReadAll(store::Store& store, store::Id shop, Instant from, Instant to,
                     const std::optional<std::string>& category,
                     const std::optional<store::AudienceCut>& audience) {
  return store.Read<Read>([&](store::ReadTx& tx) -> Result<Read> {
    auto themes = tx.defined_themes().List(shop);
    if (!themes) return themes.error();
    auto comments = ReadComments(tx, shop, from, to, category, audience);
    if (!comments) return comments.error();
    return Read{std::move(*themes), std::move(*comments)};
  });
}

// The themes report's strongest terms over these comments (detractors 0-6 against promoters
// 9-10), at most kTopDiscoveredTerms each way.
std::vector<DiscoveredTerm> Discover(const std::vector<ThemeExample>& comments) {
  std::vector<std::string> detractors, promoters;
  for (const auto& c : comments) {
    if (c.score <= 6) detractors.push_back(c.comment);
    if (c.score >= 9) promoters.push_back(c.comment);
  }
  core::TermComparison found = core::CompareTerms(detractors, promoters, 3, kTopDiscoveredTerms);
  std::vector<DiscoveredTerm> out;
  for (auto* side : {&found.detractor_terms, &found.promoter_terms}) {
    for (auto& s : *side) {
      out.push_back({std::move(s.term), std::move(s.display), s.phrase,
                     side == &found.detractor_terms ? "detractors" : "promoters"});
    }
  }
  return out;
}

// Each theme's keyword terms. Keywords were checked when stored; one that no longer passes (the
// stop-word lists changed) is skipped rather than failing the report.
std::vector<std::vector<core::KeywordTerm>> TermsOf(const std::vector<store::DefinedTheme>& themes) {
  std::vector<std::vector<core::KeywordTerm>> out;
  for (const auto& t : themes) {
    std::vector<core::KeywordTerm> terms;
    for (const auto& k : t.keywords) {
      if (auto term = core::KeywordTermOf(k)) terms.push_back(std::move(*term));
    }
    out.push_back(std::move(terms));
  }
  return out;
}

ThemeShare ShareOf(int64_t tagged, int64_t comments) {
  return ThemeShare{tagged, comments, core::ProportionInterval(tagged, comments)};
}

}  // namespace

Result<CheckedTheme> CheckTheme(const DefinedThemeInput& in) {
  CheckedTheme out;
  out.input.name = Trim(in.name);
  const std::string& name = out.input.name;
  if (name.empty()) return InvalidArgument("name", "is required");
  if (name.size() > kMaxThemeNameBytes) {
    return InvalidArgument("name", "must be at most " + std::to_string(kMaxThemeNameBytes) + " bytes");
  }
  if (!IsValidUtf8(name) || HasControl(name)) {
    return InvalidArgument("name", "must be UTF-8 text without control characters");
  }
  if (in.keywords.empty()) return InvalidArgument("keywords", "must list at least one keyword");
  if (in.keywords.size() > kMaxThemeKeywords) {
    return InvalidArgument("keywords",
                           "must list at most " + std::to_string(kMaxThemeKeywords) + " keywords");
  }
  std::set<std::string> seen;
  for (const auto& raw : in.keywords) {
    std::string k = Trim(raw);
    if (!IsValidUtf8(k) || HasControl(k)) {
      return InvalidArgument("keywords", "must be UTF-8 text without control characters");
    }
    auto term = core::KeywordTermOf(k, "keywords");
    if (!term) return term.error();
    if (!seen.insert(k).second) continue;
    out.input.keywords.push_back(std::move(k));
    out.terms.push_back(std::move(*term));
  }
  return out;
}

Result<store::DefinedTheme> ShopThemes::Create(store::Id shop, const DefinedThemeInput& in) {
  auto checked = CheckTheme(in);
  if (!checked) return checked.error();
  store::DefinedTheme t;
  t.shop_id = shop;
  t.name = checked->input.name;
  t.keywords = checked->input.keywords;
  t.created_at = t.updated_at = clock_.Now();
  auto id = store_.Write<store::Id>([&](store::Tx& tx) -> Result<store::Id> {
    auto n = tx.defined_themes().CountOf(shop);
    if (!n) return n.error();
    if (*n >= kMaxDefinedThemes) {
      return Error{Code::kFailedPrecondition,
                   "a shop has at most " + std::to_string(kMaxDefinedThemes) + " themes; delete one first",
                   "name"};
    }
    return tx.defined_themes().Insert(t);
  });
  if (!id) return id.error();
  t.id = *id;
  return t;
}

Result<std::vector<store::DefinedTheme>> ShopThemes::List(store::Id shop) {
  return store_.Read<std::vector<store::DefinedTheme>>(
      [&](store::ReadTx& tx) { return tx.defined_themes().List(shop); });
}

Result<store::DefinedTheme> ShopThemes::Get(store::Id shop, store::Id theme) {
  auto t = store_.Read<std::optional<store::DefinedTheme>>(
      [&](store::ReadTx& tx) { return tx.defined_themes().Find(shop, theme); });
  if (!t) return t.error();
  if (!t->has_value()) return Error{Code::kNotFound, "no such theme", "id"};
  return std::move(**t);
}

Result<store::DefinedTheme> ShopThemes::Update(store::Id shop, store::Id theme, const DefinedThemeInput& in) {
  auto checked = CheckTheme(in);
  if (!checked) return checked.error();
  return store_.Write<store::DefinedTheme>([&](store::Tx& tx) -> Result<store::DefinedTheme> {
    auto found = tx.defined_themes().Find(shop, theme);
    if (!found) return found.error();
    if (!found->has_value()) return Error{Code::kNotFound, "no such theme", "id"};
    store::DefinedTheme t = std::move(**found);
    t.name = checked->input.name;
    t.keywords = checked->input.keywords;
    t.updated_at = clock_.Now();
    VOUCH_TRY(tx.defined_themes().Update(t));
    return t;
  });
}

Status ShopThemes::Delete(store::Id shop, store::Id theme) {
  auto n = store_.Write<int64_t>([&](store::Tx& tx) { return tx.defined_themes().Delete(shop, theme); });
  if (!n) return n.error();
  if (*n == 0) return Error{Code::kNotFound, "no such theme", "id"};
  return OkStatus();
}

Result<DefinedThemeReport> ShopThemes::Report(store::Id shop, Instant from, Instant to,
                                              const std::optional<std::string>& category,
                                              const std::optional<store::AudienceCut>& audience) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  auto read = ReadAll(store_, shop, from, to, category, audience);
  if (!read) return read.error();
  const auto terms = TermsOf(read->themes);
  DefinedThemeReport r;
  r.from = from;
  r.to = to;
  r.category = category;
  if (audience) r.audience = audience->audience;
  r.capped = read->comments.capped;
  r.comments = static_cast<int64_t>(read->comments.rows.size());
  const size_t n = read->themes.size();
  std::vector<core::ScoreCounts> tagged(n);
  std::vector<std::vector<ThemeExample>> examples(n);
  core::ScoreCounts all;
  for (const auto& c : read->comments.rows) {  // newest first
    auto score = core::MakeScore(c.score);
    if (!score) continue;
    all.Add(*score);
    if (n == 0) continue;
    for (size_t i : core::MatchThemes(core::TermsOf(c.comment), terms)) {
      tagged[i].Add(*score);
      if (examples[i].size() < 3) examples[i].push_back(c);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    DefinedThemeFigures f;
    f.theme = read->themes[i];
    f.tagged = tagged[i].Total();
    f.all = ShareOf(f.tagged, all.Total());
    f.promoters = ShareOf(tagged[i].Promoters(), all.Promoters());
    f.passives = ShareOf(tagged[i].Passives(), all.Passives());
    f.detractors = ShareOf(tagged[i].Detractors(), all.Detractors());
    f.nps = core::EstimateNps(tagged[i]);
    f.examples = std::move(examples[i]);
    r.themes.push_back(std::move(f));
  }
  return r;
}

Result<ThemeTimeline> ShopThemes::OverTime(store::Id shop, Instant from, Instant to, Interval interval,
                                           const std::optional<std::string>& category,
                                           const std::optional<store::AudienceCut>& audience,
                                           bool discovered) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  const int64_t from_day = DayNumber(from);
  const int64_t to_day = DayNumber(to - Millis{1}) + 1;
  std::vector<int64_t> starts;
  for (int64_t b = BucketStartDay(from_day, interval); b < to_day; b = NextBucketDay(b, interval)) {
    if (starts.size() >= kMaxThemeBuckets) {
      return InvalidArgument("interval", "too many buckets for this range: choose a longer interval");
    }
    starts.push_back(b);
  }
  auto read = ReadAll(store_, shop, DayStart(from_day), DayStart(to_day), category, audience);
  if (!read) return read.error();
  const auto terms = TermsOf(read->themes);
  const size_t n = read->themes.size();
  ThemeTimeline t;
  t.from = DayStart(from_day);
  t.to = DayStart(to_day);
  t.interval = interval;
  t.category = category;
  if (audience) t.audience = audience->audience;
  t.capped = read->comments.capped;
  t.themes = read->themes;
  t.discovered = discovered;
  if (discovered) t.terms = Discover(read->comments.rows);
  const size_t m = t.terms.size();
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < starts.size(); ++i) {
    index[starts[i]] = i;
    ThemeBucket b;
    b.start = DayStart(std::max(starts[i], from_day));
    b.end = DayStart(std::min(NextBucketDay(starts[i], interval), to_day));
    b.themes.resize(n);
    b.terms.resize(m);
    t.buckets.push_back(std::move(b));
  }
  for (const auto& c : read->comments.rows) {
    auto it = index.find(BucketStartDay(DayNumber(c.answered_at), interval));
    if (it == index.end()) continue;
    ThemeBucket& b = t.buckets[it->second];
    ++b.comments;
    if (n == 0 && m == 0) continue;
    const core::CommentTerms found = core::TermsOf(c.comment);
    for (size_t i : core::MatchThemes(found, terms)) ++b.themes[i].share.tagged;
    for (size_t i = 0; i < m; ++i) {
      if (std::find(found.terms.begin(), found.terms.end(), t.terms[i].term) != found.terms.end())
        ++b.terms[i].share.tagged;
    }
  }
  const ThemeBucket* previous = nullptr;  // the last bucket with comments, as /nps marks
  for (auto& b : t.buckets) {
    for (auto series : {&ThemeBucket::themes, &ThemeBucket::terms}) {
      for (size_t i = 0; i < (b.*series).size(); ++i) {
        ThemeBucketFigures& f = (b.*series)[i];
        f.share = ShareOf(f.share.tagged, b.comments);
        if (previous && b.comments > 0) {
          f.vs_previous = core::CompareProportions((previous->*series)[i].share.tagged, previous->comments,
                                                   f.share.tagged, b.comments);
        }
      }
    }
    if (b.comments > 0) previous = &b;
  }
  return t;
}

}  // namespace vouch::app
