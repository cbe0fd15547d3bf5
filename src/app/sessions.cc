#include "app/sessions.h"

#include "base/crypto.h"

namespace vouch::app {
namespace {

constexpr size_t kTokenChars = 43;  // 32 random bytes in unpadded base64url

Error Unauthenticated() {
  return Error{Code::kUnauthenticated, "not signed in, or the session has ended", {}};
}

}  // namespace

Result<NewSession> Sessions::SignIn(const SignInInput& in) {
  if (throttle_.RetryAfter(in.email, in.client) > Millis{0}) {
    return Error{Code::kResourceExhausted, "too many failed sign-ins: try again later", {}};
  }
  auto user = users_.VerifyAnyShop(in.shop, in.email, in.password);
  if (!user) {
    if (user.error().code == Code::kUnauthenticated) throttle_.Failed(in.email, in.client);
    return user.error();
  }
  throttle_.Succeeded(in.email);

  NewSession out;
  out.token = Base64Url(RandomBytes(32));
  const Instant now = clock_.Now();
  store::Session s;
  s.token_hash = Sha256Hex(out.token);
  s.user_id = user->id;
  s.shop_id = user->shop_id;
  s.csrf_token = Base64Url(RandomBytes(32));
  s.created_at = s.last_seen_at = now;
  s.expires_at = now + policy_.lifetime;
  auto shop = store_.Write<store::Shop>([&](store::Tx& tx) -> Result<store::Shop> {
    auto found = tx.shops().Get(s.shop_id);
    if (!found) return found.error();
    if (!found->has_value()) return Unauthenticated();
    auto ended = tx.sessions().DeleteEnded(s.user_id, now, now - policy_.idle);
    if (!ended) return ended.error();
    auto id = tx.sessions().Insert(s);
    if (!id) return id.error();
    s.id = *id;
    VOUCH_TRY(tx.users().SetLastSignIn(s.user_id, now));
    return std::move(**found);
  });
  if (!shop) return shop.error();
  out.info.session_id = s.id;
  out.info.user = std::move(*user);
  out.info.user.last_sign_in_at = now;
  out.info.shop = std::move(*shop);
  out.info.csrf_token = s.csrf_token;
  out.info.expires_at = s.expires_at;
  return out;
}

Result<SessionInfo> Sessions::Resume(std::string_view token) {
  if (token.size() != kTokenChars) return Unauthenticated();
  const std::string hash = Sha256Hex(token);
  struct Found {
    store::Session session;
    store::Shop shop;
  };
  auto found = store_.Read<std::optional<Found>>([&](store::ReadTx& tx) -> Result<std::optional<Found>> {
    auto s = tx.sessions().Find(hash);
    if (!s) return s.error();
    if (!s->has_value()) return std::optional<Found>{};
    auto shop = tx.shops().Get((*s)->shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return std::optional<Found>{};
    return std::optional<Found>{Found{std::move(**s), std::move(**shop)}};
  });
  if (!found) return found.error();
  if (!found->has_value()) return Unauthenticated();
  const store::Session& s = (*found)->session;
  const Instant now = clock_.Now();
  if (now >= s.expires_at || now - s.last_seen_at >= policy_.idle) return Unauthenticated();
  if (now - s.last_seen_at >= policy_.touch_every) {
    // A failed touch does not end a live session: the next request tries again.
    (void)store_.Write<Ok>([&](store::Tx& tx) { return tx.sessions().Touch(s.id, now); });
  }
  SessionInfo info;
  info.session_id = s.id;
  info.user.id = s.user_id;
  info.user.shop_id = s.shop_id;
  info.user.email = s.email;
  info.user.role = s.role;
  info.user.must_change_password = s.must_change_password;
  info.shop = std::move((*found)->shop);
  info.csrf_token = s.csrf_token;
  info.expires_at = s.expires_at;
  return info;
}

Status Sessions::SignOut(std::string_view token) {
  if (token.size() != kTokenChars) return OkStatus();
  const std::string hash = Sha256Hex(token);
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto s = tx.sessions().Find(hash);
    if (!s) return s.error();
    if (s->has_value()) VOUCH_TRY(tx.sessions().Delete((*s)->id));
    return OkStatus();
  });
}

Result<int64_t> Sessions::RevokeAll(store::Id user) {
  return store_.Write<int64_t>([&](store::Tx& tx) { return tx.sessions().DeleteForUser(user, 0); });
}

}  // namespace vouch::app
