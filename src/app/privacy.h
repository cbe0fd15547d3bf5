#pragma once
// Privacy: everything held about a customer (export) and its erasure. Thread-safe; both block on
// the store. Errors: kNotFound for a customer the shop does not know, store errors.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace vouch::app {

struct CustomerExport {
  store::Customer customer;
  std::vector<store::Order> orders;
  std::vector<store::Survey> surveys;
  std::optional<store::ReferralCode> code;
};

// A person as a shop's store software names it in a privacy request: its customer id, email and
// phone as given (any may be empty).
struct PrivacySubject {
  std::string external_id, email, phone;
};

class Privacy {
 public:
  explicit Privacy(store::Store& store) : store_(store) {}

  Result<CustomerExport> Export(store::Id shop, const std::string& external_id);
  Status Erase(store::Id shop, const std::string& external_id);
  // The customers the person may be held as: by its id, by its email or phone (the key of orders
  // that came without a customer id), and by its email's mailbox (the customers whose canonical
  // email is the email's, under any customer id; a row without one by its raw email). Each once;
  // empty when none is known.
  Result<std::vector<CustomerExport>> ExportSubject(store::Id shop, const PrivacySubject& who);
  // Erases each of them (in one transaction); the count erased.
  Result<int64_t> EraseSubject(store::Id shop, const PrivacySubject& who);
  // Erases every customer of the shop (its data deleted after it left); the count erased.
  Result<int64_t> EraseAll(store::Id shop);

 private:
  store::Store& store_;
};

}  // namespace vouch::app
