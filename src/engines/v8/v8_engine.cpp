// Placeholder until the engine lands: reports itself unavailable.
#include "engines/factories.hpp"

namespace wasmhop {
Result<std::unique_ptr<Engine>> make_v8_engine(V8Tier) {
  return fail(ErrorKind::engine_unavailable, "engine 'v8' is not implemented yet");
}
}  // namespace wasmhop
