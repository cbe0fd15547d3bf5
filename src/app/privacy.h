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

class Privacy {
 public:
  explicit Privacy(store::Store& store) : store_(store) {}

  Result<CustomerExport> Export(store::Id shop, const std::string& external_id);
  Status Erase(store::Id shop, const std::string& external_id);

 private:
  store::Store& store_;
};

}  // namespace vouch::app
