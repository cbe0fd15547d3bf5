#include "store/sql/sql_jobs.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<bool> SqlJobs::Enqueue(Id shop, JobKind kind, Id ref, core::Channel channel, Instant run_at) {
  auto n = c_.Exec(
      "INSERT INTO jobs (shop_id, kind, ref_id, channel, run_at, status, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?5) ON CONFLICT (kind, ref_id, channel) DO NOTHING",
      {shop, JobKindName(kind), ref, Stored(channel), Ms(run_at)});
  if (!n) return n.error();
  return *n > 0;
}

Result<int64_t> SqlJobs::EnqueueMany(Id shop, JobKind kind, core::Channel channel,
                                     const std::vector<std::pair<Id, Instant>>& jobs) {
  int64_t added = 0;
  const std::string kind_name = JobKindName(kind);
  const std::string channel_name = Name(channel);
  // created_at is the run time, as Enqueue writes it.
  VOUCH_TRY(d_.InsertRows(
      c_, "jobs", "shop_id, kind, ref_id, channel, run_at, created_at",
      {"bigint", "text", "bigint", "text", "bigint", "bigint"}, jobs.size(),
      [&](size_t i, std::vector<Value>& v) {
        v.insert(v.end(),
                 {shop, kind_name, jobs[i].first, channel_name, Ms(jobs[i].second), Ms(jobs[i].second)});
      },
      " ON CONFLICT (kind, ref_id, channel) DO NOTHING RETURNING id", [&](Row&) { ++added; }, "status",
      "'pending'"));
  return added;
}

Result<std::optional<Job>> SqlJobs::Find(JobKind kind, Id ref, core::Channel channel) {
  return One<Job>(
      c_, fmt::format("SELECT {} FROM jobs WHERE kind = ?1 AND ref_id = ?2 AND channel = ?3", kJobCols),
      {JobKindName(kind), ref, Stored(channel)}, JobFrom);
}

Status SqlJobs::Reschedule(JobKind kind, Id ref, core::Channel channel, Instant run_at) {
  return Exec(
      c_,
      "UPDATE jobs SET run_at = ?4 WHERE kind = ?1 AND ref_id = ?2 AND channel = ?3 AND status = 'pending'",
      {JobKindName(kind), ref, Stored(channel), Ms(run_at)});
}

Result<std::vector<Job>> SqlJobs::Claim(Instant now, Millis lease, int limit) {
  // The dialect's row locks (PostgreSQL: SKIP LOCKED passes over rows another node's open
  // transaction is claiming; SQLite has one writer and no row locks).
  return Many<Job>(
      c_,
      fmt::format("UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?2 "
                  "WHERE id IN (SELECT id FROM jobs WHERE "
                  "(status = 'pending' AND run_at <= ?1) OR (status = 'running' AND locked_until <= ?1) "
                  "ORDER BY run_at LIMIT ?3{}) RETURNING {}",
                  d_.SkipLocked(), kJobCols),
      {Ms(now), Ms(now + lease), int64_t{limit}}, JobFrom);
}

Result<std::vector<Job>> SqlJobs::FailAbandoned(Instant now, int max_claims, const std::string& reason) {
  return Many<Job>(c_,
                   fmt::format("UPDATE jobs SET status = 'failed', last_error = ?3, finished_at = ?1, "
                               "locked_until = NULL WHERE status = 'running' AND locked_until <= ?1 "
                               "AND attempts >= ?2 RETURNING {}",
                               kJobCols),
                   {Ms(now), int64_t{max_claims}, reason}, JobFrom);
}

Status SqlJobs::Finish(Id job, JobStatus status, const std::string& note, Instant at) {
  return Exec(
      c_,
      // A text's "failed" delivery report that came in while the job ran stands.
      "UPDATE jobs SET status = CASE WHEN ?2 = 'done' AND delivery = 'failed' THEN 'failed' ELSE ?2 END, "
      "last_error = CASE WHEN ?2 = 'done' AND delivery = 'failed' THEN delivery_detail ELSE ?3 END, "
      "finished_at = ?4, locked_until = NULL WHERE id = ?1",
      {job, Stored(status), note, Ms(at)});
}

Status SqlJobs::Retry(Id job, Instant run_at, const std::string& error) {
  return Exec(c_,
              "UPDATE jobs SET status = 'pending', run_at = ?2, last_error = ?3, locked_until = NULL "
              "WHERE id = ?1",
              {job, Ms(run_at), error});
}

