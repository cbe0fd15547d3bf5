#pragma once
// The campaigns repository: a shop's paid campaigns with their discount codes, and the read the
// channel comparison needs (each new customer of a range with what brought them). Scoped by
// shop. Obtained from a transaction (ReadTx::campaigns(), Tx::campaigns()); not thread-safe,
// valid only inside the function the transaction was handed to. Errors: kUnavailable for a
// database fault.
#include <functional>
#include <optional>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/records/audiences.h"
#include "store/records/campaigns.h"

namespace vouch::store {

class CampaignReads {
 public:
  virtual ~CampaignReads() = default;
  // The shop's campaigns, oldest first, each with its codes.
  virtual Result<std::vector<Campaign>> List(Id shop) = 0;
  virtual Result<std::optional<Campaign>> Find(Id shop, Id campaign) = 0;
  // Every customer whose first order (cancelled ones ignored) was placed in [from, to), one
  // call each, in no particular order. With `cut`, each row says whether the first order is in
  // the audience (`in_audience`).
  virtual Status EachNewCustomer(Id shop, Instant from, Instant to, const std::optional<AudienceCut>& cut,
                                 const std::function<void(const NewCustomerRow&)>& row) = 0;
  // Every customer a promoter's code brought before `to` (the referral on their first order), one
  // call each, oldest first.
  virtual Status EachReferralEdge(Id shop, Instant to,
                                  const std::function<void(const ReferralEdge&)>& edge) = 0;
  // Every promoter activated (referral code created) before `to`, oldest first.
  virtual Status EachActivation(Id shop, Instant to,
                                const std::function<void(const PromoterActivation&)>& fn) = 0;
};

class Campaigns : public CampaignReads {
 public:
  // Inserts the campaign and its codes (upper-cased by the caller). kAlreadyExists naming the
  // code when one of them already belongs to another campaign of the shop (nothing is written:
  // the caller's transaction is rolled back).
  virtual Result<Id> Insert(const Campaign& c) = 0;
  // Deletes the shop's campaign and its codes; how many campaigns went (0 or 1).
  virtual Result<int64_t> Delete(Id shop, Id campaign) = 0;
};

}  // namespace vouch::store
