#pragma once
// The meta repository: key-value settings of the installation (e.g. the link-signing secret).
// Obtained from a transaction (ReadTx::meta(), Tx::meta()); not thread-safe, valid only inside
// the function the transaction was handed to. Errors: kUnavailable for a database fault.
#include <optional>
#include <string>

#include "base/result.h"

namespace vouch::store {

class MetaReads {
 public:
  virtual ~MetaReads() = default;
  virtual Result<std::optional<std::string>> Get(const std::string& key) = 0;
};

class Meta : public MetaReads {
 public:
  virtual Status PutIfAbsent(const std::string& key, const std::string& value) = 0;
  // Inserts or replaces.
  virtual Status Put(const std::string& key, const std::string& value) = 0;
};

}  // namespace vouch::store
