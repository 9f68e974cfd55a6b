// The component model's canonical ABI: the data is declared in WIT (guest/component/wasmhop.wit)
// and lifted and lowered by the engine, so the host side is the component's typed world
// (include/wasmhop/component.hpp: MicroWorld, PolicyWorld), called by micro (src/micro/canonical.cpp)
// and sim (src/sim/script_runner_canonical.cpp); there is no core-module Binding to write. Engines
// with Capabilities::component only.
#pragma once

#include "abi/abi_info.hpp"

namespace wasmhop::abi {

struct Canonical {
  static constexpr AbiInfo info{.name = "canonical", .suffix = "", .family = "canonical", .memory = "",
                                .micro_config = "",
                                .summary = "the component model: a WIT record lowered by the engine (components only)",
                                .needs_component = true};
  template <class Wire>
  static constexpr bool carries = false;  // no core-module wire: the component's world
};

}  // namespace wasmhop::abi
