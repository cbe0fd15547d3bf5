#pragma once
// The shops repository: one row per shop, with its program settings, and the shop's API keys
// (table api_keys; only their SHA-256 hashes).
// Obtained from a transaction (ReadTx::shops(), Tx::shops()); not thread-safe, valid only inside
// the function the transaction was handed to. Errors: kUnavailable for a database fault.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/records/shops.h"

namespace vouch::store {

class ShopReads {
 public:
  virtual ~ShopReads() = default;
  // The shop whose unrevoked key has this hash.
  virtual Result<std::optional<Shop>> FindByKeyHash(const std::string& api_key_hash) = 0;
  // The same with the key's id.
  virtual Result<std::optional<KeyedShop>> FindByKey(const std::string& api_key_hash) = 0;
  // The shop's unrevoked keys, oldest first.
  virtual Result<std::vector<ApiKey>> ListKeys(Id shop) = 0;
  virtual Result<std::optional<Shop>> Get(Id shop) = 0;
  virtual Result<std::vector<Shop>> List() = 0;
  // Whether a webhook delivery of `source` ("shopify", "woocommerce") with this id was remembered.
  virtual Result<bool> SeenDelivery(Id shop, const std::string& source, const std::string& delivery_id) = 0;
};

class Shops : public ShopReads {
 public:
  // The shop and its first key ("First key", created with the shop). kAlreadyExists when another
  // shop has this key hash.
  virtual Result<Id> Insert(const Shop& shop, const std::string& api_key_hash) = 0;
  virtual Status Update(const Shop& shop) = 0;
  // Revokes every unrevoked key of the shop at `at` and adds this one (`name`).
  virtual Status ReplaceKeys(Id shop, const std::string& api_key_hash, const std::string& name,
                             Instant at) = 0;
  // The new key's id (key.id, last_used_at and revoked_at are ignored).
  virtual Result<Id> InsertKey(const ApiKey& key) = 0;
  // Revokes the shop's key `key` at `at`; how many rows changed (0: unknown or revoked already).
  virtual Result<int64_t> RevokeKey(Id shop, Id key, Instant at) = 0;
  // Records that the key was used at `at` (never moves last_used_at back).
  virtual Status TouchKey(Id key, Instant at) = 0;
  // Remembers a webhook delivery; false when it was remembered already.
  virtual Result<bool> RememberDelivery(Id shop, const std::string& source, const std::string& delivery_id,
                                        Instant at) = 0;
  // Forgets the shop's deliveries received before `before`.
  virtual Status ForgetDeliveries(Id shop, Instant before) = 0;
};

}  // namespace vouch::store
