#pragma once
// The shops repository: one row per shop, with its program settings and API key hash.
// Obtained from a transaction (ReadTx::shops(), Tx::shops()); not thread-safe, valid only inside
// the function the transaction was handed to. Errors: kUnavailable for a database fault.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/shops.h"

namespace vouch::store {

class ShopReads {
 public:
  virtual ~ShopReads() = default;
  virtual Result<std::optional<Shop>> FindByKeyHash(const std::string& api_key_hash) = 0;
  virtual Result<std::optional<Shop>> Get(Id shop) = 0;
  virtual Result<std::vector<Shop>> List() = 0;
};

class Shops : public ShopReads {
 public:
  // kAlreadyExists when another shop has this key hash.
  virtual Result<Id> Insert(const Shop& shop, const std::string& api_key_hash) = 0;
  virtual Status Update(const Shop& shop) = 0;
  virtual Status SetKeyHash(Id shop, const std::string& api_key_hash) = 0;
};

}  // namespace vouch::store
