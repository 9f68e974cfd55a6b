// The runners of the core-module ABIs (src/abi/registry.hpp): how requests reach a policy guest,
// cached or by name on every call.
#pragma once

#include <memory>

#include "sim/runner.hpp"
#include "sim/script_runner.hpp"
#include "sim/script_runner_guest.hpp"

namespace wasmhop::sim {

// Binds the ABI to the guest (its exports, the static buffer) and wraps the guest.
[[nodiscard]] Result<std::unique_ptr<PolicyRunner>> make_abi_runner(PolicyGuest guest, const AbiChoice& abi,
                                                                    bool cached);

}  // namespace wasmhop::sim
