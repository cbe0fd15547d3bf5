#pragma once
// The sessions repository: dashboard sign-ins (app/sessions.h), found by the SHA-256 of their
// cookie token. Obtained from a transaction (ReadTx::sessions(), Tx::sessions()); not
// thread-safe, valid only inside the function the transaction was handed to. Errors:
// kUnavailable for a database fault.
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "store/records/users.h"

namespace vouch::store {

class SessionReads {
 public:
  virtual ~SessionReads() = default;
  // The session with this token hash, with its user's email and role.
  virtual Result<std::optional<Session>> Find(const std::string& token_hash) = 0;
};

class Sessions : public SessionReads {
 public:
  // The new session's id (session.id, email and role are ignored).
  virtual Result<Id> Insert(const Session& session) = 0;
  virtual Status Touch(Id session, Instant last_seen) = 0;
  // How many rows went: 0 or 1.
  virtual Result<int64_t> Delete(Id session) = 0;
  // Every session of the user but `except` (0: none kept); how many went.
  virtual Result<int64_t> DeleteForUser(Id user, Id except) = 0;
  // The user's sessions that ended: past expires_at, or last seen at or before `idle_since`.
  virtual Result<int64_t> DeleteEnded(Id user, Instant now, Instant idle_since) = 0;
};

}  // namespace vouch::store
