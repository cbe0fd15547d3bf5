#pragma once
// store::Shops in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/shops.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlShops final : public Shops, SqlRepo {
 public:
  explicit SqlShops(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Shop>> FindByKeyHash(const std::string& key_hash) override;
  Result<std::optional<KeyedShop>> FindByKey(const std::string& key_hash) override;
  Result<std::vector<ApiKey>> ListKeys(Id shop) override;
  Result<std::optional<Shop>> Get(Id shop) override;
  Result<std::vector<Shop>> List() override;
  Result<Id> Insert(const Shop& s, const std::string& key_hash) override;
  Status Update(const Shop& s) override;
  Status ReplaceKeys(Id shop, const std::string& key_hash, const std::string& name, Instant at) override;
  Result<Id> InsertKey(const ApiKey& key) override;
  Result<int64_t> RevokeKey(Id shop, Id key, Instant at) override;
  Status TouchKey(Id key, Instant at) override;

  Result<bool> SeenDelivery(Id shop, const std::string& source, const std::string& delivery_id) override;
  Result<bool> RememberDelivery(Id shop, const std::string& source, const std::string& delivery_id,
                                Instant at) override;
  Status ForgetDeliveries(Id shop, Instant before) override;

 private:
  Result<Id> InsertShop(const Shop& s, const std::string& key_hash);
};

}  // namespace vouch::store::sql
