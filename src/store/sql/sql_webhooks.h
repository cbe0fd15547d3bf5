#pragma once
// store::Webhooks in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/webhooks.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlWebhooks final : public Webhooks, SqlRepo {
 public:
  explicit SqlWebhooks(Connection& c) : SqlRepo(c) {}
  Result<std::vector<WebhookEndpoint>> ListEndpoints(Id shop) override;
  Result<std::optional<WebhookEndpoint>> GetEndpoint(Id endpoint) override;
  Result<std::optional<WebhookDelivery>> GetDelivery(Id delivery) override;
  Result<Id> InsertEndpoint(const WebhookEndpoint& e) override;
  Result<bool> DeleteEndpoint(Id shop, Id endpoint) override;
  Result<Id> InsertDelivery(const WebhookDelivery& d) override;
  Status MarkFailing(Id endpoint, Instant at, const std::string& error) override;
  Status MarkDelivered(Id endpoint) override;
  Result<bool> Disable(Id endpoint, Instant at) override;
};

}  // namespace vouch::store::sql
