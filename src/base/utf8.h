#pragma once
// UTF-8 checks for input that is stored or shown: every text that reaches the store or a JSON
// answer must be valid UTF-8 (PostgreSQL refuses anything else, and a JSON writer cannot encode
// it). Pure functions, thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

namespace vouch {

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// `s` with each ill-formed sequence replaced by U+FFFD, cut to at most `max_bytes` bytes on a
// character boundary.
std::string RepairUtf8(std::string_view s, size_t max_bytes = std::string_view::npos);

}  // namespace vouch
