// What the registry (registry.hpp) knows about one data-passing ABI besides its host-side code:
// names, what micro's records call it, and the engine capabilities it needs.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "wasmhop/engine.hpp"

namespace wasmhop::abi {

struct AbiInfo {
  std::string_view name;     // as `sim --abi` and the sim's records name it: "pod-static"
  std::string_view suffix;   // its guest exports are <wire prefix>_<suffix>: mul_pod_static, access_pod_static
  std::string_view family;   // micro records' "abi": "pod" (static and dynamic memory are one family)
  std::string_view memory;   // micro records' "memory": "static" | "dynamic" | ""
  std::string_view micro_config;  // micro's configuration beyond the paper's Table 1 rows: its extra
                                  // Table 1 row, or its sweep ("": the paper's rows measure it)
  std::string_view summary;  // one line for --help
  bool batched = false;      // many records per call: Binding::send takes a span of them
  bool needs_component = false;  // the component model (Capabilities::component): a component's typed
                                 // world lowers the data, there is no core-module Binding
};

// The registry's ABIs (registry.hpp), in order; the ABI of a name (nullptr when none); their names,
// "pair, bincode, ...", for messages and --help.
[[nodiscard]] std::span<const AbiInfo* const> abi_infos();
[[nodiscard]] const AbiInfo* find_abi(std::string_view name);
[[nodiscard]] std::string abi_names();

// Why an engine cannot run the ABI ("" when it can), from the capabilities it needs.
[[nodiscard]] std::string unavailable_reason(const AbiInfo& abi, const EngineInfo& engine);

// The export <wire prefix>_<suffix> of an ABI for a wire.
template <class Wire>
[[nodiscard]] std::string export_name(const AbiInfo& abi) {
  std::string name(Wire::prefix);
  name += '_';
  name += abi.suffix;
  return name;
}

}  // namespace wasmhop::abi
