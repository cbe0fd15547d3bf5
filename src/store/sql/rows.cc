#include "store/sql/rows.h"

#include <fmt/format.h>

namespace vouch::store::sql {

int64_t Int(const Row& r, size_t i) {
  const auto& v = r.at(i);
  if (std::holds_alternative<int64_t>(v)) return std::get<int64_t>(v);
  if (std::holds_alternative<double>(v)) return static_cast<int64_t>(std::get<double>(v));
  if (std::holds_alternative<std::string>(v)) return std::stoll(std::get<std::string>(v));
  return 0;
}

std::optional<int64_t> OptInt(const Row& r, size_t i) {
  if (std::holds_alternative<std::monostate>(r.at(i))) return std::nullopt;
  return Int(r, i);
}

std::string Text(const Row& r, size_t i) {
  const auto& v = r.at(i);
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  return {};
}

std::string Placeholders(size_t n, size_t first) {
  std::string out;
  out.reserve(n * 6);
  for (size_t i = 0; i < n; ++i) fmt::format_to(std::back_inserter(out), "{}?{}", i ? ", " : "", first + i);
  return out;
}

Result<Id> InsertReturningId(Connection& c, const std::string& sql, const std::vector<Value>& params) {
  auto rows = c.Query(sql + " RETURNING id", params);
  if (!rows) return rows.error();
  if (rows->empty()) return Internal("insert returned no id");
  return Int(rows->front(), 0);
}

Result<Id> InsertUnlessTaken(Connection& c, const std::string& sql, const std::string& conflict,
                             const std::vector<Value>& params, const std::string& what) {
  auto rows = c.Query(fmt::format("{} ON CONFLICT ({}) DO NOTHING RETURNING id", sql, conflict), params);
  if (!rows) return rows.error();
  if (rows->empty()) return Error{Code::kAlreadyExists, what + " already exists", {}};
  return Int(rows->front(), 0);
}

Result<int64_t> Count(Connection& c, const std::string& sql, const std::vector<Value>& params) {
  auto rows = c.Query(sql, params);
  if (!rows) return rows.error();
  return rows->empty() ? 0 : Int(rows->front(), 0);
}

Status Exec(Connection& c, const std::string& sql, const std::vector<Value>& params) {
  auto n = c.Exec(sql, params);
  if (!n) return n.error();
  return OkStatus();
}

std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Shop ShopFrom(const Row& r) {
  Shop s;
  s.id = Int(r, 0);
  s.name = Text(r, 1);
  s.url = Text(r, 2);
  s.settings.survey_delay_seconds = Int(r, 3);
  s.settings.throttle_days = Int(r, 4);
  s.settings.discount_kind = Text(r, 5);
  s.settings.discount_value = Int(r, 6);
  s.settings.reward_minor = Int(r, 7);
  s.settings.currency = Text(r, 8);
  s.settings.code_expiry_days = Int(r, 9);
  s.settings.code_max_uses = Int(r, 10);
  s.settings.landing_url = Text(r, 11);
  s.settings.locale = Text(r, 12);
  s.settings.sender_name = Text(r, 13);
  s.created_at = Time(r, 14);
  s.settings.reward_min_order = Int(r, 15);
  s.settings.reward_hold_seconds = Int(r, 16);
  s.settings.reward_cap_per_month = Int(r, 17);
  s.settings.velocity_max = Int(r, 18);
  s.settings.velocity_hours = Int(r, 19);
  s.settings.rule_actions = Text(r, 20);
  s.settings.disposable_domains = Text(r, 21);
  s.settings.shopify_webhook_secret = Text(r, 22);
  s.settings.shopify_ingest_on = Text(r, 23);
  s.settings.woocommerce_webhook_secret = Text(r, 24);
  s.settings.reminder_after_seconds = Int(r, 25);
  s.settings.channel = Text(r, 26);
  s.settings.default_region = Text(r, 27);
  s.settings.max_messages = Int(r, 28);
  s.settings.budget_days = Int(r, 29);
  s.settings.messages_per_hour = Int(r, 30);
  s.settings.attribution_days = Int(r, 31);
  s.settings.coupon_leak_buyers = Int(r, 32);
  s.settings.contact_email = Text(r, 33);
  s.settings.holdout_percent = Int(r, 34);
  return s;
}

Customer CustomerFrom(const Row& r) {
  Customer c;
  c.id = Int(r, 0);
  c.shop_id = Int(r, 1);
  c.external_id = Text(r, 2);
  c.email = Text(r, 3);
  c.phone = Text(r, 4);
  c.first_name = Text(r, 5);
  c.last_name = Text(r, 6);
  c.locale = Text(r, 7);
  c.unsubscribed_at = OptTime(r, 8);
  c.last_survey_at = OptTime(r, 9);
  c.accepts_email_marketing = OptBool(r, 10);
  c.accepts_sms_marketing = OptBool(r, 11);
  c.canonical_email = Text(r, 12);
  return c;
}

Order OrderFrom(const Row& r) {
  Order o;
  o.id = Int(r, 0);
  o.shop_id = Int(r, 1);
  o.external_id = Text(r, 2);
  o.customer_id = Int(r, 3);
  o.created_at = Time(r, 4);
  o.currency = Text(r, 5);
  o.total_minor = Int(r, 6);
  o.discount_codes = SplitLines(Text(r, 7));
  o.survey_id = OptInt(r, 8);
  o.survey_skip = Text(r, 9);
  o.referral_id = OptInt(r, 10);
  o.ingested_at = Time(r, 11);
  o.refunded_minor = Int(r, 12);
  o.cancelled_at = OptTime(r, 13);
  o.landing_site = Text(r, 14);
  o.browser_ip = Text(r, 15);
  ShippingAddress ship{Text(r, 16), Text(r, 17), Text(r, 18)};
  if (!ship.line1.empty() || !ship.zip.empty() || !ship.country.empty()) o.shipping_address = std::move(ship);
  return o;
}

LineItem LineItemFrom(const Row& r) {
  return LineItem{Text(r, 0), Text(r, 1), Text(r, 2), Int(r, 3), Int(r, 4)};
}

// Unknown stored names (none the schema allows) read as the record's default.
Survey SurveyFrom(const Row& r) {
  Survey s;
  s.id = Int(r, 0);
  s.shop_id = Int(r, 1);
  s.order_id = Int(r, 2);
  s.customer_id = Int(r, 3);
  s.channel = core::ParseChannel(Text(r, 4)).value_or(core::Channel::kEmail);
  s.segment = Text(r, 5);
  s.due_at = Time(r, 6);
  s.status = ParseSurveyStatus(Text(r, 7)).value_or(SurveyStatus::kScheduled);
  s.sent_at = OptTime(r, 8);
  if (auto score = OptInt(r, 9)) s.score = static_cast<int>(*score);
  s.answer_state = ParseAnswerState(Text(r, 10));
  s.answered_at = OptTime(r, 11);
  s.updated_at = OptTime(r, 12);
  s.comment = Text(r, 13);
  s.order_at = Time(r, 14);
  return s;
}

Click ClickFrom(const Row& r) {
  return Click{Int(r, 0), Time(r, 1), static_cast<int>(Int(r, 2)),
               core::ParseClickVerdict(Text(r, 3)).value_or(core::ClickVerdict::kCount), Text(r, 4)};
}

ReferralCode CodeFrom(const Row& r) {
  ReferralCode c;
  c.id = Int(r, 0);
  c.shop_id = Int(r, 1);
  c.code = Text(r, 2);
  c.promoter_id = Int(r, 3);
  c.survey_id = Int(r, 4);
  c.created_at = Time(r, 5);
  c.expires_at = OptTime(r, 6);
  c.max_uses = Int(r, 7);
  c.uses = Int(r, 8);
  c.visits = Int(r, 9);
  c.paused_at = OptTime(r, 10);
  c.paused_buyers = Int(r, 11);
  c.resumed_at = OptTime(r, 12);
  return c;
}

Referral ReferralFrom(const Row& r) {
  Referral x;
  x.id = Int(r, 0);
  x.shop_id = Int(r, 1);
  x.order_id = Int(r, 2);
  x.code_id = Int(r, 3);
  x.promoter_id = Int(r, 4);
  x.status = core::ParseVerdict(Text(r, 5)).value_or(core::ReferralVerdict::kQualified);
  x.revenue_minor = Int(r, 6);
  x.currency = Text(r, 7);
  x.created_at = Time(r, 8);
  x.decision = core::ParseDecision(Text(r, 9)).value_or(core::Decision::kQualified);
  x.rules = SplitRules(Text(r, 10));
  x.reviewed_at = OptTime(r, 11);
  return x;
}

std::string JoinRules(const std::vector<core::FiredRule>& rules) {
  std::string out;
  for (const auto& f : rules) {
    std::string detail = f.detail;  // a tab or newline in a detail would split it
    for (auto& c : detail) {
      if (c == '\t' || c == '\n') c = ' ';
    }
    out += f.rule + "\t" + detail + "\n";
  }
  return out;
}

std::vector<core::FiredRule> SplitRules(const std::string& s) {
  std::vector<core::FiredRule> out;
  for (const auto& line : SplitLines(s)) {
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      out.push_back(core::FiredRule{line, ""});
    } else {
      out.push_back(core::FiredRule{line.substr(0, tab), line.substr(tab + 1)});
    }
  }
  return out;
}

