#pragma once
// Percent-encoding for URLs we build (RFC 3986): unreserved characters stay, every other byte
// becomes %XX. Safe for a path segment and for a query value.
#include <string>
#include <string_view>

namespace vouch {

std::string PercentEncode(std::string_view s);

}  // namespace vouch
