#pragma once
// The shops repository: one row per shop, with its program settings and API key hash.
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
  virtual Result<std::optional<Shop>> FindByKeyHash(const std::string& api_key_hash) = 0;
  virtual Result<std::optional<Shop>> Get(Id shop) = 0;
  virtual Result<std::vector<Shop>> List() = 0;
  // Whether a webhook delivery of `source` ("shopify", "woocommerce") with this id was remembered.
  virtual Result<bool> SeenDelivery(Id shop, const std::string& source, const std::string& delivery_id) = 0;
};

class Shops : public ShopReads {
 public:
  // kAlreadyExists when another shop has this key hash.
  virtual Result<Id> Insert(const Shop& shop, const std::string& api_key_hash) = 0;
  virtual Status Update(const Shop& shop) = 0;
  virtual Status SetKeyHash(Id shop, const std::string& api_key_hash) = 0;
  // Remembers a webhook delivery; false when it was remembered already.
  virtual Result<bool> RememberDelivery(Id shop, const std::string& source, const std::string& delivery_id,
                                        Instant at) = 0;
  // Forgets the shop's deliveries received before `before`.
  virtual Status ForgetDeliveries(Id shop, Instant before) = 0;
};

}  // namespace vouch::store
