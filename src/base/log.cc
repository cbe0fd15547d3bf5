#include "base/log.h"

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

}  // namespace vouch
