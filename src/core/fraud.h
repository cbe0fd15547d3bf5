#pragma once
// Fraud rules that explain themselves (issue 11): each rule is a pure function giving, when it
// fires, its name and a detail (evidence without the other person's personal data). A shop picks
// per rule what a firing does (RuleActions: reject, hold for review, or ignore); Decide turns the
// rules that fired into the referral's decision. No I/O, thread-safe.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vouch::core {

// A rule that fired: "velocity", "disposable_email", or a verdict of JudgeReferral
// ("self_referral", "expired", "used_up", "existing_customer").
struct FiredRule {
  std::string rule;
  std::string detail;
  bool operator==(const FiredRule&) const = default;
};

// Where a referral stands. Stored as "qualified", "pending_review", "rejected".
enum class Decision { kQualified, kPendingReview, kRejected };
const char* DecisionName(Decision d);
std::optional<Decision> ParseDecision(std::string_view s);

enum class RuleAction { kReject, kReview, kIgnore };
const char* RuleActionName(RuleAction a);

// What each rule's firing does. Defaults: velocity, disposable_email, shared_network and coupon_leak hold for
// review; the verdicts of JudgeReferral (self_referral, expired, used_up, existing_customer) reject.
class RuleActions {
 public:
  RuleActions();
  // The defaults with the shop's changes: "velocity=reject,disposable_email=ignore" (commas or
  // newlines between pairs, spaces allowed). kInvalidArgument (field "rule_actions") for an
  // unknown rule or action.
  static Result<RuleActions> Parse(std::string_view text);
  RuleAction For(const std::string& rule) const;
  // Every rule a shop may set, with its action.
  const std::map<std::string, RuleAction>& all() const { return actions_; }

 private:
  std::map<std::string, RuleAction> actions_;
};

// The decision for the rules that fired, and the ones that count (ignored ones dropped): any
// rejecting rule rejects, else any reviewing one holds for review, else qualified.
struct Judgement {
  Decision decision = Decision::kQualified;
  std::vector<FiredRule> rules;
};
Judgement Decide(const std::vector<FiredRule>& fired, const RuleActions& actions);

// Velocity: more than `max` qualified referrals on one code within `hours`. `qualified_before`
// counts the code's qualified referrals in the `hours` before this order; this one would be the
// next. max <= 0: off.
std::optional<FiredRule> VelocityRule(int64_t qualified_before, int64_t max, int64_t hours);

// Disposable mailbox domains: the built-in list (lists/disposable_domains.txt, compiled in) with a
// shop's changes (`overrides`: one domain per line or comma, "-domain" takes one off the list).
class DisposableDomains {
 public:
  static DisposableDomains With(std::string_view overrides);
  // Whether `domain` (lower case) or a domain it is under ("x.mailinator.com") is listed.
  bool Contains(std::string_view domain) const;
  size_t size() const { return domains_.size(); }

 private:
  std::set<std::string, std::less<>> domains_;
};
// Fires for a buyer email (normalised) at a listed domain; the detail names the domain.
std::optional<FiredRule> DisposableEmailRule(std::string_view buyer_email, const DisposableDomains& domains);

// Validates a shop's disposable_domains text (field "disposable_domains").
Status ValidateDomainList(std::string_view text);

}  // namespace vouch::core
