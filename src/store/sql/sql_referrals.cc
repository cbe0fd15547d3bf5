#include "store/sql/sql_referrals.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<std::optional<ReferralCode>> SqlReferrals::FindCodeByPromoter(Id shop, Id promoter) {
  return One<ReferralCode>(
      c_, fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND promoter_id = ?2", kCodeCols),
      {shop, promoter}, CodeFrom);
}

Result<std::optional<ReferralCode>> SqlReferrals::FindCode(Id shop, const std::string& code) {
  return One<ReferralCode>(
      c_, fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND code = ?2", kCodeCols),
      {shop, code}, CodeFrom);
}

Result<std::optional<ReferralCode>> SqlReferrals::FindCodeAnyShop(const std::string& code) {
  return One<ReferralCode>(c_, fmt::format("SELECT {} FROM referral_codes WHERE code = ?1", kCodeCols),
                           {code}, CodeFrom);
}

Result<std::optional<ReferralCode>> SqlReferrals::GetCode(Id code) {
  return One<ReferralCode>(c_, fmt::format("SELECT {} FROM referral_codes WHERE id = ?1", kCodeCols), {code},
                           CodeFrom);
}

Result<Id> SqlReferrals::InsertCode(const ReferralCode& c) {
  // Only a taken code is "already exists" (the app retries with another); a second code for the
  // same promoter is a uniqueness violation that fails the whole write.
  return InsertUnlessTaken(
      c_,
      "INSERT INTO referral_codes (shop_id, code, promoter_id, survey_id, created_at, expires_at, "
      "max_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "code",
      {c.shop_id, c.code, c.promoter_id, c.survey_id, Ms(c.created_at), Opt(c.expires_at), c.max_uses},
      "referral code " + c.code);
}

Status SqlReferrals::AddCodeUse(Id code) {
  return Exec(c_, "UPDATE referral_codes SET uses = uses + 1 WHERE id = ?1", {code});
}

Result<std::optional<ReferralCode>> SqlReferrals::LockCode(Id code) {
  // A write to the row takes its lock on PostgreSQL (read committed: the statements after it see
  // what the node that held the lock committed); SQLite's one writer serialises anyway.
  VOUCH_TRY(Exec(c_, "UPDATE referral_codes SET uses = uses WHERE id = ?1", {code}));
  return GetCode(code);
}

Result<int64_t> SqlReferrals::CountReferralsOfBuyer(Id shop, Id customer, Id excluding_order) {
  auto rows = c_.Query(
      "SELECT COUNT(*) FROM orders o CROSS JOIN referrals r "  // from the buyer's orders (SQLite)
      "WHERE r.order_id = o.id AND o.customer_id = ?2 AND o.id <> ?3 AND r.shop_id = ?1 "
      "AND r.decision <> 'rejected'",
      {shop, customer, excluding_order});
  if (!rows) return rows.error();
  return rows->empty() ? int64_t{0} : Int(rows->front(), 0);
}

Status SqlReferrals::AddCodeVisit(Id code, Instant at) {
  VOUCH_TRY(Exec(c_, "UPDATE referral_codes SET visits = visits + 1 WHERE id = ?1", {code}));
  return Exec(c_, "INSERT INTO share_visits (code_id, at) VALUES (?1, ?2)", {code, Ms(at)});
}

Result<Id> SqlReferrals::Insert(const Referral& r) {
  return InsertReturningId(
      c_,
      "INSERT INTO referrals (shop_id, order_id, code_id, promoter_id, status, revenue_minor, "
      "currency, created_at, decision, rules, reviewed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11)",
      {r.shop_id, r.order_id, r.code_id, r.promoter_id, Stored(r.status), r.revenue_minor, r.currency,
       Ms(r.created_at), Stored(r.decision), JoinRules(r.rules), Opt(r.reviewed_at)});
}

Result<std::optional<Referral>> SqlReferrals::Get(Id referral) {
  return One<Referral>(c_, fmt::format("SELECT {} FROM referrals WHERE id = ?1", kReferralCols), {referral},
                       ReferralFrom);
}

Result<Id> SqlReferrals::InsertReward(const Reward& w) {
  return InsertUnlessTaken(
      c_,
      "INSERT INTO rewards (shop_id, referral_id, promoter_id, code, amount_minor, currency, "
      "created_at, status, hold_until, released_at, reversed_at, reverse_reason) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      "shop_id, code",
      {w.shop_id, w.referral_id, w.promoter_id, w.code, w.amount_minor, w.currency, Ms(w.created_at),
       Stored(w.status), Opt(w.hold_until), Opt(w.released_at), Opt(w.reversed_at), w.reverse_reason},
      "reward code " + w.code);
}

