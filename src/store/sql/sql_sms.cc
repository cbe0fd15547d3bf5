#include "store/sql/sql_sms.h"

namespace vouch::store::sql {

Result<bool> SqlSms::IsOptedOut(const std::string& phone) {
  auto n = Count(c_, "SELECT COUNT(*) FROM sms_optouts WHERE phone = ?1", {phone});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::optional<Id>> SqlSms::LatestOpenSurvey(const std::string& phone) {
  return One<Id>(
      c_,
      "SELECT s.id FROM surveys s JOIN customers c ON c.id = s.customer_id "
      // c.phone <> '' names the partial index customers_phone_all's condition (0027).
      "WHERE c.phone = ?1 AND c.phone <> '' AND s.channel = 'sms' AND s.status = 'sent' AND s.score IS NULL "
      "ORDER BY s.sent_at DESC, s.id DESC LIMIT 1",
      {phone}, [](const Row& r) { return Int(r, 0); });
}

Result<bool> SqlSms::OptOut(const std::string& phone, Instant at) {
  auto n =
      c_.Exec("INSERT INTO sms_optouts (phone, opted_out_at) VALUES (?1, ?2) ON CONFLICT (phone) DO NOTHING",
              {phone, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> SqlSms::OptIn(const std::string& phone) {
  auto n = c_.Exec("DELETE FROM sms_optouts WHERE phone = ?1", {phone});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> SqlSms::RecordDelivery(Id job, bool delivered, const std::string& detail, Instant at) {
  // A failure report fails the job with the gateway's reason; a later "delivered" (reports may
  // arrive out of order) marks it delivered and done again. A report can also arrive while the
  // job is still running, before the worker has recorded the gateway's answer (the fake SMSC
  // reports within milliseconds): it is kept, the status left to the worker's Finish, which
  // honours a "failed" report.
  auto n = c_.Exec(
      "UPDATE jobs SET delivery = ?2, delivery_detail = ?3, "
      "status = CASE WHEN status = 'running' THEN status WHEN ?2 = 'failed' THEN 'failed' ELSE 'done' END, "
      "last_error = CASE WHEN status = 'running' THEN last_error WHEN ?2 = 'failed' THEN ?3 ELSE '' END, "
      "finished_at = CASE WHEN status = 'running' THEN finished_at ELSE COALESCE(finished_at, ?4) END "
      "WHERE id = ?1 AND channel = 'sms' AND (status IN ('done', 'running') OR delivery <> '')",
      {job, std::string(delivered ? "delivered" : "failed"), detail, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

Status SqlSms::Defer(Id job, Instant run_at, const std::string& note) {
  return Exec(c_,
              "UPDATE jobs SET status = 'pending', run_at = ?2, last_error = ?3, locked_until = NULL, "
              "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE id = ?1",
              {job, Ms(run_at), note});
}

}  // namespace vouch::store::sql
