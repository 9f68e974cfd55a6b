// The micro-benchmark's configurations: the paper's Table 1 (tests 1-12) with its names, the
// native baseline (0) and wasmhop's additions (13+). Each runs `calls` calls of one multiplication
// through one data-passing ABI and checks every result.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "wasmhop/engine.hpp"

namespace wasmhop::micro {

struct LoopResult {
  std::int64_t checksum = 0;  // sum of all results: the work cannot be optimized away
};

// One timed loop over a fresh instance of micro.wasm (nullptr for the native baseline).
using LoopFn = Result<LoopResult> (*)(Instance* instance, std::int64_t calls);

struct Config {
  int index;                     // Table 1 test number; 0 = native baseline; >= 13 = not in the paper
  std::string_view name;         // e.g. "pair-cached-preload-srs"
  std::string_view paper_name;   // the paper's wording, e.g. "Pair, cached, preload, SRS" ("" beyond the paper)
  std::string_view abi;          // the ABI's family (abi::AbiInfo::family): pair | bincode | pod | native | flatbuffers
  bool cached;                   // exports resolved once (true) or looked up by name on every call
  std::string_view loading;      // preload | hotload | "" (Pair only)
  int srs;                       // 1 = handles live in a module object used through an interface; 0 = locals; -1 = n/a
  std::string_view memory;       // static | dynamic | "" (memory-passing ABIs)
  std::string_view description;  // what it does in C++ terms (for --help and the report)
  LoopFn loop;
  // The runner times loops under a TrapScope (one arming of the host's trap guard for the whole
  // loop, on engines that have one); true: without, every call arming its own guard.
  bool per_call_guard = false;
};

// Every configuration, in Table 1 order, then one cached row for each further ABI of the registry
// (src/abi/registry.hpp) that carries a Pair per call.
[[nodiscard]] std::span<const Config> table1_configs();

}  // namespace wasmhop::micro
