#include "store/sql/sql_followups.h"

#include <fmt/format.h>

namespace vouch::store::sql {
namespace {

Value Nullable(const std::optional<std::string>& s) { return s ? Value{*s} : Null(); }

}  // namespace

Result<std::optional<Followup>> SqlFollowups::Find(Id shop, Id survey) {
  return One<Followup>(
      c_, fmt::format("SELECT {} FROM followups WHERE shop_id = ?1 AND survey_id = ?2", kFollowupCols),
      {shop, survey}, [](const Row& r) { return FollowupFrom(r, 0); });
}

Result<FollowupCounts> SqlFollowups::Counts(Id shop, Instant from, Instant to) {
  // The detractors of the answers feed (ListResponses' states), counted in one aggregate; the
  // resolved ones (few beside them) streamed for their durations. Open = the rest: a detractor
  // without a follow-up, or with an open one.
  constexpr const char* kDetractor =
      "s.shop_id = ?1 AND s.answered_at >= ?2 AND s.answered_at < ?3 AND s.score <= 6 "
      "AND s.answer_state IN ('counted', 'confirmed', 'suspect')";
  auto total =
      c_.Query(fmt::format("SELECT COUNT(*) FROM surveys s WHERE {}", kDetractor), {shop, Ms(from), Ms(to)});
  if (!total) return total.error();
  FollowupCounts out;
  VOUCH_TRY(c_.QueryEach(fmt::format("SELECT s.answered_at, f.resolved_at FROM followups f "
                                     "JOIN surveys s ON s.id = f.survey_id WHERE f.shop_id = ?1 "
                                     "AND f.status = 'resolved' AND {}",
                                     kDetractor),
                         {shop, Ms(from), Ms(to)}, [&out](const Row& r) {
                           ++out.resolved;
                           if (auto at = OptInt(r, 1)) out.resolve_millis.push_back(*at - Int(r, 0));
                         }));
  out.open = Int(total->front(), 0) - out.resolved;
  return out;
}

Status SqlFollowups::Upsert(const Followup& f) {
  return Exec(
      c_,
      "INSERT INTO followups (survey_id, shop_id, owner, note, status, created_at, updated_at, "
      "resolved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (survey_id) DO UPDATE SET owner = excluded.owner, note = excluded.note, "
      "status = excluded.status, updated_at = excluded.updated_at, resolved_at = excluded.resolved_at",
      {f.survey_id, f.shop_id, Nullable(f.owner), Nullable(f.note), Stored(f.status), Ms(f.created_at),
       Ms(f.updated_at), Opt(f.resolved_at)});
}

}  // namespace vouch::store::sql
