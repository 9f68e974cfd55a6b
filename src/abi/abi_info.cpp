#include "abi/abi_info.hpp"

#include <fmt/format.h>

namespace wasmhop::abi {

std::string unavailable_reason(const AbiInfo& abi, const EngineInfo& engine) {
  if (abi.needs_component && !engine.caps.component)
    return fmt::format("engine '{}' has no component-model support (capability component = false): no {}-ABI runs",
                       engine.id, abi.name);
  return {};
}

}  // namespace wasmhop::abi
