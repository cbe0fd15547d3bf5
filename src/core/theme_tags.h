#pragma once
// Shop-defined comment themes (issue 16): a theme is a name and keywords (an English or German
// word or two-word phrase); a comment carries the theme when one of its terms (core/themes.h:
// words cut, stop words dropped, stemmed in the comment's guessed language) equals a keyword's
// term in that language. A keyword is made into a term both ways (English and German stems), so
// "delivery" matches "deliveries" in an English comment and "Lieferung" matches "Lieferungen" in
// a German one. Also the test that marks a theme's share changing between two periods. Pure
// functions; thread-safe (each call makes its own stemmers).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "core/acquisition.h"
#include "core/themes.h"

namespace vouch::core {

inline constexpr size_t kMaxThemeKeywordBytes = 60;

// A keyword's term per language; empty where it cannot match (a stop word of that language).
struct KeywordTerm {
  std::string english;
  std::string german;
};

// The term of one keyword. kInvalidArgument (field `field`) when it is empty, longer than
// kMaxThemeKeywordBytes, not one or two words, or only stop words in both languages.
Result<KeywordTerm> KeywordTermOf(std::string_view keyword, const std::string& field = "keywords");

// Which of `themes` (each a list of keyword terms) a comment with these terms carries: their
// indexes, ascending.
std::vector<size_t> MatchThemes(const CommentTerms& comment,
                                const std::vector<std::vector<KeywordTerm>>& themes);

// Two proportions, k1 of n1 (before) and k2 of n2 (after): the difference p2 − p1 and the
// two-sided p-value of the pooled two-proportion z-test (Agresti 2013, §3.1), the test /nps's
// bucket marks use for NPS applied to a share. Either n 0: p-value 1, not significant.
struct ProportionChange {
  double difference = 0;  // p2 − p1, 0…1 scale
  double z = 0;
  double p_value = 1;
  bool significant = false;  // p_value < 0.05
};
ProportionChange CompareProportions(int64_t k1, int64_t n1, int64_t k2, int64_t n2);

}  // namespace vouch::core
