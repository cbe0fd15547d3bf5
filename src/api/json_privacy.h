#pragma once
// A customer's personal data export in JSON. Pure, thread-safe.
#include <string>

#include "app/privacy.h"

namespace vouch::api {

std::string ToJson(const app::CustomerExport& e);

}  // namespace vouch::api
