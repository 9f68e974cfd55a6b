// Built when libnode-dev (V8) was not found: the v8 engine ids stay listed and say why they
// cannot run.
#include <fmt/format.h>

#include "engines/factories.hpp"
#include "engines/v8/v8_introspection.hpp"

namespace wasmhop {

Result<std::unique_ptr<Engine>> make_v8_engine(V8Tier tier) {
  const char* id = tier == V8Tier::dynamic ? "v8" : tier == V8Tier::liftoff ? "v8-liftoff" : "v8-turbofan";
  return fail(ErrorKind::engine_unavailable,
              fmt::format("engine '{}': this wasmhop was built without V8 (install Debian's "
                          "libnode-dev and reconfigure)",
                          id));
}

namespace v8engine {
bool trap_handler_enabled() noexcept { return false; }
std::uint64_t trap_handler_hits() noexcept { return 0; }
}  // namespace v8engine

}  // namespace wasmhop
