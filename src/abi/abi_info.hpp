// What the registry (registry.hpp) knows about one data-passing ABI besides its host-side code:
// names, what micro's records call it, and the engine capabilities it needs.
#pragma once

#include <algorithm>
#include <array>
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

// The export <wire prefix>_<suffix> of the ABI whose info is Abi, for a wire, as a compile-time
// constant (value): an uncached call names it as a hand-written loop names a literal.
template <class Wire, const AbiInfo& Abi>
struct ExportName {
 private:
  static constexpr std::size_t size = Wire::prefix.size() + 1 + Abi.suffix.size();
  static constexpr std::array<char, size> chars = [] {
    std::array<char, size> c{};
    auto out = std::copy(Wire::prefix.begin(), Wire::prefix.end(), c.begin());
    *out++ = '_';
    std::copy(Abi.suffix.begin(), Abi.suffix.end(), out);
    return c;
  }();

 public:
  static constexpr std::string_view value{chars.data(), size};
};

}  // namespace wasmhop::abi
