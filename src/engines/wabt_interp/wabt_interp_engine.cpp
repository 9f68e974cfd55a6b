// Placeholder until the engine lands: reports itself unavailable.
#include "engines/factories.hpp"

namespace wasmhop {
Result<std::unique_ptr<Engine>> make_wabt_interp_engine() {
  return fail(ErrorKind::engine_unavailable, "engine 'wabt_interp' is not implemented yet");
}
}  // namespace wasmhop
