// Runs micro-benchmark experiments for ONE engine in this process and emits one typed record per
// replication (run/micro_record.hpp), as it is measured. Statistics and plots are computed from the
// records afterwards, never here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "run/micro_record.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::micro {

struct MicroOptions {
  std::string engine;                 // one engine id (a V8 tier is process-global)
  int reps = 100;                     // replications per configuration
  std::int64_t calls = 100'000;       // calls per replication (timed loop)
  std::vector<std::string> configs;   // Table 1 configuration names; empty = all
  std::filesystem::path guest_dir;    // where micro.wasm / micro.native.so live
  std::uint64_t seed = 1;             // shuffles the configuration order within a replication
  std::string run_id;
  std::string step;                   // the step of the run (records' "step")
  bool table1 = true;
  bool batch = true;
  bool payload = true;
  bool hostcall = true;  // the guest-to-host hop (engines with host functions)
  bool canonical = true;  // the component model's canonical ABI (engines with components; canonical.hpp)
  std::function<void(const std::string&)> note;  // why a part was skipped on this engine (may be empty)
  std::int64_t payload_bytes_budget = 64ll << 20;  // at most this many bytes per payload point
  double sweep_target_s = 0.02;  // each sweep point's timed loop runs about this long (at most
                                 // `calls` records / payload budget): slow engines stay affordable
};

using RecordSink = std::function<Status(const run::MicroRecord&)>;
using ProgressFn = std::function<void(const std::string& what, std::size_t done, std::size_t total)>;

[[nodiscard]] Status run_micro(const MicroOptions& options, const RecordSink& sink, const ProgressFn& progress);

}  // namespace wasmhop::micro
