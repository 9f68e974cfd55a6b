// Placeholder until the engine lands: reports itself unavailable.
#include "engines/factories.hpp"

namespace wasmhop {
Result<std::unique_ptr<Engine>> make_wasm2c_engine() {
  return fail(ErrorKind::engine_unavailable, "engine 'wasm2c' is not implemented yet");
}
}  // namespace wasmhop
