#include "core/stem.h"

#include <libstemmer.h>

namespace vouch::core {

struct Stemmer::Impl {
  sb_stemmer* stemmer = nullptr;
};

Stemmer::Stemmer(Language language) : impl_(std::make_unique<Impl>()) {
  impl_->stemmer = sb_stemmer_new(language == Language::kGerman ? "german" : "english", "UTF_8");
}

Stemmer::~Stemmer() {
  if (impl_->stemmer) sb_stemmer_delete(impl_->stemmer);
}

std::string Stemmer::Stem(std::string_view word) {
  if (!impl_->stemmer || word.empty()) return std::string(word);
  const sb_symbol* out = sb_stemmer_stem(impl_->stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (!out) return std::string(word);
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(impl_->stemmer)));
}

}  // namespace vouch::core
