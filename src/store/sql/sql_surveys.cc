#include "store/sql/sql_surveys.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace vouch::store::sql {
namespace {

Value Score(const Survey& s) { return s.score ? Value{int64_t{*s.score}} : Null(); }

}  // namespace

Result<std::optional<Survey>> SqlSurveys::Get(Id survey) {
  return One<Survey>(c_, fmt::format("SELECT {} FROM surveys WHERE id = ?1", kSurveyCols), {survey},
                     SurveyFrom);
}

Result<std::vector<Survey>> SqlSurveys::ListByCustomer(Id customer) {
  return Many<Survey>(c_,
                      fmt::format("SELECT {} FROM surveys WHERE customer_id = ?1 ORDER BY id", kSurveyCols),
                      {customer}, SurveyFrom);
}

Result<std::vector<Click>> SqlSurveys::RecentClicks(Id survey, Instant since) {
  return Many<Click>(
      c_,
      "SELECT survey_id, at, score, verdict, user_agent FROM clicks WHERE survey_id = ?1 AND at >= ?2 "
      "ORDER BY at",
      {survey, Ms(since)}, ClickFrom);
}

Result<std::vector<Survey>> SqlSurveys::GetMany(const std::vector<Id>& ids) {
  std::vector<Survey> out;
  VOUCH_TRY(d_.SelectByIds(c_, kSurveyCols, "surveys", "id", "", {}, ids, "",
                           [&](Row& r) { out.push_back(SurveyFrom(r)); }));
  return out;
}

Result<std::vector<Click>> SqlSurveys::RecentClicksOf(const std::vector<Id>& surveys, Instant since) {
  std::vector<Click> out;
  VOUCH_TRY(d_.SelectByIds(c_, kClickCols, "clicks", "survey_id", "at >= ?1", {Ms(since)}, surveys,
                           " ORDER BY survey_id, at", [&](Row& r) { out.push_back(ClickFrom(r)); }));
  return out;
}

Result<Id> SqlSurveys::Insert(const Survey& s) {
  return InsertReturningId(
      c_,
      "INSERT INTO surveys (shop_id, order_id, customer_id, channel, segment, due_at, status, order_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      {s.shop_id, s.order_id, s.customer_id, Stored(s.channel), s.segment, Ms(s.due_at), Stored(s.status),
       Ms(s.order_at)});
}

Result<std::vector<Id>> SqlSurveys::TakeIds(size_t n) { return d_.TakeIds(c_, "surveys", n); }

Result<std::vector<Id>> SqlSurveys::InsertMany(const std::vector<Survey>& ss) {
  const bool numbered = !ss.empty() && ss.front().id != 0;
  if (numbered) {
    // Ids taken up front (TakeIds): the rows carry them, and nothing needs returning.
    std::vector<Id> ids;
    ids.reserve(ss.size());
    for (const Survey& s : ss) {
      if (s.id == 0) return Internal("a survey set mixes taken ids and none");
      ids.push_back(s.id);
    }
    VOUCH_TRY(d_.InsertRows(
        c_, "surveys", "id, shop_id, order_id, customer_id, channel, segment, due_at, status, order_at",
        {"bigint", "bigint", "bigint", "bigint", "text", "text", "bigint", "text", "bigint"}, ss.size(),
        [&](size_t i, std::vector<Value>& v) {
          const Survey& s = ss[i];
          v.insert(v.end(), {s.id, s.shop_id, s.order_id, s.customer_id, Stored(s.channel), s.segment,
                             Ms(s.due_at), Stored(s.status), Ms(s.order_at)});
        },
        "", [](Row&) {}));
    return ids;
  }
  std::vector<Id> ids(ss.size(), 0);
  std::unordered_map<Id, size_t> where;
  for (size_t i = 0; i < ss.size(); ++i) where.emplace(ss[i].order_id, i);
  VOUCH_TRY(d_.InsertRows(
      c_, "surveys", "shop_id, order_id, customer_id, channel, segment, due_at, status, order_at",
      {"bigint", "bigint", "bigint", "text", "text", "bigint", "text", "bigint"}, ss.size(),
      [&](size_t i, std::vector<Value>& v) {
        const Survey& s = ss[i];
        v.insert(v.end(), {s.shop_id, s.order_id, s.customer_id, Stored(s.channel), s.segment, Ms(s.due_at),
                           Stored(s.status), Ms(s.order_at)});
      },
      " RETURNING id, order_id",
      [&](Row& r) {
        auto it = where.find(Int(r, 1));
        if (it != where.end()) ids[it->second] = Int(r, 0);
      }));
  if (std::find(ids.begin(), ids.end(), Id{0}) != ids.end())
    return Internal("a survey insert returned no id");
  return ids;
}