Result<std::optional<Reward>> SqlReferrals::GetReward(Id reward) {
  return One<Reward>(c_, fmt::format("SELECT {} FROM rewards WHERE id = ?1", kRewardCols), {reward},
                     RewardFrom);
}

Result<std::optional<Reward>> SqlReferrals::FindRewardByReferral(Id referral) {
  return One<Reward>(c_, fmt::format("SELECT {} FROM rewards WHERE referral_id = ?1", kRewardCols),
                     {referral}, RewardFrom);
}

Result<std::optional<Reward>> SqlReferrals::FindRewardByCode(Id shop, const std::string& code) {
  return One<Reward>(c_, fmt::format("SELECT {} FROM rewards WHERE shop_id = ?1 AND code = ?2", kRewardCols),
                     {shop, code}, RewardFrom);
}

Result<std::vector<Reward>> SqlReferrals::ListRewards(Id shop, Id promoter) {
  return Many<Reward>(c_,
                      fmt::format("SELECT {} FROM rewards WHERE shop_id = ?1 AND promoter_id = ?2 "
                                  "ORDER BY created_at DESC, id DESC",
                                  kRewardCols),
                      {shop, promoter}, RewardFrom);
}

Result<std::vector<RewardEntry>> SqlReferrals::ListEntries(Id shop, Id promoter) {
  return Many<RewardEntry>(
      c_,
      fmt::format("SELECT {} FROM reward_entries WHERE shop_id = ?1 AND promoter_id = ?2 "
                  "ORDER BY at, id",
                  kRewardEntryCols),
      {shop, promoter}, RewardEntryFrom);
}

Result<int64_t> SqlReferrals::CountStandingRewards(Id shop, Id promoter, Instant from, Instant to) {
  return Count(c_,
               "SELECT COUNT(*) FROM rewards WHERE shop_id = ?1 AND promoter_id = ?2 AND created_at >= ?3 "
               "AND created_at < ?4 AND status IN ('held', 'released')",
               {shop, promoter, Ms(from), Ms(to)});
}

Result<int64_t> SqlReferrals::CountQualifiedOnCode(Id code, Instant from, Instant to) {
  return Count(c_,
               "SELECT COUNT(*) FROM referrals WHERE code_id = ?1 AND created_at >= ?2 AND created_at < ?3 "
               "AND decision = 'qualified'",
               {code, Ms(from), Ms(to)});
}

Result<int64_t> SqlReferrals::CountBuyersOnCode(Id code, Instant from, Instant to) {
  return Count(
      c_,
      "SELECT COUNT(DISTINCT o.customer_id) FROM referrals r JOIN orders o ON o.id = r.order_id "
      "WHERE r.code_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3 AND r.status <> 'self_referral'",
      {code, Ms(from), Ms(to)});
}

Status SqlReferrals::PauseCode(Id code, Instant at, int64_t buyers) {
  return Exec(
      c_, "UPDATE referral_codes SET paused_at = ?2, paused_buyers = ?3 WHERE id = ?1 AND paused_at IS NULL",
      {code, Ms(at), buyers});
}

Result<bool> SqlReferrals::ResumeCode(Id code, Instant at) {
  auto n = c_.Exec(
      "UPDATE referral_codes SET paused_at = NULL, paused_buyers = 0, resumed_at = ?2 "
      "WHERE id = ?1 AND paused_at IS NOT NULL",
      {code, Ms(at)});
  if (!n) return n.error();
  if (*n == 0) return false;
  // The pause's mail job (unique per kind, ref, channel) goes, so a later pause mails again.
  VOUCH_TRY(Exec(c_, "DELETE FROM jobs WHERE kind = 'coupon_leak' AND ref_id = ?1", {code}));
  return true;
}

Result<int64_t> SqlReferrals::CountVisitsOnCode(Id code, Instant from, Instant to) {
  return Count(c_, "SELECT COUNT(*) FROM share_visits WHERE code_id = ?1 AND at >= ?2 AND at < ?3",
               {code, Ms(from), Ms(to)});
}

