#include "core/codes.h"

#include <cctype>
#include <utility>

namespace vouch::core {
namespace {

// Two-byte UTF-8 Latin-1 supplement letters and their ASCII folding.
const std::pair<std::string_view, std::string_view> kFold[] = {
    {"ä", "AE"},
    {"Ä", "AE"},
    {"ö", "OE"},
    {"Ö", "OE"},
    {"ü", "UE"},
    {"Ü", "UE"},
    {"ß", "SS"},
    {"à", "A"},
    {"á", "A"},
    {"â", "A"},
    {"ã", "A"},
    {"å", "A"},
    {"À", "A"},
    {"Á", "A"},
    {"Â", "A"},
    {"Å", "A"},
    {"æ", "AE"},
    {"Æ", "AE"},
    {"ç", "C"},
    {"Ç", "C"},
    {"è", "E"},
    {"é", "E"},
    {"ê", "E"},
    {"ë", "E"},
    {"È", "E"},
    {"É", "E"},
    {"Ê", "E"},
    {"Ë", "E"},
    {"ì", "I"},
    {"í", "I"},
    {"î", "I"},
    {"ï", "I"},
    {"Í", "I"},
    {"Î", "I"},
    {"ñ", "N"},
    {"Ñ", "N"},
    {"ò", "O"},
    {"ó", "O"},
    {"ô", "O"},
    {"õ", "O"},
    {"ø", "O"},
    {"Ó", "O"},
    {"Ø", "O"},
    {"ù", "U"},
    {"ú", "U"},
    {"û", "U"},
    {"Ú", "U"},
    {"ý", "Y"},
    {"ÿ", "Y"},
    {"Ã", "A"},
    {"Ì", "I"},
    {"Ï", "I"},
    {"Ò", "O"},
    {"Ô", "O"},
    {"Õ", "O"},
    {"Ù", "U"},
    {"Û", "U"},
    {"Ý", "Y"},
    {"Ð", "D"},
    {"ð", "D"},
    {"þ", "TH"},
    {"Þ", "TH"},
    // Latin Extended-A: Central European names.
    {"ą", "A"},
    {"Ą", "A"},
    {"ć", "C"},
    {"Ć", "C"},
    {"č", "C"},
    {"Č", "C"},
    {"ď", "D"},
    {"Ď", "D"},
    {"ę", "E"},
    {"Ę", "E"},
    {"ě", "E"},
    {"Ě", "E"},
    {"ğ", "G"},
    {"Ğ", "G"},
    {"ı", "I"},
    {"İ", "I"},
    {"ł", "L"},
    {"Ł", "L"},
    {"ń", "N"},
    {"Ń", "N"},
    {"ň", "N"},
    {"Ň", "N"},
    {"ő", "O"},
    {"Ő", "O"},
    {"œ", "OE"},
    {"Œ", "OE"},
    {"ř", "R"},
    {"Ř", "R"},
    {"ś", "S"},
    {"Ś", "S"},
    {"š", "S"},
    {"Š", "S"},
    {"ş", "S"},
    {"Ş", "S"},
    {"ť", "T"},
    {"Ť", "T"},
    {"ů", "U"},
    {"Ů", "U"},
    {"ű", "U"},
    {"Ű", "U"},
    {"ź", "Z"},
    {"Ź", "Z"},
    {"ż", "Z"},
    {"Ż", "Z"},
    {"ž", "Z"},
    {"Ž", "Z"},
    {"ā", "A"},
    {"ē", "E"},
    {"ī", "I"},
    {"ō", "O"},
    {"ū", "U"},
};

std::string RandomSymbols(int n, const RandomSource& rnd) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += kCodeAlphabet[rnd(static_cast<uint32_t>(kCodeAlphabet.size()))];
  }
  return out;
}

}  // namespace

std::string FoldName(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (std::isalpha(c)) out += static_cast<char>(std::toupper(c));
      ++i;
      continue;
    }
    bool matched = false;
    for (const auto& [from, to] : kFold) {
      if (name.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    // Skip any other multi-byte character whole.
    ++i;
    while (i < name.size() && (static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

std::string MakeReferralCode(std::string_view first_name, int suffix_len, const RandomSource& rnd) {
  std::string stem = FoldName(first_name);
  if (stem.size() > 8) stem.resize(8);
  if (stem.size() < 2) stem = "FRIEND";
  return stem + "-" + RandomSymbols(suffix_len, rnd);
}

std::string MakeRewardCode(const RandomSource& rnd) {
  std::string r = RandomSymbols(10, rnd);
  return "THANKS-" + r.substr(0, 4) + "-" + r.substr(4, 4) + "-" + r.substr(8);
}

bool MayBeRewardCode(std::string_view normalized) { return normalized.starts_with("THANKS-"); }

std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace vouch::core