Reward RewardFrom(const Row& r) {
  Reward w;
  w.id = Int(r, 0);
  w.shop_id = Int(r, 1);
  w.referral_id = Int(r, 2);
  w.promoter_id = Int(r, 3);
  w.code = Text(r, 4);
  w.amount_minor = Int(r, 5);
  w.currency = Text(r, 6);
  w.created_at = Time(r, 7);
  w.status = ParseRewardStatus(Text(r, 8)).value_or(RewardStatus::kReleased);
  w.hold_until = OptTime(r, 9);
  w.released_at = OptTime(r, 10);
  w.reversed_at = OptTime(r, 11);
  w.reverse_reason = Text(r, 12);
  w.voucher_used_at = OptTime(r, 13);
  w.voucher_used_order = Text(r, 14);
  w.voucher_voided_at = OptTime(r, 15);
  return w;
}

OrderRefund RefundFrom(const Row& r) {
  return OrderRefund{Int(r, 0), Int(r, 1), Int(r, 2), Text(r, 3), Int(r, 4), Time(r, 5)};
}

RewardEntry RewardEntryFrom(const Row& r) {
  return RewardEntry{Int(r, 0), Int(r, 1),  Int(r, 2),  Int(r, 3), Text(r, 4),
                     Int(r, 5), Text(r, 6), Text(r, 7), Time(r, 8)};
}

