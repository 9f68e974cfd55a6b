// The policy catalogue: names, descriptions, and the native constructor of each policy
// (guest/policies/<file>.hpp). Adding a policy = adding its header plus one line in policies.cpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/runner.hpp"
#include "wasmhop/cache/types.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

struct PolicyInfo {
  std::string_view name;         // canonical, as printed in results
  std::string_view file;         // guest/policies/<file>.hpp (and the guest module's base name)
  std::string_view description;
  bool uses_cost;                // GDS and GDSF take the cost variant
  // The policy object called directly (the native runner).
  std::unique_ptr<PolicyRunner> (*make_native)(const cache::CacheConfig&);
};

[[nodiscard]] std::span<const PolicyInfo> policy_catalogue() noexcept;
// Accepts the canonical name and a few aliases (largest_first, lfu-da, gd-size, ...).
[[nodiscard]] const PolicyInfo* find_policy(std::string_view name) noexcept;
[[nodiscard]] std::string valid_policy_names();  // "fifo, lru, ..."

struct PolicyChoice {
  const PolicyInfo* info = nullptr;
  cache::Cost cost = cache::Cost::one;
};

// "all" or a comma list; a GDS/GDSF item may carry its cost: "gds:packets". Unknown names fail with
// the valid choices.
[[nodiscard]] Result<std::vector<PolicyChoice>> parse_policy_list(std::string_view text, cache::Cost default_cost);
[[nodiscard]] Result<cache::Cost> parse_cost(std::string_view text);
[[nodiscard]] Result<cache::SizeChange> parse_size_change(std::string_view text);

}  // namespace wasmhop::sim
