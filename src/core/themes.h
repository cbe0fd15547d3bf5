#pragma once
// Comment themes (issue 16): which words and two-word phrases detractors use more than promoters
// (and the reverse). A comment is cut into words (letters of any script; ASCII and German
// capitals lower-cased), its language guessed from its stop words (English or German), stop
// words dropped, the rest stemmed (core/stem.h); a term is a stem or two stems that stood next
// to each other once stop words were gone. Each term is counted once per comment, and the two
// groups are compared with the log-likelihood ratio G² of the 2×2 table (comments with and
// without the term, per group; Dunning 1993). docs/STATISTICS.md gives the method. Pure
// functions; thread-safe (each call makes its own stemmers).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/stem.h"

namespace vouch::core {

// The lower-cased words of a text, in order (numbers and one-letter words left out).
std::vector<std::string> Words(std::string_view text);
// English unless more of the words are German stop words than English ones.
Language GuessLanguage(const std::vector<std::string>& words);
bool IsStopWord(Language language, std::string_view word);

// A comment's distinct terms: stems, and "stem stem" for neighbours. `display` gets, per term,
// the words it was made of as written here ("late deliveries").
struct CommentTerms {
  std::vector<std::string> terms;
  std::vector<std::string> display;        // same order as terms
  Language language = Language::kEnglish;  // guessed; the stems are this language's
};
CommentTerms TermsOf(std::string_view comment);

// G² of the 2×2 table: `a` of `n1` comments in group 1 carry the term, `b` of `n2` in group 2.
double LogLikelihood(int64_t a, int64_t n1, int64_t b, int64_t n2);
// The chi-square (1 degree of freedom) tail of g2.
double ChiSquare1PValue(double g2);

struct TermScore {
  std::string term;        // stems
  std::string display;     // the commonest way it was written
  bool phrase = false;     // two words
  int64_t detractors = 0;  // comments that carry it
  int64_t promoters = 0;
  double g2 = 0;
  double p_value = 1;
  std::vector<size_t> examples;  // indexes into the group it leans to, at most 3
};
struct TermComparison {
  int64_t detractor_comments = 0;
  int64_t promoter_comments = 0;
  std::vector<TermScore> detractor_terms;  // over-represented among detractors, strongest first
  std::vector<TermScore> promoter_terms;
};
// Terms carried by at least `min_count` comments in all, with p < 0.05, at most `top` each way.
TermComparison CompareTerms(const std::vector<std::string>& detractors,
                            const std::vector<std::string>& promoters, int64_t min_count = 3,
                            size_t top = 20);

}  // namespace vouch::core
