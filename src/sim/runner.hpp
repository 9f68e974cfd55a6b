// The seam between the simulator driver and whatever executes a policy.
//
// The driver knows only RunnerFactory and PolicyRunner. The native implementation
// (native_runner.hpp) calls the policy object directly; a scripted implementation (an engine x ABI
// x cached/uncached combination) is another RunnerFactory in its own file: its create() loads the
// policy's module (e.g. guests/<policy>.wasm), instantiates it and passes the RunSpec's config to the
// guest; its access_batch() pushes requests through the chosen ABI (one call per request, or one
// per batch) and its stats() reads the guest's counters. The driver checks that every runner saw
// every request, times create() apart from access_batch(), and labels records with label().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "trace/reader.hpp"
#include "wasmhop/cache/types.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

using cache::Request;
// The simulator reads its traces through src/trace (one module per format, shared with `wasmhop gen`).
using trace::CsvOptions;
using trace::InputMethod;
using trace::ReadStats;
using trace::Trace;
using trace::TraceFormat;
using trace::TraceOptions;
using trace::TraceReader;
using trace::detect_trace_format;
using trace::open_trace;
using trace::parse_trace_format;
using trace::read_trace;
using trace::to_string;

// What to simulate: a policy by canonical name (see policies.hpp) and its cache configuration
// (capacity, size-change mode, cost for GDS/GDSF).
struct RunSpec {
  std::string policy;
  cache::CacheConfig config;
};

// How it runs: copied into every output record.
struct RunnerLabel {
  std::string engine = "native";
  std::string tier = "-";
  std::string abi = "direct";
  bool cached = true;  // exports resolved once (true) or looked up by name on every call (false)
};

class PolicyRunner {
 public:
  virtual ~PolicyRunner() = default;
  PolicyRunner() = default;
  PolicyRunner(const PolicyRunner&) = delete;
  PolicyRunner& operator=(const PolicyRunner&) = delete;

  // Simulates the requests in order. The driver calls it with consecutive slices of the trace
  // (possibly the whole trace at once); this is the timed region.
  [[nodiscard]] virtual Status access_batch(std::span<const Request> requests) = 0;
  // Counters since creation (may be read mid-run, e.g. at the end of a warm-up prefix).
  [[nodiscard]] virtual Result<cache::CacheStats> stats() = 0;
};

class RunnerFactory {
 public:
  virtual ~RunnerFactory() = default;
  RunnerFactory() = default;
  RunnerFactory(const RunnerFactory&) = delete;
  RunnerFactory& operator=(const RunnerFactory&) = delete;

  [[nodiscard]] virtual RunnerLabel label() const = 0;
  // Runners that may execute at the same time, on different threads (0 = no limit). A factory
  // whose engine state is bound to one thread returns 1; the driver then runs jobs one by one on
  // the calling thread.
  [[nodiscard]] virtual unsigned max_concurrency() const { return 0; }
  // A fresh runner with empty cache and zero counters. Setup cost (compile, instantiate) goes here.
  [[nodiscard]] virtual Result<std::unique_ptr<PolicyRunner>> create(const RunSpec& spec) = 0;
};

}  // namespace wasmhop::sim
