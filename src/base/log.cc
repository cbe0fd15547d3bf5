#include "base/log.h"

#include <cctype>
#include <utility>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace vouch {
namespace {

spdlog::level::level_enum ToSpd(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("vouch");
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    l->set_level(spdlog::level::info);
    return l;
  }();
  return logger;
}

}  // namespace

void InitLogging(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  Logger()->set_level(lvl == spdlog::level::off && level != "off" ? spdlog::level::info : lvl);
  Logger()->flush_on(spdlog::level::warn);
}

bool LogEnabled(LogLevel level) { return Logger()->should_log(ToSpd(level)); }

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  auto& logger = Logger();
  if (!logger->should_log(ToSpd(level))) return;
  std::string line = fmt::format(R"("event":"{}")", JsonEscape(event));
  for (const auto& [k, v] : fields) line += fmt::format(R"(,"{}":"{}")", JsonEscape(k), JsonEscape(v));
  logger->log(ToSpd(level), line);
}

namespace {

bool WordEnd(char c) {
  return std::isspace(static_cast<unsigned char>(c)) ||
         std::string_view("<>()[],;:\"'").find(c) != std::string_view::npos;
}

bool Digit(char c) { return c >= '0' && c <= '9'; }

// Where a phone-like run starting at `i` ends (digits, with single spaces, dashes, dots or
// slashes between them), and how many digits it holds.
std::pair<size_t, int> NumberRun(std::string_view t, size_t i) {
  size_t end = i;
  int digits = 0;
  for (size_t j = i; j < t.size(); ++j) {
    if (Digit(t[j])) {
      ++digits;
      end = j + 1;
    } else if (std::string_view(" -./").find(t[j]) == std::string_view::npos || j + 1 >= t.size() ||
               !Digit(t[j + 1])) {
      break;
    }
  }
  return {end, digits};
}

}  // namespace

std::string RedactContacts(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (WordEnd(text[i])) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && !WordEnd(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    if (word.find('@') != std::string_view::npos) {
      out += "[address]";
      i = end;
      continue;
    }
    // Digits: a phone-like run may span words ("+49 151 1234567").
    const size_t start = (text[i] == '+' && i + 1 < text.size() && Digit(text[i + 1])) ? i + 1 : i;
    if (Digit(text[start])) {
      auto [run_end, digits] = NumberRun(text, start);
      if (digits >= 7) {
        out += "[number]";
        i = run_end;
        continue;
      }
    }
    out.append(word);
    i = end;
  }
  return out;
}

}  // namespace vouch
