#pragma once
// The text of HTTP/1.1 on the wire, for the Session: request ids, header names and values as
// written into a response head, and millisecond figures for the access log.
#include <cstdint>
#include <string>
#include <string_view>

namespace vouch::http::internal {

// The client's X-Request-Id if it is 1-64 characters of [A-Za-z0-9._-], else a fresh random id.
std::string PickRequestId(std::string_view given);

std::string ToLower(std::string_view s);

bool IEquals(std::string_view a, std::string_view b);

bool IsToken(std::string_view s);

// Header fields the server writes itself; the handler's entries with these names are dropped so
// that it can neither break the framing nor send a field twice.
bool IsServerOwned(std::string_view name);

void AppendNumber(std::string& out, uint64_t n);

// Appends a header value with CR, LF and NUL replaced by spaces: no response splitting.
void AppendValue(std::string& out, std::string_view value);

void AppendField(std::string& out, std::string_view name, std::string_view value);

std::string FormatMillis(double ms);

}  // namespace vouch::http::internal
