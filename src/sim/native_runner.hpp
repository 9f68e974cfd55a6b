// The native runner: the policy object (the same source the guest modules are built from) called
// directly in the host process: the paper's baseline. Label: engine "native", abi "direct".
#pragma once

#include <span>

#include "sim/runner.hpp"

namespace wasmhop::sim {

// Wraps any policy class with the uniform concrete interface (CacheBase provides all but the constructor)
//   explicit P(const cache::CacheConfig&); bool access(uint64_t id, uint64_t size);
//   void access_all(std::span<const Request>); const cache::CacheStats& stats() const;
template <class Policy>
class NativeRunner final : public PolicyRunner {
 public:
  explicit NativeRunner(const cache::CacheConfig& config) : policy_(config) {}

  Status access_batch(std::span<const Request> requests) override {
    policy_.access_all(requests);  // the counters stay in registers for the batch
    return {};
  }
  Result<cache::CacheStats> stats() override { return policy_.stats(); }
  [[nodiscard]] Policy& policy() noexcept { return policy_; }

 private:
  Policy policy_;
};

class NativeRunnerFactory final : public RunnerFactory {
 public:
  [[nodiscard]] RunnerLabel label() const override { return RunnerLabel{}; }
  [[nodiscard]] Result<std::unique_ptr<PolicyRunner>> create(const RunSpec& spec) override;
};

}  // namespace wasmhop::sim