Status SqlSurveys::MarkSent(Id survey, Instant at) {
  return Exec(c_, "UPDATE surveys SET status = 'sent', sent_at = ?2 WHERE id = ?1", {survey, Ms(at)});
}

Status SqlSurveys::MarkFailed(Id survey) {
  return Exec(c_, "UPDATE surveys SET status = 'failed' WHERE id = ?1 AND status = 'scheduled'", {survey});
}

Status SqlSurveys::SaveAnswer(const Survey& s) {
  return Exec(
      c_,
      "UPDATE surveys SET score = ?2, answer_state = ?3, answered_at = ?4, updated_at = ?5, "
      "comment = ?6 WHERE id = ?1",
      {s.id, Score(s), AnswerStateName(s.answer_state), Opt(s.answered_at), Opt(s.updated_at), s.comment});
}

Status SqlSurveys::SaveAnswers(const std::vector<Survey>& ss) {
  // SQLite: SaveAnswer's statement per row (a prepared UPDATE costs it no round trip);
  // PostgreSQL: one UPDATE … FROM unnest(…) per block.
  return d_.UpdateRows(c_, "surveys", "id", {"score", "answer_state", "answered_at", "updated_at", "comment"},
                       {"bigint", "bigint", "text", "bigint", "bigint", "text"}, ss.size(),
                       [&](size_t i, std::vector<Value>& v) {
                         const Survey& s = ss[i];
                         v.insert(v.end(), {s.id, Score(s), AnswerStateName(s.answer_state),
                                            Opt(s.answered_at), Opt(s.updated_at), s.comment});
                       });
}

Status SqlSurveys::InsertClick(const Click& c) {
  return Exec(c_,
              "INSERT INTO clicks (survey_id, at, score, verdict, user_agent) VALUES (?1, ?2, ?3, ?4, ?5)",
              {c.survey_id, Ms(c.at), int64_t{c.score}, Stored(c.verdict), c.user_agent});
}

Status SqlSurveys::InsertClicks(const std::vector<Click>& clicks) {
  return d_.InsertRows(
      c_, "clicks", kClickCols, {"bigint", "bigint", "bigint", "text", "text"}, clicks.size(),
      [&](size_t i, std::vector<Value>& v) {
        const Click& c = clicks[i];
        v.insert(v.end(), {c.survey_id, Ms(c.at), int64_t{c.score}, Stored(c.verdict), c.user_agent});
      },
      "", [](Row&) {});
}

Status SqlSurveys::AddToRollup(Id shop, int64_t day, const std::string& segment, int score, int64_t delta) {
  if (score < 0 || score > 10) return InvalidArgument("score", "must be 0-10");
  const std::string col = fmt::format("s{}", score);
  // nps_daily_total, the same counts over all segments, follows by trigger (migration 0002).
  return Exec(c_,
              fmt::format("INSERT INTO nps_daily (shop_id, day, segment, {0}) VALUES (?1, ?2, ?3, ?4) "
                          "ON CONFLICT (shop_id, day, segment) DO UPDATE SET {0} = nps_daily.{0} + ?4",
                          col),
              {shop, day, segment, delta});
}

}  // namespace vouch::store::sql
