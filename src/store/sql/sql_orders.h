#pragma once
// store::Orders in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/orders.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlOrders final : public Orders, SqlRepo {
 public:
  explicit SqlOrders(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Order>> Find(Id shop, const std::string& external_id) override;
  Result<std::vector<Order>> ListByCustomer(Id customer) override;
  Result<std::optional<Order>> Get(Id order) override;
  Result<int64_t> CountBefore(Id customer, Instant t, Id excluding) override;
  Result<int64_t> CountByContactBefore(Id shop, const std::string& email, const std::string& phone, Instant t,
                                       Id excluding) override;
  Result<std::vector<Order>> FindMany(Id shop, const std::vector<std::string>& keys) override;
  Result<Id> Insert(const Order& o) override;
  Status SetOutcome(Id order, std::optional<Id> survey, const std::string& skip,
                    std::optional<Id> referral) override;
  Result<std::vector<std::optional<Id>>> InsertMany(const std::vector<Order>& os) override;
  Result<std::optional<OrderRefund>> FindRefund(Id order, const std::string& refund_id) override;
  Result<std::vector<OrderRefund>> ListRefunds(Id order) override;
  Result<bool> AddRefund(const OrderRefund& r) override;
  Result<bool> Cancel(Id order, Instant at) override;
};

}  // namespace vouch::store::sql
