#pragma once
// Sessions: dashboard sign-in (issue 15). Signing in checks a user's password (app/users.h) and
// makes a server-side session: the browser's cookie holds a 256-bit random token (43 base64url
// characters), the store only its SHA-256, so sessions can be revoked (sign-out, a user deleted,
// RevokeAll) and a copy of the database signs no one in. Each session has a CSRF token the
// dashboard sends back in X-CSRF-Token (checked in api/params.h). A session ends after
// `idle` without use or `lifetime` after sign-in, whichever comes first; use is recorded at most
// once per `touch_every`, so a busy dashboard does not write on every request.
//
// Thread-safe. Every method blocks on the store; SignIn also hashes (Argon2id, ~0.35 s with the
// default cost): call them off I/O threads.
#include <optional>
#include <string>
#include <string_view>

#include "app/sign_in_throttle.h"
#include "app/users.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct SessionPolicy {
  Millis idle{12 * 3600 * 1000LL};           // ends after this long without a request
  Millis lifetime{30LL * 24 * 3600 * 1000};  // ends this long after sign-in regardless
  Millis touch_every{60 * 1000};             // last_seen is written at most this often
};

// A live session as a request sees it.
struct SessionInfo {
  store::Id session_id = 0;
  store::User user;  // without the password hash
  store::Shop shop;
  std::string csrf_token;
  Instant expires_at{};  // the absolute end (the idle end moves with use)
};

struct NewSession {
  SessionInfo info;
  std::string token;  // the cookie's value: shown to this browser only, stored hashed
};

struct SignInInput {
  std::string email, password;
  std::optional<store::Id> shop;  // needed only when the email is a user of several shops
  std::string client;             // the client's address, for throttling
};

class Sessions {
 public:
  Sessions(store::Store& store, const Clock& clock, Users& users, SessionPolicy policy = {})
      : store_(store), clock_(clock), users_(users), policy_(policy), throttle_(clock) {}

  // A new session for the user whose email and password these are. Errors: kUnauthenticated
  // (the same for an unknown email and a wrong password); kResourceExhausted while sign-in is
  // slowed or locked for this email or client after failures (RetryAfter says how long);
  // kInvalidArgument "shop_id" when the password is right for the email in several shops and
  // no shop was given; store errors.
  Result<NewSession> SignIn(const SignInInput& in);
  // How long a throttled SignIn(in) must wait; zero when it may try now.
  Millis RetryAfter(const SignInInput& in) { return throttle_.RetryAfter(in.email, in.client); }

  // The live session of a cookie token, recording its use (at most once per touch_every).
  // kUnauthenticated for an unknown, ended or malformed token.
  Result<SessionInfo> Resume(std::string_view token);
  // Ends the session of this token (nothing to do for an unknown one).
  Status SignOut(std::string_view token);
  // Ends every session of the user; how many there were.
  Result<int64_t> RevokeAll(store::Id user);

  const SessionPolicy& policy() const { return policy_; }

 private:
  Result<store::User> Verify(const SignInInput& in);

  store::Store& store_;
  const Clock& clock_;
  Users& users_;
  const SessionPolicy policy_;
  SignInThrottle throttle_;
};

}  // namespace vouch::app
