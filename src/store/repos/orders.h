#pragma once
// The orders repository: a shop's orders with their line items, and the order counts that tell
// new customers from returning ones. Obtained from a transaction (ReadTx::orders(),
// Tx::orders()); not thread-safe, valid only inside the function the transaction was handed to.
// Errors: kUnavailable for a database fault, kAlreadyExists where noted.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/orders.h"

namespace vouch::store {

class OrderReads {
 public:
  virtual ~OrderReads() = default;
  virtual Result<std::optional<Order>> Find(Id shop, const std::string& external_id) = 0;  // with its items
  virtual Result<std::vector<Order>> ListByCustomer(Id customer) = 0;
  virtual Result<std::optional<Order>> Get(Id order) = 0;  // without its items
  // The customer's orders before `t`, other than `excluding_order`.
  virtual Result<int64_t> CountBefore(Id customer, Instant t, Id excluding_order) = 0;
  // Anyone with this email or phone in the shop who has ordered before `t` (new-customer check):
  // emails compared canonically (core::CanonicalEmail against customers.canonical_email, so
  // "A.nna+x@googlemail.com" finds the orders of "anna@gmail.com"), phones as stored (E.164).
  virtual Result<int64_t> CountByContactBefore(Id shop, const std::string& email, const std::string& phone,
                                               Instant t, Id excluding_order) = 0;
  // Set form for ingest (one statement on PostgreSQL, chunks of up to 256 rows on SQLite): the
  // shop's orders with these external ids, in no particular order, without their items.
  virtual Result<std::vector<Order>> FindMany(Id shop, const std::vector<std::string>& external_ids) = 0;
  virtual Result<std::optional<OrderRefund>> FindRefund(Id order, const std::string& refund_id) = 0;
  virtual Result<std::vector<OrderRefund>> ListRefunds(Id order) = 0;  // oldest first
};

class Orders : public OrderReads {
 public:
  virtual Result<Id> Insert(const Order& o) = 0;  // items too; kAlreadyExists on a duplicate
  virtual Status SetOutcome(Id order, std::optional<Id> survey, const std::string& survey_skip,
                            std::optional<Id> referral) = 0;
  // Inserts each order (with its items, survey_id and survey_skip) unless its (shop, external id)
  // is taken;
  // the new ids in input order, nullopt where the key was taken (by a row another writer inserted
  // meanwhile). The (shop, external id) pairs must be distinct within one call. A survey_id must
  // be one Surveys::TakeIds gave this transaction, its survey inserted by it too.
  virtual Result<std::vector<std::optional<Id>>> InsertMany(const std::vector<Order>& os) = 0;
  // Records a refund and adds it to the order's refunded_minor; false (and nothing written) when
  // the order already has a refund with this id; kInvalidArgument ("amount") when it would take
  // refunded_minor above total_minor (the caller's write must then fail: the refund row is in).
  virtual Result<bool> AddRefund(const OrderRefund& r) = 0;
  // Marks the order cancelled at `at`; false when it already was.
  virtual Result<bool> Cancel(Id order, Instant at) = 0;
};

}  // namespace vouch::store
