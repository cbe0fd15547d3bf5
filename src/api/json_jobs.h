#pragma once
// The job queue in JSON, as app::Outbox lists it: jobs with their state and the queue's counts.
// Pure, thread-safe.
#include <string>
#include <vector>

#include "app/outbox.h"

namespace vouch::api {

std::string ToJson(const std::vector<store::Job>& jobs, const store::JobCounts& counts);

}  // namespace vouch::api