Result<std::vector<ReferralRow>> SqlReferrals::List(Id shop, const ReferralFilter& f) {
  // The referral's columns as kReferralCols (0-11), then the code, the buyer and the reward's
  // columns as kRewardCols (14-29; NULL without a reward), then the order's external id.
  const std::string decision = f.decision ? core::DecisionName(*f.decision) : "";
  return Many<ReferralRow>(
      c_,
      "SELECT r.id, r.shop_id, r.order_id, r.code_id, r.promoter_id, r.status, r.revenue_minor, r.currency, "
      "r.created_at, r.decision, r.rules, r.reviewed_at, k.code, o.customer_id, "
      "w.id, w.shop_id, w.referral_id, w.promoter_id, w.code, w.amount_minor, w.currency, w.created_at, "
      "w.status, w.hold_until, w.released_at, w.reversed_at, w.reverse_reason, w.voucher_used_at, "
      "w.voucher_used_order, w.voucher_voided_at, o.external_id "
      "FROM referrals r JOIN referral_codes k ON k.id = r.code_id JOIN orders o ON o.id = r.order_id "
      "LEFT JOIN rewards w ON w.referral_id = r.id "
      "WHERE r.shop_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3 "
      "AND (CAST(?4 AS TEXT) = '' OR r.decision = ?4) AND (?5 = 0 OR r.id < ?5) "
      "ORDER BY r.id DESC LIMIT ?6",
      {shop, Ms(f.from), Ms(f.to), decision, f.before, int64_t{f.limit}}, [](const Row& r) {
        ReferralRow row;
        row.referral = ReferralFrom(r);
        row.code = Text(r, 12);
        row.buyer_id = Int(r, 13);
        row.order_external_id = Text(r, 30);
        if (OptInt(r, 14)) {
          Row w(r.begin() + 14, r.begin() + 30);
          row.reward = RewardFrom(w);
        }
        return row;
      });
}

Result<bool> SqlReferrals::Review(Id referral, core::Decision decision, core::ReferralVerdict status,
                                  Instant at) {
  auto n = c_.Exec(
      "UPDATE referrals SET decision = ?2, status = ?3, reviewed_at = ?4 WHERE id = ?1 AND decision = "
      "'pending_review'",
      {referral, Stored(decision), Stored(status), Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

Status SqlReferrals::SetRevenue(Id referral, int64_t revenue_minor) {
  return Exec(c_, "UPDATE referrals SET revenue_minor = ?2 WHERE id = ?1", {referral, revenue_minor});
}

Result<bool> SqlReferrals::MoveReward(Id reward, RewardStatus from, RewardStatus to, Instant at,
                                      const std::string& reason) {
  // The WHERE on the status makes the step conditional: on PostgreSQL a second transaction's
  // UPDATE waits for the first one's commit, sees the new status and changes nothing.
  const bool released = to == RewardStatus::kReleased;
  auto n = c_.Exec(released ? "UPDATE rewards SET status = ?3, released_at = ?4 WHERE id = ?1 AND status = ?2"
                            : "UPDATE rewards SET status = ?3, reversed_at = ?4, reverse_reason = ?5 "
                              "WHERE id = ?1 AND status = ?2",
                   released ? std::vector<Value>{reward, Stored(from), Stored(to), Ms(at)}
                            : std::vector<Value>{reward, Stored(from), Stored(to), Ms(at), reason});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> SqlReferrals::MarkVoucherUsed(Id reward, const std::string& order_external_id, Instant at) {
  auto n = c_.Exec(
      "UPDATE rewards SET voucher_used_at = ?3, voucher_used_order = ?2 WHERE id = ?1 AND voucher_used_at IS "
      "NULL",
      {reward, order_external_id, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> SqlReferrals::VoidVoucher(Id reward, Instant at) {
  auto n = c_.Exec(
      "UPDATE rewards SET voucher_voided_at = ?2 WHERE id = ?1 AND voucher_used_at IS NULL "
      "AND voucher_voided_at IS NULL",
      {reward, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::optional<std::string>> SqlReferrals::FindPromoterNetwork(Id customer,
                                                                     const std::string& network_hash) {
  return One<std::string>(c_,
                          "SELECT source FROM promoter_networks WHERE customer_id = ?1 AND network_hash = ?2 "
                          "ORDER BY at DESC LIMIT 1",
                          {customer, network_hash}, [](const Row& r) { return Text(r, 0); });
}

Status SqlReferrals::AddPromoterNetwork(Id shop, Id customer, const std::string& network_hash,
                                        const std::string& source, Instant at, int keep) {
  VOUCH_TRY(Exec(c_,
                 "INSERT INTO promoter_networks (shop_id, customer_id, network_hash, source, at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5) "
                 "ON CONFLICT (customer_id, network_hash, source) DO UPDATE SET at = excluded.at",
                 {shop, customer, network_hash, source, Ms(at)}));
  return Exec(c_,
              "DELETE FROM promoter_networks WHERE customer_id = ?1 AND id NOT IN "
              "(SELECT id FROM promoter_networks WHERE customer_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2)",
              {customer, int64_t{keep}});
}

Result<Id> SqlReferrals::InsertEntry(const RewardEntry& e) {
  return InsertReturningId(
      c_,
      "INSERT INTO reward_entries (shop_id, reward_id, promoter_id, kind, amount_minor, currency, reason, "
      "at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      {e.shop_id, e.reward_id, e.promoter_id, e.kind, e.amount_minor, e.currency, e.reason, Ms(e.at)});
}

}  // namespace vouch::store::sql
