#pragma once
// The defined-themes repository (issue 16): a shop's own comment themes. Scoped by shop.
// Obtained from a transaction (ReadTx::defined_themes(), Tx::defined_themes()); not thread-safe,
// valid only inside the function the transaction was handed to. Errors: kUnavailable for a
// database fault; kAlreadyExists (field "name") when the shop already has a theme of that name.
#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "store/records/defined_themes.h"

namespace vouch::store {

class DefinedThemeReads {
 public:
  virtual ~DefinedThemeReads() = default;
  // The shop's themes by name.
  virtual Result<std::vector<DefinedTheme>> List(Id shop) = 0;
  virtual Result<std::optional<DefinedTheme>> Find(Id shop, Id theme) = 0;
  virtual Result<int64_t> CountOf(Id shop) = 0;
};

class DefinedThemes : public DefinedThemeReads {
 public:
  virtual Result<Id> Insert(const DefinedTheme& t) = 0;
  // Name, keywords and updated_at of the shop's theme `t.id`; how many rows changed (0 or 1).
  virtual Result<int64_t> Update(const DefinedTheme& t) = 0;
  // How many went (0 or 1).
  virtual Result<int64_t> Delete(Id shop, Id theme) = 0;
};

}  // namespace vouch::store
