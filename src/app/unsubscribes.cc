#include "app/unsubscribes.h"

#include <algorithm>
#include <exception>
#include <unordered_set>

#include "base/crypto.h"
#include "core/identity.h"

namespace vouch::app {
namespace {

constexpr const char* kKeyName = "identity_key";
constexpr const char* kBackfillName = "unsubscribes_backfill";
constexpr const char* kBackfillDone = "done";

}  // namespace

Status Unsubscribes::EnsureKeyInTx(store::Tx& tx) {
  return tx.meta().PutIfAbsent(kKeyName, Base64Url(RandomBytes(32)));
}

Status Unsubscribes::BackfillFromCustomers(store::Store& store, int chunk) {
  for (;;) {
    auto finished = store.Write<bool>([&](store::Tx& tx) -> Result<bool> {
      auto mark = tx.meta().Get(kBackfillName);
      if (!mark) return mark.error();
      store::Id after = 0;
      if (mark->has_value()) {
        if (**mark == kBackfillDone) return true;
        try {
          after = std::stoll(**mark);
        } catch (const std::exception&) {
          return Internal("meta unsubscribes_backfill holds '" + **mark + "'");
        }
      }
      VOUCH_TRY(EnsureKeyInTx(tx));
      auto key = tx.meta().Get(kKeyName);
      if (!key) return key.error();
      if (!key->has_value()) return Internal("identity key missing after insert");
      auto customers = tx.customers().ListUnsubscribed(after, chunk);
      if (!customers) return customers.error();
      for (const store::Customer& c : *customers) {
        VOUCH_TRY(tx.customers().AddUnsubscribes(c.shop_id, IdentitiesOf(**key, c), *c.unsubscribed_at));
      }
      const bool last = static_cast<int>(customers->size()) < chunk;
      VOUCH_TRY(tx.meta().Put(kBackfillName, last ? kBackfillDone : std::to_string(customers->back().id)));
      return last;
    });
    if (!finished) return finished.error();
    if (*finished) return OkStatus();
  }
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

Result<std::string> Unsubscribes::KeyForWriteInTx(store::Tx& tx) {
  auto key = KeyInTx(tx);
  if (!key) return key.error();
  if (*key) return **key;
  VOUCH_TRY(EnsureKeyInTx(tx));
  key = KeyInTx(tx);
  if (!key) return key.error();
  if (!*key) return Internal("identity key missing after insert");
  return **key;
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
