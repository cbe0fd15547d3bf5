#include "main/bench_support.h"

#include <algorithm>
#include <iostream>
#include <vector>

namespace vouch::main {

int PrintAnswerLinks(app::App& app, int64_t shop, int limit, int score, std::ostream& out) {
  // Every survey owes exactly one survey job, so the job list names each survey once.
  // (outbox().List caps its page at 1000 for the API; the harness needs more: ListAll.)
  auto jobs = app.outbox().ListAll(shop, std::nullopt, limit);
  if (!jobs) {
    std::cerr << "vouch: " << jobs.error().message << "\n";
    return 1;
  }
  std::vector<store::Id> surveys;
  for (const auto& job : *jobs) {
    if (job.kind == store::JobKind::kSurvey) surveys.push_back(job.ref_id);
  }
  std::sort(surveys.begin(), surveys.end());
  std::string text;
  for (store::Id id : surveys) {
    text += app.links().AnswerUrl(id, score);
    text += '\n';
  }
  out << text << std::flush;
  return 0;
}

}  // namespace vouch::main
