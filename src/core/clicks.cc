#include "core/clicks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace vouch::core {
namespace {

// Lower-case fragments of User-Agents sent by mail security gateways, link previewers and
// HTTP libraries. Real mail clients open links in a browser, which never carries these.
constexpr std::array<std::string_view, 27> kScannerAgents = {
    "bot",       "crawler",  "spider",     "barracuda",      "proofpoint",     "mimecast",
    "safelinks", "symantec", "forcepoint", "trendmicro",     "sophos",         "fortiguard",
    "zscaler",   "ironport", "cisco",      "python-",        "go-http-client", "java/",
    "libwww",    "wget",     "curl/",      "headlesschrome", "linkexpanding",  "facebookexternalhit",
    "preview",   "okhttp",   "httpclient",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

bool IsKnownScannerAgent(std::string_view user_agent) {
  std::string ua = Lower(user_agent);
  // Phones whose maker's name ends in "bot" are people, not crawlers.
  for (size_t pos; (pos = ua.find("cubot")) != std::string::npos;) ua.erase(pos, 5);
  return std::any_of(kScannerAgents.begin(), kScannerAgents.end(),
                     [&](std::string_view frag) { return ua.find(frag) != std::string::npos; });
}

bool IsBurst(const std::vector<PriorClick>& prior, Instant at, int score) {
  return std::any_of(prior.begin(), prior.end(), [&](const PriorClick& p) {
    auto gap = at - p.at;
    return p.score != score && gap < kBurstWindow && gap > -kBurstWindow;
  });
}

ClickVerdict JudgeClick(const ClickContext& click) {
  if (click.method != "GET") return ClickVerdict::kIgnore;
  if (IsKnownScannerAgent(click.user_agent)) return ClickVerdict::kIgnore;
  if (click.user_agent.empty()) return ClickVerdict::kSuspect;
  if (click.sent_at && click.at - *click.sent_at < kTooSoonAfterSend) return ClickVerdict::kSuspect;
  if (IsBurst(click.recent_clicks, click.at, click.score)) return ClickVerdict::kSuspect;
  return ClickVerdict::kCount;
}

const char* ClickVerdictName(ClickVerdict v) {
  switch (v) {
    case ClickVerdict::kIgnore: return "ignore";
    case ClickVerdict::kCount: return "count";
    case ClickVerdict::kSuspect: return "suspect";
    case ClickVerdict::kConfirm: return "confirm";
  }
  return "count";
}

std::optional<ClickVerdict> ParseClickVerdict(std::string_view s) {
  for (ClickVerdict v :
       {ClickVerdict::kIgnore, ClickVerdict::kCount, ClickVerdict::kSuspect, ClickVerdict::kConfirm}) {
    if (s == ClickVerdictName(v)) return v;
  }
  return std::nullopt;
}

}  // namespace vouch::core
