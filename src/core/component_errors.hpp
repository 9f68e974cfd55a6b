// Errors for a component where a core module is expected and the reverse (src/core/component.cpp).
#pragma once

#include <string_view>

#include "wasmhop/result.hpp"

namespace wasmhop::detail {
[[nodiscard]] Error component_not_module(std::string_view name);
}  // namespace wasmhop::detail
