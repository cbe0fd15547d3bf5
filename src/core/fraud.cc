#include "core/fraud.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace vouch::core {

const std::map<std::string, std::string>& BuiltinData();  // lists/*.txt, compiled in

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The items of a list separated by newlines or commas, trimmed, empty ones and "#" comments dropped.
std::vector<std::string_view> Items(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(",\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    if (auto hash = item.find('#'); hash != std::string_view::npos) item = item.substr(0, hash);
    item = Trim(item);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  return std::all_of(d.begin(), d.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

}  // namespace

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kQualified: return "qualified";
    case Decision::kPendingReview: return "pending_review";
    case Decision::kRejected: return "rejected";
  }
  return "qualified";
}

std::optional<Decision> ParseDecision(std::string_view s) {
  for (Decision d : {Decision::kQualified, Decision::kPendingReview, Decision::kRejected}) {
    if (s == DecisionName(d)) return d;
  }
  return std::nullopt;
}

const char* RuleActionName(RuleAction a) {
  switch (a) {
    case RuleAction::kReject: return "reject";
    case RuleAction::kReview: return "review";
    case RuleAction::kIgnore: return "ignore";
  }
  return "reject";
}

RuleActions::RuleActions()
    : actions_{{"self_referral", RuleAction::kReject},  {"expired", RuleAction::kReject},
               {"used_up", RuleAction::kReject},        {"existing_customer", RuleAction::kReject},
               {"velocity", RuleAction::kReview},       {"disposable_email", RuleAction::kReview},
               {"shared_network", RuleAction::kReview}, {"coupon_leak", RuleAction::kReview}} {}

Result<RuleActions> RuleActions::Parse(std::string_view text) {
  RuleActions out;
  for (std::string_view item : Items(text)) {
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument("rule_actions", fmt::format("\"{}\" is not rule=action", item));
    }
    const std::string rule(Trim(item.substr(0, eq)));
    const std::string_view action = Trim(item.substr(eq + 1));
    auto it = out.actions_.find(rule);
    if (it == out.actions_.end())
      return InvalidArgument("rule_actions", fmt::format("unknown rule \"{}\"", rule));
    if (action == "reject") {
      it->second = RuleAction::kReject;
    } else if (action == "review") {
      it->second = RuleAction::kReview;
    } else if (action == "ignore") {
      it->second = RuleAction::kIgnore;
    } else {
      return InvalidArgument("rule_actions",
                             fmt::format("action of {} must be reject, review or ignore", rule));
    }
  }
  return out;
}

RuleAction RuleActions::For(const std::string& rule) const {
  auto it = actions_.find(rule);
  return it == actions_.end() ? RuleAction::kReject : it->second;
}

Judgement Decide(const std::vector<FiredRule>& fired, const RuleActions& actions) {
  Judgement j;
  bool reject = false, review = false;
  for (const auto& f : fired) {
    const RuleAction a = actions.For(f.rule);
    if (a == RuleAction::kIgnore) continue;
    j.rules.push_back(f);
    reject = reject || a == RuleAction::kReject;
    review = review || a == RuleAction::kReview;
  }
  j.decision = reject ? Decision::kRejected : review ? Decision::kPendingReview : Decision::kQualified;
  return j;
}

std::optional<FiredRule> VelocityRule(int64_t qualified_before, int64_t max, int64_t hours) {
  if (max <= 0 || qualified_before < max) return std::nullopt;
  return FiredRule{"velocity",
                   fmt::format("{} qualified referrals on this code in the last {} hours (limit {})",
                               qualified_before + 1, hours, max)};
}

DisposableDomains DisposableDomains::With(std::string_view overrides) {
  DisposableDomains d;
  auto it = BuiltinData().find("disposable_domains");
  if (it != BuiltinData().end()) {
    for (std::string_view item : Items(it->second)) d.domains_.insert(Lower(item));
  }
  for (std::string_view item : Items(overrides)) {
    if (item.front() == '-') {
      d.domains_.erase(Lower(Trim(item.substr(1))));
    } else {
      d.domains_.insert(Lower(item));
    }
  }
  return d;
}

bool DisposableDomains::Contains(std::string_view domain) const {
  while (!domain.empty()) {
    if (domains_.find(domain) != domains_.end()) return true;
    const size_t dot = domain.find('.');
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return false;
}

std::optional<FiredRule> DisposableEmailRule(std::string_view buyer_email, const DisposableDomains& domains) {
  const size_t at = buyer_email.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  const std::string domain = Lower(buyer_email.substr(at + 1));
  if (!domains.Contains(domain)) return std::nullopt;
  return FiredRule{"disposable_email",
                   fmt::format("the buyer's address is at {}, a disposable mailbox domain", domain)};
}

Status ValidateDomainList(std::string_view text) {
  if (text.size() > 20000) return InvalidArgument("disposable_domains", "must be at most 20000 characters");
  for (std::string_view item : Items(text)) {
    std::string_view d = item.front() == '-' ? Trim(item.substr(1)) : item;
    if (!IsDomain(d)) {
      return InvalidArgument("disposable_domains", fmt::format("\"{}\" is not a domain", std::string(item)));
    }
  }
  return OkStatus();
}

}  // namespace vouch::core
