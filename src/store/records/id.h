#pragma once
// The store's row id, shared by every aggregate's records.
#include <cstdint>

namespace vouch::store {

using Id = int64_t;

}  // namespace vouch::store
