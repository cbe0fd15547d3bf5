// The stop words of comment themes (core/themes.h): the function words of English and German
// that say nothing about a shop (articles, pronouns, auxiliaries, prepositions, conjunctions,
// fillers). Our own lists, kept short on purpose: "not", "nicht", "no", "kein" stay out of
// them, since a detractor's "not" is part of what they say.
#include <algorithm>
#include <iterator>
#include <string_view>

#include "core/themes.h"

namespace vouch::core {
namespace {

constexpr std::string_view kEnglish[] = {
    "a",    "about", "after",  "all",    "also",  "am",       "an",    "and",   "any",    "are",   "as",
    "at",   "be",    "been",   "but",    "by",    "can",      "could", "did",   "do",     "does",  "for",
    "from", "get",   "got",    "had",    "has",   "have",     "he",    "her",   "here",   "him",   "his",
    "how",  "i",     "if",     "im",     "in",    "into",     "is",    "it",    "its",    "just",  "me",
    "more", "most",  "my",     "of",     "on",    "one",      "only",  "or",    "our",    "out",   "really",
    "she",  "so",    "some",   "than",   "that",  "the",      "their", "them",  "then",   "there", "these",
    "they", "this",  "those",  "to",     "too",   "up",       "us",    "very",  "was",    "we",    "were",
    "what", "when",  "where",  "which",  "while", "who",      "why",   "will",  "with",   "would", "you",
    "your", "yours", "itself", "myself", "ours",  "yourself", "whom",  "being", "having", "such"};
constexpr std::string_view kGerman[] = {
    "aber", "alle",    "alles", "als",   "also",  "am",     "an",     "auch",  "auf",  "aus",   "bei",
    "bin",  "bis",     "bist",  "da",    "damit", "dann",   "das",    "dass",  "dem",  "den",   "denn",
    "der",  "des",     "die",   "dies",  "diese", "dieser", "dieses", "doch",  "du",   "durch", "ein",
    "eine", "einem",   "einen", "einer", "eines", "er",     "es",     "etwas", "euch", "euer",  "für",
    "hab",  "habe",    "haben", "hat",   "hatte", "ich",    "ihr",    "ihre",  "im",   "in",    "ins",
    "ist",  "ja",      "jetzt", "man",   "mein",  "meine",  "mich",   "mir",   "mit",  "nach",  "noch",
    "nun",  "nur",     "ob",    "oder",  "schon", "sehr",   "sein",   "seine", "sich", "sie",   "sind",
    "so",   "um",      "und",   "uns",   "unser", "vom",    "von",    "vor",   "war",  "waren", "was",
    "weil", "wenn",    "wer",   "wie",   "wir",   "wird",   "wo",     "wurde", "zu",   "zum",   "zur",
    "über", "einfach", "immer", "gar",   "mal"};

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view w) {
  return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

}  // namespace

bool IsStopWord(Language language, std::string_view word) {
  return language == Language::kGerman ? In(kGerman, word) : In(kEnglish, word);
}

Language GuessLanguage(const std::vector<std::string>& words) {
  int en = 0, de = 0;
  for (const auto& w : words) {
    en += In(kEnglish, w) ? 1 : 0;
    de += In(kGerman, w) ? 1 : 0;
  }
  return de > en ? Language::kGerman : Language::kEnglish;
}

}  // namespace vouch::core
