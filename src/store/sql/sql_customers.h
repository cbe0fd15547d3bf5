#pragma once
// store::Customers in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/customers.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlCustomers final : public Customers, SqlRepo {
 public:
  explicit SqlCustomers(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Customer>> Find(Id shop, const std::string& external_id) override;
  Result<std::optional<Customer>> Get(Id customer) override;
  Result<std::vector<Customer>> GetMany(const std::vector<Id>& ids) override;
  Result<std::vector<Customer>> FindMany(Id shop, const std::vector<std::string>& keys) override;
  Result<std::vector<Customer>> FindByEmail(Id shop, const std::string& email) override;
  Result<Id> Insert(const Customer& c) override;
  Status Update(const Customer& c) override;
  Status Erase(Id customer) override;
  Result<int64_t> EraseAll(Id shop) override;
  Result<std::vector<std::optional<Id>>> InsertMany(const std::vector<Customer>& cs) override;
  Result<std::vector<std::string>> FindUnsubscribed(Id shop,
                                                    const std::vector<std::string>& identities) override;
  Result<std::vector<Customer>> ListUnsubscribed(Id after, int limit) override;
  Status AddUnsubscribes(Id shop, const std::vector<std::string>& identities, Instant at) override;
};

}  // namespace vouch::store::sql
