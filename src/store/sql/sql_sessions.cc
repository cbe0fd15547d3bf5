#include "store/sql/sql_sessions.h"

namespace vouch::store::sql {
namespace {

Session SessionFrom(const Row& r) {
  Session s;
  s.id = Int(r, 0);
  s.token_hash = Text(r, 1);
  s.user_id = Int(r, 2);
  s.shop_id = Int(r, 3);
  s.csrf_token = Text(r, 4);
  s.created_at = Time(r, 5);
  s.last_seen_at = Time(r, 6);
  s.expires_at = Time(r, 7);
  s.email = Text(r, 8);
  s.role = ParseRole(Text(r, 9)).value_or(Role::kViewer);  // the schema holds only the two names
  s.must_change_password = Int(r, 10) != 0;
  return s;
}

}  // namespace

Result<std::optional<Session>> SqlSessions::Find(const std::string& token_hash) {
  return One<Session>(c_,
                      "SELECT s.id, s.token_hash, s.user_id, s.shop_id, s.csrf_token, s.created_at, "
                      "s.last_seen_at, s.expires_at, u.email, u.role, u.must_change_password "
                      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
                      {token_hash}, SessionFrom);
}

Result<Id> SqlSessions::Insert(const Session& s) {
  return InsertReturningId(c_,
                           "INSERT INTO sessions (token_hash, user_id, shop_id, csrf_token, created_at, "
                           "last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           {s.token_hash, s.user_id, s.shop_id, s.csrf_token, Ms(s.created_at),
                            Ms(s.last_seen_at), Ms(s.expires_at)});
}

Status SqlSessions::Touch(Id session, Instant last_seen) {
  return Exec(c_, "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1 AND last_seen_at < ?2",
              {session, Ms(last_seen)});
}

Result<int64_t> SqlSessions::Delete(Id session) {
  return c_.Exec("DELETE FROM sessions WHERE id = ?1", {session});
}

Result<int64_t> SqlSessions::DeleteForUser(Id user, Id except) {
  return c_.Exec("DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", {user, except});
}

Result<int64_t> SqlSessions::DeleteEnded(Id user, Instant now, Instant idle_since) {
  return c_.Exec("DELETE FROM sessions WHERE user_id = ?1 AND (expires_at <= ?2 OR last_seen_at <= ?3)",
                 {user, Ms(now), Ms(idle_since)});
}

}  // namespace vouch::store::sql
