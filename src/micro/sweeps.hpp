// Shared pieces of the micro experiments, and the beyond-the-paper sweeps.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "micro/runner.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop::micro {

// A freshly compiled and instantiated micro.wasm, with its phase times.
struct Fresh {
  std::unique_ptr<Instance> instance;
  double compile_s = 0;
  double instantiate_s = 0;
};

[[nodiscard]] Result<Fresh> fresh_instance(Engine& engine, const std::filesystem::path& wasm);
[[nodiscard]] Result<Fresh> fresh_instance(Module& module);  // a new instance of a compiled module
// A record of this engine and run, for `experiment`; set_times fills calls, loop_s (and ns_per_call),
// compile_s and instantiate_s.
[[nodiscard]] run::MicroRecord base_record(const EngineInfo& info, const MicroOptions& o, const char* experiment);
void set_times(run::MicroRecord& r, std::int64_t calls, double loop_s, double compile_s, double instantiate_s);

// Batch ABI: N records per call through the static buffer, N = 1, 2, 4 ... 1024.
[[nodiscard]] Status run_batch_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink,
                                     const ProgressFn& progress);

// Variable-length payloads, 8 B ... 64 KiB, through each memory-passing ABI.
[[nodiscard]] Status run_payload_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink,
                                       const ProgressFn& progress);

// The payload sweep's sizes (8 B, x4 ..., 64 KiB) and bytes (a fixed pseudo-random sequence of
// kMaxPayload bytes; a point passes a prefix), shared with the canonical ABI's payload sweep.
[[nodiscard]] std::vector<std::uint32_t> payload_sizes();
[[nodiscard]] std::vector<std::uint8_t> payload_bytes();

// Replications of each sweep point (sweeps are secondary: fewer than Table 1's).
[[nodiscard]] inline int sweep_reps(const MicroOptions& o) { return std::max(3, o.reps / 10); }

// Warm-up calls for a sweep point, from one probe call's time: about a fifth of the target
// duration, at most max_calls (slow engines must not spend minutes warming up).
[[nodiscard]] inline std::int64_t sweep_warmup_calls(const MicroOptions& o, double probe_s, std::int64_t max_calls) {
  const double want = probe_s > 0 ? 0.2 * o.sweep_target_s / probe_s : static_cast<double>(max_calls);
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(want), 1, std::max<std::int64_t>(max_calls, 1));
}

// Calls for a sweep point's timed loop: enough for about o.sweep_target_s at the per-call time
// the warm-up measured, within [lo, hi].
[[nodiscard]] inline std::int64_t sweep_calls(const MicroOptions& o, double warmup_s, std::int64_t warmup_calls,
                                              std::int64_t lo, std::int64_t hi) {
  const double per_call = warmup_s / static_cast<double>(std::max<std::int64_t>(warmup_calls, 1));
  const double want = per_call > 0 ? o.sweep_target_s / per_call : static_cast<double>(hi);
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(want), lo, std::max(lo, hi));
}

// A sweep point's timed loop: `loop(n)` makes n checked calls (Status). One probe call, a warm-up
// of about a fifth of the target (at most warmup_max), then the timed loop of calls calibrated to
// o.sweep_target_s within [lo, hi]. All of it under a TrapScope on `inst` (null: a component,
// whose engines guard their own calls), as Table 1's loops are, so that sweep points and the
// Table 1 rows they are compared with pay the same guard.
struct TimedPoint {
  std::int64_t calls = 0;
  double loop_s = 0;
};
template <class Loop>
[[nodiscard]] Result<TimedPoint> time_sweep_point(const MicroOptions& o, const Instance* inst, Loop&& loop,
                                                  std::int64_t warmup_max, std::int64_t lo, std::int64_t hi) {
  std::optional<TrapScope> scope;
  if (inst != nullptr) scope.emplace(*inst);
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  const auto p0 = Clock::now();
  if (auto st = loop(1); !st) return tl::unexpected(st.error());
  const std::int64_t warmup = sweep_warmup_calls(o, since(p0), warmup_max);
  const auto w0 = Clock::now();
  if (auto st = loop(warmup); !st) return tl::unexpected(st.error());
  TimedPoint t;
  t.calls = sweep_calls(o, since(w0), warmup, lo, hi);
  const auto t0 = Clock::now();
  auto st = loop(t.calls);
  t.loop_s = since(t0);
  if (!st) return tl::unexpected(st.error());
  return t;
}

}  // namespace wasmhop::micro
