#include "app/unsubscribes.h"

#include <algorithm>
#include <unordered_set>

#include "base/crypto.h"
#include "core/identity.h"

namespace vouch::app {
namespace {

constexpr const char* kKeyName = "identity_key";

}  // namespace

Status Unsubscribes::EnsureKeyInTx(store::Tx& tx) {
  return tx.meta().PutIfAbsent(kKeyName, Base64Url(RandomBytes(32)));
}

Result<std::optional<std::string>> Unsubscribes::KeyInTx(store::ReadTx& tx) {
  {
    std::lock_guard lock(mu_);
    if (key_) return key_;
  }
  auto v = tx.meta().Get(kKeyName);
  if (!v) return v.error();
  if (!v->has_value()) return std::optional<std::string>{};
  std::lock_guard lock(mu_);
  key_ = **v;
  return key_;
}

std::vector<std::string> Unsubscribes::IdentitiesOf(const std::string& key, const store::Customer& c) {
  std::vector<std::string> out;
  if (std::string e = core::CanonicalEmail(c.email); !e.empty()) {
    out.push_back("e:" + Base64Url(HmacSha256(key, "email\n" + e)));
  }
  if (std::string p = core::CanonicalPhone(c.phone); !p.empty()) {
    out.push_back("p:" + Base64Url(HmacSha256(key, "phone\n" + p)));
  }
  return out;
}

Status Unsubscribes::RecordInTx(store::Tx& tx, const store::Customer& c, Instant at) {
  auto key = KeyInTx(tx);
  if (!key) return key.error();
  if (!key->has_value()) {
    VOUCH_TRY(EnsureKeyInTx(tx));
    key = KeyInTx(tx);
    if (!key) return key.error();
    if (!key->has_value()) return Internal("identity key missing after insert");
  }
  return tx.customers().AddUnsubscribes(c.shop_id, IdentitiesOf(**key, c), at);
}

Result<bool> Unsubscribes::HeldInTx(store::ReadTx& tx, const store::Customer& c) {
  auto held = HeldManyInTx(tx, c.shop_id, {&c});
  if (!held) return held.error();
  return static_cast<bool>(held->front());
}

Result<std::vector<bool>> Unsubscribes::HeldManyInTx(store::ReadTx& tx, store::Id shop,
                                                     const std::vector<const store::Customer*>& cs) {
  std::vector<bool> out(cs.size(), false);
  if (cs.empty()) return out;
  auto key = KeyInTx(tx);
  if (!key) return key.error();
  if (!key->has_value()) return out;  // no key: nothing was ever recorded
  std::vector<std::vector<std::string>> ids(cs.size());
  std::vector<std::string> all;
  for (size_t i = 0; i < cs.size(); ++i) {
    ids[i] = IdentitiesOf(**key, *cs[i]);
    all.insert(all.end(), ids[i].begin(), ids[i].end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  auto found = tx.customers().FindUnsubscribed(shop, all);
  if (!found) return found.error();
  if (found->empty()) return out;
  const std::unordered_set<std::string> held(found->begin(), found->end());
  for (size_t i = 0; i < cs.size(); ++i) {
    out[i] =
        std::any_of(ids[i].begin(), ids[i].end(), [&](const std::string& id) { return held.contains(id); });
  }
  return out;
}

}  // namespace vouch::app
