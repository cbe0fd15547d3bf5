#pragma once
// The customers repository: a shop's customers by their external id. Obtained from a transaction
// (ReadTx::customers(), Tx::customers()); not thread-safe, valid only inside the function the
// transaction was handed to. Errors: kUnavailable for a database fault, kAlreadyExists where noted.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/customers.h"

namespace vouch::store {

class CustomerReads {
 public:
  virtual ~CustomerReads() = default;
  virtual Result<std::optional<Customer>> Find(Id shop, const std::string& external_id) = 0;
  virtual Result<std::optional<Customer>> Get(Id customer) = 0;
  // Set forms (one statement on PostgreSQL, chunks of up to 256 rows on SQLite).
  // The customers of `ids` that exist, in no particular order (answer clicks).
  virtual Result<std::vector<Customer>> GetMany(const std::vector<Id>& ids) = 0;
  // The shop's customers with these external ids, in no particular order (ingest).
  virtual Result<std::vector<Customer>> FindMany(Id shop, const std::vector<std::string>& external_ids) = 0;
  // Unsubscribes per shop and person (app/unsubscribes.h): which of `identities` (keyed hashes
  // of canonical emails and phones) the shop holds an unsubscribe for.
  virtual Result<std::vector<std::string>> FindUnsubscribed(Id shop,
                                                            const std::vector<std::string>& identities) = 0;
  // Up to `limit` customers of every shop with an unsubscribed_at, by id, from ids above `after`
  // (the unsubscribes' backfill, app/unsubscribes.h).
  virtual Result<std::vector<Customer>> ListUnsubscribed(Id after, int limit) = 0;
  // The shop's customers whose mailbox is `email`'s (a normalised, lower-cased address): the same
  // canonical email (core::CanonicalEmail: "a.nna+x@googlemail.com" finds "anna@gmail.com"), or,
  // for a row without one (written before migration 0022), the same raw email. Oldest first;
  // erased customers (no email) are never found. Privacy requests (app/privacy.h).
  virtual Result<std::vector<Customer>> FindByEmail(Id shop, const std::string& email) = 0;
};

class Customers : public CustomerReads {
 public:
  virtual Result<Id> Insert(const Customer& c) = 0;  // kAlreadyExists when (shop, external id) is taken
  virtual Status Update(const Customer& c) = 0;
  // Erases a customer's personal data (name, email, phone) but keeps the anonymous facts.
  virtual Status Erase(Id customer) = 0;
  // Erase for every customer of the shop (a shop's data deleted after it left); the count erased.
  virtual Result<int64_t> EraseAll(Id shop) = 0;
  // Inserts each row unless its (shop, external id) is taken; the new ids in input order,
  // nullopt where the key was taken (by a row another writer inserted meanwhile). The (shop,
  // external id) pairs must be distinct within one call.
  virtual Result<std::vector<std::optional<Id>>> InsertMany(const std::vector<Customer>& cs) = 0;
  // Remembers that the shop's person with these identities unsubscribed (a no-op for known ones).
  virtual Status AddUnsubscribes(Id shop, const std::vector<std::string>& identities, Instant at) = 0;
};

}  // namespace vouch::store