Job JobFrom(const Row& r) {
  Job j;
  j.id = Int(r, 0);
  j.shop_id = Int(r, 1);
  j.kind = ParseJobKind(Text(r, 2)).value_or(JobKind::kSurvey);
  j.ref_id = Int(r, 3);
  j.channel = core::ParseChannel(Text(r, 4)).value_or(core::Channel::kEmail);
  j.run_at = Time(r, 5);
  j.attempts = static_cast<int>(Int(r, 6));
  j.status = ParseJobStatus(Text(r, 7)).value_or(JobStatus::kPending);
  j.last_error = Text(r, 8);
  j.created_at = Time(r, 9);
  j.finished_at = OptTime(r, 10);
  j.delivery = Text(r, 11);
  j.delivery_detail = Text(r, 12);
  return j;
}

User UserFrom(const Row& r) {
  User u;
  u.id = Int(r, 0);
  u.shop_id = Int(r, 1);
  u.email = Text(r, 2);
  u.role = ParseRole(Text(r, 3)).value_or(Role::kViewer);  // the schema holds only the two names
  u.password_hash = Text(r, 4);
  u.created_at = Time(r, 5);
  u.last_sign_in_at = OptTime(r, 6);
  u.must_change_password = Int(r, 7) != 0;
  return u;
}

Followup FollowupFrom(const Row& r, size_t first) {
  Followup f;
  f.survey_id = Int(r, first);
  f.shop_id = Int(r, first + 1);
  f.owner = OptText(r, first + 2);
  f.note = OptText(r, first + 3);
  // The schema holds only the two names.
  f.status = ParseFollowupStatus(Text(r, first + 4)).value_or(FollowupStatus::kOpen);
  f.created_at = Time(r, first + 5);
  f.updated_at = Time(r, first + 6);
  f.resolved_at = OptTime(r, first + 7);
  return f;
}

std::optional<std::string> OptText(const Row& r, size_t i) {
  if (i >= r.size() || std::holds_alternative<std::monostate>(r[i])) return std::nullopt;
  return Text(r, i);
}

}  // namespace vouch::store::sql
