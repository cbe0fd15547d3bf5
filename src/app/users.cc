#include "app/users.h"

#include "core/validate.h"

namespace vouch::app {
namespace {

constexpr size_t kMinPassword = 8, kMaxPassword = 1024;

Error Unauthenticated() { return Error{Code::kUnauthenticated, "unknown email or wrong password", {}}; }

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

const std::string& Users::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto h = HashPassword(NewOneTimePassword(), cost_);
    dummy_hash_ = h.ok() ? *h : std::string();
  });
  return dummy_hash_;
}

}  // namespace vouch::app
