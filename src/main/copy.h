#pragma once
// `vouch copy`: moves an installation from the embedded SQLite store to PostgreSQL.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "core/nps.h"

namespace vouch::main {

struct CopyReport {
  int schema_version = 0;
  std::vector<std::pair<std::string, int64_t>> rows;       // table → rows copied, in copy order
  std::vector<std::pair<int64_t, core::ScoreCounts>> nps;  // shop → answers by score, both sides
};

// Copies every table of `from` ("sqlite:path") into `to` (a PostgreSQL URL) in dependency order,
// keeping ids, inside one transaction on the target; then moves the target's id sequences past the
// copied ids. Both are migrated to this binary's schema first. Before committing, verifies that
// every table has as many rows as in the source and that each shop's NPS rollup (answers per
// score) is identical; on any mismatch nothing is committed.
// kInvalidArgument for unsupported URLs; kFailedPrecondition when the target already holds data;
// kInternal when verification fails.
Result<CopyReport> CopyStore(const std::string& from, const std::string& to);

}  // namespace vouch::main
