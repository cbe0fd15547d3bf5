#include "core/themes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace vouch::core {
namespace {

// Lower-cases ASCII and the German capitals (UTF-8 Ä Ö Ü) in place; other bytes as they are.
std::string Lower(std::string w) {
  for (size_t i = 0; i < w.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(w[i]);
    if (c >= 'A' && c <= 'Z') {
      w[i] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < w.size()) {
      unsigned char n = static_cast<unsigned char>(w[i + 1]);
      if (n == 0x84 || n == 0x96 || n == 0x9C) w[i + 1] = static_cast<char>(n + 0x20);
      ++i;
    }
  }
  return w;
}

// A letter byte: ASCII letters, and every byte of a multi-byte UTF-8 sequence except the
// punctuation of U+2000–U+206F (typographic quotes, dashes) and U+00A0–U+00BF (signs, «»).
bool LetterAt(std::string_view t, size_t i, size_t& len) {
  unsigned char c = static_cast<unsigned char>(t[i]);
  if (c < 0x80) {
    len = 1;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + len > t.size()) {
    len = t.size() - i;
    return false;
  }
  if (c == 0xC2) return false;  // U+0080–U+00BF
  if (c == 0xC3 &&
      (static_cast<unsigned char>(t[i + 1]) == 0x97 || static_cast<unsigned char>(t[i + 1]) == 0xB7))
    return false;                                                               // × ÷
  if (c == 0xE2 && static_cast<unsigned char>(t[i + 1]) == 0x80) return false;  // U+2000–U+203F
  return c >= 0xC3;
}

}  // namespace

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  size_t letters = 0;
  auto flush = [&] {
    if (letters >= 2) out.push_back(Lower(word));
    word.clear();
    letters = 0;
  };
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    if (LetterAt(text, i, len)) {
      word.append(text.substr(i, len));
      ++letters;
    } else if (text[i] != '\'') {  // "don't" is one word
      flush();
    }
    i += len;
  }
  flush();
  return out;
}

CommentTerms TermsOf(std::string_view comment) {
  const std::vector<std::string> words = Words(comment);
  const Language language = GuessLanguage(words);
  Stemmer stemmer(language);
  CommentTerms out;
  out.language = language;
  std::set<std::string> seen;
  auto add = [&](std::string term, std::string display) {
    if (seen.insert(term).second) {
      out.terms.push_back(std::move(term));
      out.display.push_back(std::move(display));
    }
  };
  std::string prev_stem, prev_word;
  for (const auto& w : words) {
    if (IsStopWord(language, w)) {
      prev_stem.clear();  // a phrase is two neighbours with no stop word between
      continue;
    }
    std::string stem = stemmer.Stem(w);
    add(stem, w);
    if (!prev_stem.empty()) add(prev_stem + " " + stem, prev_word + " " + w);
    prev_stem = std::move(stem);
    prev_word = w;
  }
  return out;
}

double LogLikelihood(int64_t a, int64_t n1, int64_t b, int64_t n2) {
  const double n = static_cast<double>(n1 + n2);
  if (n <= 0) return 0;
  const double with = static_cast<double>(a + b), without = n - with;
  const double cells[4] = {static_cast<double>(a), static_cast<double>(b), static_cast<double>(n1 - a),
                           static_cast<double>(n2 - b)};
  const double expected[4] = {with * static_cast<double>(n1) / n, with * static_cast<double>(n2) / n,
                              without * static_cast<double>(n1) / n, without * static_cast<double>(n2) / n};
  double g2 = 0;
  for (int i = 0; i < 4; ++i) {
    if (cells[i] > 0 && expected[i] > 0) g2 += cells[i] * std::log(cells[i] / expected[i]);
  }
  return std::max(0.0, 2 * g2);
}

double ChiSquare1PValue(double g2) { return std::erfc(std::sqrt(std::max(0.0, g2) / 2)); }

TermComparison CompareTerms(const std::vector<std::string>& detractors,
                            const std::vector<std::string>& promoters, int64_t min_count, size_t top) {
  struct Count {
    int64_t in[2] = {0, 0};
    std::map<std::string, int> shapes;
    std::vector<size_t> examples[2];
  };
  std::map<std::string, Count> counts;
  const std::vector<std::string>* groups[2] = {&detractors, &promoters};
  for (int g = 0; g < 2; ++g) {
    for (size_t i = 0; i < groups[g]->size(); ++i) {
      CommentTerms t = TermsOf((*groups[g])[i]);
      for (size_t k = 0; k < t.terms.size(); ++k) {
        Count& c = counts[t.terms[k]];
        ++c.in[g];
        ++c.shapes[t.display[k]];
        if (c.examples[g].size() < 3) c.examples[g].push_back(i);
      }
    }
  }
  TermComparison out;
  out.detractor_comments = static_cast<int64_t>(detractors.size());
  out.promoter_comments = static_cast<int64_t>(promoters.size());
  const int64_t n1 = out.detractor_comments, n2 = out.promoter_comments;
  for (auto& [term, c] : counts) {
    if (c.in[0] + c.in[1] < min_count) continue;
    TermScore s;
    s.term = term;
    s.phrase = term.find(' ') != std::string::npos;
    s.detractors = c.in[0];
    s.promoters = c.in[1];
    s.g2 = LogLikelihood(c.in[0], n1, c.in[1], n2);
    s.p_value = ChiSquare1PValue(s.g2);
    if (s.p_value >= 0.05) continue;
    // The commonest shape; ties to the first in byte order.
    int best = 0;
    for (const auto& [shape, n] : c.shapes) {
      if (n > best) {
        best = n;
        s.display = shape;
      }
    }
    // Which way it leans: its share of detractors' comments against its share of promoters'.
    const bool detractor_side = static_cast<double>(c.in[0]) * static_cast<double>(n2) >
                                static_cast<double>(c.in[1]) * static_cast<double>(n1);
    s.examples = c.examples[detractor_side ? 0 : 1];
    (detractor_side ? out.detractor_terms : out.promoter_terms).push_back(std::move(s));
  }
  for (auto* list : {&out.detractor_terms, &out.promoter_terms}) {
    std::sort(list->begin(), list->end(), [](const TermScore& x, const TermScore& y) {
      return x.g2 != y.g2 ? x.g2 > y.g2 : x.term < y.term;
    });
    if (list->size() > top) list->resize(top);
  }
  return out;
}

}  // namespace vouch::core
