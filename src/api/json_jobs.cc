#include "api/json_jobs.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

std::string ToJson(const std::vector<store::Job>& jobs, const store::JobCounts& c) {
  json arr = json::array();
  for (const auto& job : jobs) {
    json e{{"id", job.id},
           {"kind", store::JobKindName(job.kind)},
           {"ref_id", job.ref_id},
           {"status", store::JobStatusName(job.status)},
           {"channel", core::ChannelName(job.channel)},
           {"delivery", job.delivery},
           {"delivery_detail", job.delivery_detail},
           {"attempts", job.attempts},
           {"run_at", Iso(job.run_at)},
           {"last_error", job.last_error},
           {"created_at", Iso(job.created_at)}};
    e["finished_at"] = job.finished_at ? json(Iso(*job.finished_at)) : json(nullptr);
    arr.push_back(std::move(e));
  }
  return json{{"counts",
               {{"pending", c.pending},
                {"running", c.running},
                {"done", c.done},
                {"failed", c.failed},
                {"skipped", c.skipped}}},
              {"jobs", arr}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
