#pragma once
// The webhooks repository: a shop's outgoing endpoints and the deliveries owed to them (the jobs
// table carries when each is tried). Obtained from a transaction (ReadTx::webhooks(),
// Tx::webhooks()); not thread-safe, valid only inside the function the transaction was handed
// to. Errors: kUnavailable for a database fault.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/webhooks.h"

namespace vouch::store {

class WebhookReads {
 public:
  virtual ~WebhookReads() = default;
  // The shop's endpoints, oldest first, disabled ones too.
  virtual Result<std::vector<WebhookEndpoint>> ListEndpoints(Id shop) = 0;
  virtual Result<std::optional<WebhookEndpoint>> GetEndpoint(Id endpoint) = 0;
  virtual Result<std::optional<WebhookDelivery>> GetDelivery(Id delivery) = 0;
};

class Webhooks : public WebhookReads {
 public:
  virtual Result<Id> InsertEndpoint(const WebhookEndpoint& e) = 0;
  // Deletes the shop's endpoint and the deliveries owed to it; false when there is none.
  virtual Result<bool> DeleteEndpoint(Id shop, Id endpoint) = 0;
  virtual Result<Id> InsertDelivery(const WebhookDelivery& d) = 0;
  // A failed attempt: failing_since set to `at` unless already set; the reason kept.
  virtual Status MarkFailing(Id endpoint, Instant at, const std::string& error) = 0;
  // A delivered attempt: failing_since cleared.
  virtual Status MarkDelivered(Id endpoint) = 0;
  // Disables the endpoint at `at`; false when it already was.
  virtual Result<bool> Disable(Id endpoint, Instant at) = 0;
};

}  // namespace vouch::store
