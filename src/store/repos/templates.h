#pragma once
// The templates repository: message templates a shop has overridden, keyed "<locale>/<name>".
// Obtained from a transaction (ReadTx::templates(), Tx::templates()); not thread-safe, valid only
// inside the function the transaction was handed to. Errors: kUnavailable for a database fault.
#include <map>
#include <string>

#include "base/result.h"
#include "store/records/id.h"

namespace vouch::store {

class TemplateReads {
 public:
  virtual ~TemplateReads() = default;
  virtual Result<std::map<std::string, std::string>> Overrides(Id shop) = 0;
};

class Templates : public TemplateReads {
 public:
  virtual Status Put(Id shop, const std::string& key, const std::string& body) = 0;
  virtual Status Delete(Id shop, const std::string& key) = 0;
};

}  // namespace vouch::store
