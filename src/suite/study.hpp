// What `wasmhop report` reads: the results directories of one study (one suite run, or the shards
// of one, run on several machines: shard.hpp), checked and merged into one set of records.
//
// Refused with a one-line error: a directory that is not a suite's; directories whose records are of
// different versions (run.json "records_schema"), or of a version this wasmhop does not read (and so
// any record line of another schema); directories of different plans (not shards of one study); a
// step completed in two directories (overlapping shards, or one run given twice); shards whose
// workloads differ. Only records of completed steps count; gen (which every shard runs) counts once.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/findings.hpp"
#include "run/micro_record.hpp"
#include "run/sim_record.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct Study {
  report::SuiteData data;   // plan, environment, step states, sources (summaries not computed yet)
  std::vector<run::MicroRecord> micro;
  std::vector<run::SimRecord> sim;
};

// `notes` collects what the report should mention (malformed lines, differing machines, ...).
[[nodiscard]] Result<Study> read_study(const std::vector<std::filesystem::path>& dirs, std::vector<std::string>& notes);

}  // namespace wasmhop::suite
