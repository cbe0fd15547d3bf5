#pragma once
// A shop-defined comment theme (issue 16): a name and its keywords as the shop wrote them.
// Plain record; time as Instant (UTC).
#include <string>
#include <vector>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

struct DefinedTheme {
  Id id = 0;
  Id shop_id = 0;
  std::string name;
  std::vector<std::string> keywords;  // in the order given; none empty or holding a newline
  Instant created_at{};
  Instant updated_at{};
};

}  // namespace vouch::store
