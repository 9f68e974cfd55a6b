// WAMR's runtime is process-global: it is initialized once, here, for the plugin and for the raw
// baseline that bench/engines/ compiles into the same shared object.
#pragma once

namespace wasmhop::wamr {

// Initializes WAMR on first use (system allocator); false when WAMR refused.
[[nodiscard]] bool runtime_ready();

}  // namespace wasmhop::wamr
