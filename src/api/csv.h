#pragma once
// CSV as the exports write it (RFC 4180): fields separated by commas, rows ended by CRLF, a
// field quoted when it holds a comma, a quote, CR or LF, its quotes doubled. A field that a
// spreadsheet would run as a formula (beginning with =, +, -, @, tab or CR) is neutralised with
// a leading single quote, so user text never becomes a formula (OWASP's advice on CSV injection).
// Pure functions, thread-safe.
#include <initializer_list>
#include <string>
#include <string_view>

namespace vouch::api {

// Appends one field (without a separator).
void AppendCsvField(std::string& out, std::string_view field);
// Appends a whole row: the fields separated by commas, then CRLF.
void AppendCsvRow(std::string& out, std::initializer_list<std::string_view> fields);

}  // namespace vouch::api
