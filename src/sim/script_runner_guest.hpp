// A policy module as a runner sees it: the instance, init(), and the guest's
// counters, read and checked against what the host itself observed.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "sim/runner.hpp"
#include "sim/script_runner.hpp"
#include "wasmhop/cache/types.hpp"
#include "wasmhop/engine.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

// What the host counted from the guest's own answers: every request sent, every hit returned.
struct HostTally {
  std::uint64_t requests = 0;
  std::uint64_t hits = 0;
};

class PolicyGuest {
 public:
  // Instantiates the module and calls init(config). `engine` stays alive as long as the guest.
  [[nodiscard]] static Result<PolicyGuest> open(std::shared_ptr<ScriptEngine> engine,
                                                const std::filesystem::path& wasm,
                                                const cache::CacheConfig& config);

  [[nodiscard]] Instance& instance() noexcept { return *instance_; }

  // The guest's counters. Impossible ones are an error: more hits than requests, more bytes hit
  // than requested, or counts that disagree with what the guest answered the host.
  [[nodiscard]] Result<cache::CacheStats> stats(const HostTally& tally);

 private:
  std::shared_ptr<ScriptEngine> engine_;  // declared first: destroyed after the instance
  std::unique_ptr<Instance> instance_;
};

// The error for a guest answer that cannot be true (`what` says which).
[[nodiscard]] tl::unexpected<Error> impossible_answer(const Instance& instance, std::string_view what);

}  // namespace wasmhop::sim
