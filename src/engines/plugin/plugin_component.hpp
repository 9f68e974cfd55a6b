// Components through a plugin's component_* entries (plugin_abi.h) as wasmhop::Component.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "engines/plugin/plugin_handles.hpp"
#include "wasmhop/component.hpp"

namespace wasmhop::plugin {

// The plugin's table reaches the component entries and they are all set.
[[nodiscard]] bool has_components(const whp_plugin_v1* api) noexcept;

[[nodiscard]] Result<std::unique_ptr<Component>> compile_component(const std::shared_ptr<EngineHandle>& engine,
                                                                   std::span<const std::uint8_t> bytes,
                                                                   std::string_view name);

}  // namespace wasmhop::plugin
