#pragma once
// What the fuzz targets share: cutting one input into several fields, and a check that aborts
// (a finding) when an invariant breaks. libFuzzer calls LLVMFuzzerTestOneInput with each input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace vouch::fuzz {

// The input as text.
inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at each '\0' into at most `n` fields (the last takes the rest); missing ones empty.
inline std::vector<std::string_view> Fields(std::string_view in, size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    const size_t at = in.find('\0');
    if (at == std::string_view::npos) break;
    out.push_back(in.substr(0, at));
    in.remove_prefix(at + 1);
  }
  out.push_back(in);
  out.resize(n);
  return out;
}

// An invariant: a finding when it does not hold.
inline void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

}  // namespace vouch::fuzz
