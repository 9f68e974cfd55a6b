// Built when libnode-dev (V8) was not found: the v8 engine ids stay listed and say why they
// cannot run.
#include <fmt/format.h>

#include "engines/factories.hpp"

namespace wasmhop {

Result<std::unique_ptr<Engine>> make_v8_engine(V8Tier tier) {
  const char* id = tier == V8Tier::dynamic ? "v8" : tier == V8Tier::liftoff ? "v8-liftoff" : "v8-turbofan";
  return fail(ErrorKind::engine_unavailable,
              fmt::format("engine '{}': this wasmhop was built without V8 (install Debian's "
                          "libnode-dev and reconfigure)",
                          id));
}

}  // namespace wasmhop
