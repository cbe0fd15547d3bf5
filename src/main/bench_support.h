#pragma once
// Helpers for the load harness (bench/run): facts it needs that the HTTP API does not expose.
#include <cstdint>
#include <ostream>

#include "app/app.h"

namespace vouch::main {

// Writes the answer URL (`<public_url>/s/<token>/<score>`) of up to `limit` of the shop's
// surveys, oldest first, one per line. Returns the process exit code.
int PrintAnswerLinks(app::App& app, int64_t shop, int limit, int score, std::ostream& out);

}  // namespace vouch::main
