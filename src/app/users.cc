#include "app/users.h"

#include "core/validate.h"

namespace vouch::app {
namespace {

constexpr size_t kMinPassword = 8, kMaxPassword = 1024;

Error Unauthenticated() { return Error{Code::kUnauthenticated, "unknown email or wrong password", {}}; }

Error UserNotFound() { return NotFound("user not found"); }

Error LastAdmin() {
  return Error{Code::kFailedPrecondition, "the shop would be left without an admin", "role"};
}

// The user of `shop` with this id, or kNotFound.
Result<store::User> Existing(store::ReadTx& tx, store::Id shop, store::Id user) {
  auto u = tx.users().Get(shop, user);
  if (!u) return u.error();
  if (!u->has_value()) return UserNotFound();
  return std::move(**u);
}

// kFailedPrecondition when `user` (an admin) is the shop's only one.
Status NotLastAdmin(store::Tx& tx, const store::User& user) {
  if (user.role != store::Role::kAdmin) return OkStatus();
  auto admins = tx.users().CountAdmins(user.shop_id);
  if (!admins) return admins.error();
  if (*admins <= 1) return LastAdmin();
  return OkStatus();
}

}  // namespace

Result<CreatedUser> Users::Create(store::Id shop, std::string_view email, store::Role role,
                                  std::optional<std::string> password) {
  auto normalized = core::NormalizeEmail(email, "email");
  if (!normalized) return normalized.error();
  if (password && (password->size() < kMinPassword || password->size() > kMaxPassword)) {
    return InvalidArgument("password", "must be 8 to 1024 characters");
  }
  const bool generated = !password;
  const std::string plain = generated ? NewOneTimePassword() : *password;
  auto hash = HashPassword(plain, cost_);  // before the write: the writer never waits for Argon2
  if (!hash) return hash.error();

  store::User user;
  user.shop_id = shop;
  user.email = *normalized;
  user.role = role;
  user.password_hash = *hash;
  user.created_at = clock_.Now();
  user.must_change_password = generated;
  auto id = store_.Write<store::Id>([&](store::Tx& tx) -> Result<store::Id> {
    auto found = tx.shops().Get(shop);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("shop not found");
    auto inserted = tx.users().Insert(user);
    if (!inserted && inserted.error().code == Code::kAlreadyExists) {
      return Error{Code::kAlreadyExists, "the shop already has a user with this email", "email"};
    }
    return inserted;
  });
  if (!id) return id.error();
  user.id = *id;
  user.password_hash.clear();
  CreatedUser out{std::move(user), std::nullopt};
  if (generated) out.password = plain;
  return out;
}

Result<store::User> Users::Verify(store::Id shop, std::string_view email, std::string_view password) {
  auto normalized = core::NormalizeEmail(email, "email");
  std::optional<store::User> user;
  if (normalized) {
    auto found = store_.ReadOne<std::optional<store::User>>(
        [&](store::ReadTx& tx) { return tx.users().Find(shop, *normalized); });
    if (!found) return found.error();
    user = std::move(*found);
  }
  if (!user) {
    (void)VerifyPassword(password, DummyHash());  // the same work as for a known user
    return Unauthenticated();
  }
  if (!VerifyPassword(password, user->password_hash)) return Unauthenticated();
  user->password_hash.clear();
  return std::move(*user);
}

Result<store::User> Users::VerifyAnyShop(std::optional<store::Id> shop, std::string_view email,
                                         std::string_view password) {
  if (shop) return Verify(*shop, email, password);
  auto normalized = core::NormalizeEmail(email, "email");
  std::vector<store::User> candidates;
  if (normalized) {
    auto found = store_.ReadOne<std::vector<store::User>>(
        [&](store::ReadTx& tx) { return tx.users().FindByEmail(*normalized); });
    if (!found) return found.error();
    candidates = std::move(*found);
  }
  if (candidates.empty()) {
    (void)VerifyPassword(password, DummyHash());
    return Unauthenticated();
  }
  if (candidates.size() > kMaxShopsPerEmail) candidates.resize(kMaxShopsPerEmail);
  std::optional<store::User> match;
  for (auto& u : candidates) {
    if (!VerifyPassword(password, u.password_hash)) continue;
    if (match) return InvalidArgument("shop_id", "this email signs in to several shops: give shop_id");
    match = std::move(u);
  }
  if (!match) return Unauthenticated();
  match->password_hash.clear();
  return std::move(*match);
}

Result<std::vector<store::User>> Users::List(store::Id shop) {
  auto users =
      store_.ReadOne<std::vector<store::User>>([&](store::ReadTx& tx) { return tx.users().List(shop); });
  if (!users) return users.error();
  for (auto& u : *users) u.password_hash.clear();
  return users;
}

Result<store::User> Users::SetRole(store::Id shop, store::Id user, store::Role role) {
  auto updated = store_.Write<store::User>([&](store::Tx& tx) -> Result<store::User> {
    auto u = Existing(tx, shop, user);
    if (!u) return u.error();
    if (u->role == role) return u;
    if (role != store::Role::kAdmin) VOUCH_TRY(NotLastAdmin(tx, *u));
    VOUCH_TRY(tx.users().SetRole(user, role));
    u->role = role;
    return u;
  });
  if (!updated) return updated.error();
  updated->password_hash.clear();
  return updated;
}

Status Users::Delete(store::Id shop, store::Id user) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto u = Existing(tx, shop, user);
    if (!u) return u.error();
    VOUCH_TRY(NotLastAdmin(tx, *u));
    auto gone = tx.users().Delete(shop, user);  // their sessions first
    if (!gone) return gone.error();
    return OkStatus();
  });
}

Status Users::ChangePassword(store::Id shop, store::Id user, std::string_view current, std::string_view next,
                             store::Id keep_session) {
  if (next.size() < kMinPassword || next.size() > kMaxPassword) {
    return InvalidArgument("new_password", "must be 8 to 1024 characters");
  }
  auto u = store_.ReadOne<store::User>([&](store::ReadTx& tx) { return Existing(tx, shop, user); });
  if (!u) return u.error();
  if (!VerifyPassword(current, u->password_hash)) return InvalidArgument("current_password", "is wrong");
  auto hash = HashPassword(next, cost_);  // before the write: the writer never waits for Argon2
  if (!hash) return hash.error();
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    VOUCH_TRY(Existing(tx, shop, user));
    VOUCH_TRY(tx.users().SetPasswordHash(user, *hash));
    auto ended = tx.sessions().DeleteForUser(user, keep_session);
    if (!ended) return ended.error();
    return OkStatus();
  });
}

const std::string& Users::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto h = HashPassword(NewOneTimePassword(), cost_);
    dummy_hash_ = h.ok() ? *h : std::string();
  });
  return dummy_hash_;
}

}  // namespace vouch::app