Result<std::vector<Job>> SqlJobs::List(Id shop, std::optional<JobStatus> status, int limit) {
  return Many<Job>(
      c_,
      fmt::format("SELECT {} FROM jobs WHERE shop_id = ?1 AND (CAST(?2 AS TEXT) = '' OR status = ?2) "
                  "ORDER BY id DESC LIMIT ?3",
                  kJobCols),
      {shop, status ? Stored(*status) : Value{std::string()}, int64_t{limit}}, JobFrom);
}

Status SqlJobs::Defer(Id job, Instant run_at, const std::string& note) {
  return Exec(c_,
              "UPDATE jobs SET status = 'pending', run_at = ?2, last_error = ?3, locked_until = NULL, "
              "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE id = ?1",
              {job, Ms(run_at), note});
}

Result<bool> SqlJobs::TakeSendQuota(Id shop, int64_t hour, int64_t quota) {
  VOUCH_TRY(Exec(c_, "DELETE FROM shop_sends WHERE shop_id = ?1 AND hour < ?2", {shop, hour}));
  // One statement: concurrent workers (of any node) never take the same last unit twice.
  auto n = c_.Exec(
      "INSERT INTO shop_sends (shop_id, hour, sent) VALUES (?1, ?2, 1) ON CONFLICT (shop_id, hour) "
      "DO UPDATE SET sent = shop_sends.sent + 1 WHERE shop_sends.sent < ?3",
      {shop, hour, quota});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::vector<JobTally>> SqlJobs::Tally() {
  std::vector<JobTally> out;
  VOUCH_TRY(c_.QueryEach("SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status", {}, [&](Row& r) {
    const auto kind = ParseJobKind(Text(r, 0));
    const auto status = ParseJobStatus(Text(r, 1));
    if (kind && status) out.push_back(JobTally{*kind, *status, Int(r, 2)});
  }));
  return out;
}

Result<JobCounts> SqlJobs::Count(Id shop) {
  auto rows = c_.Query("SELECT status, COUNT(*) FROM jobs WHERE shop_id = ?1 GROUP BY status", {shop});
  if (!rows) return rows.error();
  JobCounts jc;
  for (const auto& r : *rows) {
    const auto status = ParseJobStatus(Text(r, 0));
    if (!status) continue;
    const int64_t n = Int(r, 1);
    switch (*status) {
      case JobStatus::kPending: jc.pending = n; break;
      case JobStatus::kRunning: jc.running = n; break;
      case JobStatus::kDone: jc.done = n; break;
      case JobStatus::kFailed: jc.failed = n; break;
      case JobStatus::kSkipped: jc.skipped = n; break;
    }
  }
  return jc;
}

Result<std::optional<Instant>> SqlJobs::NextDue() {
  auto rows = c_.Query(
      "SELECT MIN(t) FROM (SELECT MIN(run_at) AS t FROM jobs WHERE status = 'pending' "
      "UNION ALL SELECT MIN(locked_until) AS t FROM jobs WHERE status = 'running') AS due",
      {});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Instant>{};
  return OptTime(rows->front(), 0);
}

// Through the customer's surveys and code to their jobs (unique per kind, ref and channel), so
// a customer's count reads only their own rows. CROSS JOIN makes SQLite start from the
// customer's rows (a plain join may scan every done job through jobs_due); PostgreSQL plans it
// as any join. One equality on kind per subquery: with `kind IN ('survey', 'reminder')` SQLite
// (without ANALYZE statistics) looked the jobs up through jobs_due (status = 'done'), reading
// every done job of every shop once per survey of the customer, for each message built. A new
// marketing kind adds its subquery here.
const char* const SqlJobs::kCountMarketingSentSql =
    "SELECT (SELECT COUNT(*) FROM surveys s CROSS JOIN jobs j "
    "   WHERE j.kind = 'survey' AND j.ref_id = s.id AND s.customer_id = ?2 AND j.status = 'done' "
    "   AND j.finished_at >= ?3) "
    " + (SELECT COUNT(*) FROM surveys s CROSS JOIN jobs j "
    "   WHERE j.kind = 'reminder' AND j.ref_id = s.id AND s.customer_id = ?2 AND j.status = 'done' "
    "   AND j.finished_at >= ?3) "
    " + (SELECT COUNT(*) FROM referral_codes c CROSS JOIN jobs j "
    "   WHERE j.kind = 'activation' AND j.ref_id = c.id AND c.shop_id = ?1 AND c.promoter_id = ?2 "
    "   AND j.status = 'done' AND j.finished_at >= ?3)";

Result<int64_t> SqlJobs::CountMarketingSent(Id shop, Id customer, Instant since) {
  auto rows = c_.Query(kCountMarketingSentSql, {shop, customer, Ms(since)});
  if (!rows) return rows.error();
  return rows->empty() ? int64_t{0} : Int(rows->front(), 0);
}

}  // namespace vouch::store::sql
