#pragma once
// Word stems for comment themes (issue 16): the Snowball stemmers of English and German through
// Debian's libstemmer (confined to stem.cc). A Stemmer is not thread-safe: make one per thread
// or per report.
#include <memory>
#include <string>
#include <string_view>

namespace vouch::core {

enum class Language { kEnglish, kGerman };

class Stemmer {
 public:
  explicit Stemmer(Language language);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  // The stem of a lower-case UTF-8 word ("deliveries" -> "deliveri", "lieferung" -> "lieferung").
  // The word itself when the stemmer could not be made.
  std::string Stem(std::string_view word);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vouch::core
