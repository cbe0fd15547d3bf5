#include "core/theme_tags.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace vouch::core {
namespace {

// The keyword's term in one language: its words stemmed, "" when one of them is a stop word.
std::string TermIn(Language language, const std::vector<std::string>& words) {
  Stemmer stemmer(language);
  std::string term;
  for (const auto& w : words) {
    if (IsStopWord(language, w)) return "";
    if (!term.empty()) term += ' ';
    term += stemmer.Stem(w);
  }
  return term;
}

}  // namespace

Result<KeywordTerm> KeywordTermOf(std::string_view keyword, const std::string& field) {
  if (keyword.empty()) return InvalidArgument(field, "must not hold an empty keyword");
  if (keyword.size() > kMaxThemeKeywordBytes) {
    return InvalidArgument(field,
                           "a keyword must be at most " + std::to_string(kMaxThemeKeywordBytes) + " bytes");
  }
  const std::vector<std::string> words = Words(keyword);
  if (words.empty() || words.size() > 2) {
    return InvalidArgument(field,
                           "each keyword must be one word or a two-word phrase (letters, two or more)");
  }
  KeywordTerm t{TermIn(Language::kEnglish, words), TermIn(Language::kGerman, words)};
  if (t.english.empty() && t.german.empty()) {
    return InvalidArgument(field, "keyword '" + std::string(keyword) + "' is only stop words");
  }
  return t;
}

std::vector<size_t> MatchThemes(const CommentTerms& comment,
                                const std::vector<std::vector<KeywordTerm>>& themes) {
  std::vector<size_t> out;
  if (themes.empty()) return out;
  const std::unordered_set<std::string> terms(comment.terms.begin(), comment.terms.end());
  for (size_t i = 0; i < themes.size(); ++i) {
    for (const auto& k : themes[i]) {
      const std::string& term = comment.language == Language::kGerman ? k.german : k.english;
      if (!term.empty() && terms.count(term) > 0) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

ProportionChange CompareProportions(int64_t k1, int64_t n1, int64_t k2, int64_t n2) {
  ProportionChange c;
  if (n1 <= 0 || n2 <= 0) return c;
  const double a = static_cast<double>(n1), b = static_cast<double>(n2);
  const double p1 = static_cast<double>(k1) / a, p2 = static_cast<double>(k2) / b;
  c.difference = p2 - p1;
  const double pooled = static_cast<double>(k1 + k2) / (a + b);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / a + 1 / b));
  if (se <= 0) return c;  // both 0 % or both 100 %: no change to test
  c.z = c.difference / se;
  c.p_value = std::erfc(std::fabs(c.z) / std::sqrt(2.0));
  c.significant = c.p_value < 0.05;
  return c;
}

}  // namespace vouch::core
