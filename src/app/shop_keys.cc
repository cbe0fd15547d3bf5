// A shop's API keys (Shops::ListKeys, CreateKey, RevokeKey): several per shop, named, each
// stored as SHA-256 with a short prefix for display (migration 0005's api_keys).
#include "app/shops.h"
#include "base/crypto.h"

namespace vouch::app {

namespace {

constexpr size_t kPrefixChars = 7;  // "vk_" and four characters of the secret

}  // namespace

Result<std::vector<store::ApiKey>> Shops::ListKeys(store::Id shop) {
  auto keys = store_.ReadOne<std::vector<store::ApiKey>>(
      [&](store::ReadTx& tx) { return tx.shops().ListKeys(shop); });
  if (!keys) return keys.error();
  for (auto& k : *keys) k.key_hash.clear();
  return keys;
}

Result<CreatedKey> Shops::CreateKey(store::Id shop, std::string_view name) {
  if (name.empty() || name.size() > 100) return InvalidArgument("name", "must be 1 to 100 characters");
  CreatedKey out;
  out.secret = NewApiKey();
  store::ApiKey& k = out.key;
  k.shop_id = shop;
  k.name = std::string(name);
  k.prefix = out.secret.substr(0, kPrefixChars);
  k.key_hash = Sha256Hex(out.secret);
  k.created_at = clock_.Now();
  auto id = store_.Write<store::Id>([&](store::Tx& tx) -> Result<store::Id> {
    auto keys = tx.shops().ListKeys(shop);
    if (!keys) return keys.error();
    if (static_cast<int64_t>(keys->size()) >= kMaxKeys) {
      return Error{Code::kFailedPrecondition, "the shop has too many API keys: revoke one first", "name"};
    }
    return tx.shops().InsertKey(k);
  });
  if (!id) return id.error();
  k.id = *id;
  k.key_hash.clear();
  return out;
}

Status Shops::RevokeKey(store::Id shop, store::Id key) {
  auto n =
      store_.Write<int64_t>([&](store::Tx& tx) { return tx.shops().RevokeKey(shop, key, clock_.Now()); });
  keys_.Forget(shop);  // after the commit: the next request on this node reads the key again
  if (!n) return n.error();
  if (*n == 0) return NotFound("API key not found");
  return OkStatus();
}

}  // namespace vouch::app
