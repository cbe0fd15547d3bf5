#pragma once
// Structured logs: one JSON object per line on stderr, via spdlog.
//   Log(LogLevel::kInfo, "order.ingested", {{"shop", "3"}, {"order", "1001"}});
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace vouch {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogField = std::pair<std::string_view, std::string>;

// Installs the JSON-lines logger; `level` is "debug", "info", "warn" or "error".
void InitLogging(std::string_view level);
void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});
// Whether a line of `level` would be written (to skip building costly fields).
bool LogEnabled(LogLevel level);
// `text` with what may name a person replaced, for logging text that came from elsewhere (an SMTP
// reply echoes the recipient's address): each word holding an '@' becomes "[address]" and each
// run of 7 or more digits (a phone number, with its spaces, dashes and a leading '+')
// "[number]". Words end at white space and at <>()[],;:"'.
std::string RedactContacts(std::string_view text);
// Escapes a string for inclusion inside JSON quotes.
std::string JsonEscape(std::string_view s);

}  // namespace vouch
