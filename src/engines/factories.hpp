// One factory per engine folder; registry.cpp maps ids to these.
#pragma once

#include <memory>

#include "wasmhop/engine.hpp"

namespace wasmhop {

enum class V8Tier { dynamic, liftoff, turbofan };

[[nodiscard]] Result<std::unique_ptr<Engine>> make_native_engine();
[[nodiscard]] Result<std::unique_ptr<Engine>> make_wabt_interp_engine();
[[nodiscard]] Result<std::unique_ptr<Engine>> make_v8_engine(V8Tier tier);
[[nodiscard]] Result<std::unique_ptr<Engine>> make_wasm2c_engine();

}  // namespace wasmhop
