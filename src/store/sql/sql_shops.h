#pragma once
// store::Shops in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/shops.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlShops final : public Shops, SqlRepo {
 public:
  explicit SqlShops(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Shop>> FindByKeyHash(const std::string& key_hash) override;
  Result<std::optional<Shop>> Get(Id shop) override;
  Result<std::vector<Shop>> List() override;
  Result<Id> Insert(const Shop& s, const std::string& key_hash) override;
  Status Update(const Shop& s) override;
  Status SetKeyHash(Id shop, const std::string& key_hash) override;
  Result<bool> SeenDelivery(Id shop, const std::string& source, const std::string& delivery_id) override;
  Result<bool> RememberDelivery(Id shop, const std::string& source, const std::string& delivery_id,
                                Instant at) override;
  Status ForgetDeliveries(Id shop, Instant before) override;
};

}  // namespace vouch::store::sql
