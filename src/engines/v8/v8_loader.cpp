// The v8 engines' factory in libwasmhop: loads wasmhop-v8.so (and with it libnode) on the first use
// of a v8 engine id, so that a process that never runs V8 never pays libnode's start-up (see
// CMakeLists.txt here). The object is found where engine plugins are (plugin_loader.hpp) and stays
// loaded for the life of the process, as V8 itself must.
#include "engines/factories.hpp"
#include "engines/plugin/plugin_loader.hpp"
#include "engines/v8/v8_introspection.hpp"

namespace wasmhop {
namespace {

constexpr const char* kObject = "wasmhop-v8";

const char* engine_id(V8Tier tier) noexcept {
  return tier == V8Tier::dynamic ? "v8" : tier == V8Tier::liftoff ? "v8-liftoff" : "v8-turbofan";
}

// A symbol of wasmhop-v8.so, or null when it cannot be loaded.
void* lookup(const char* symbol) {
  auto sym = plugin::load_symbol(kObject, symbol, "v8");
  return sym ? *sym : nullptr;
}

}  // namespace

Result<std::unique_ptr<Engine>> make_v8_engine(V8Tier tier) {
  using MakeFn = void (*)(V8Tier, Result<std::unique_ptr<Engine>>*);
  auto sym = plugin::load_symbol(kObject, "wasmhop_v8_make_engine", engine_id(tier));
  if (!sym) return tl::unexpected(sym.error());
  Result<std::unique_ptr<Engine>> out = fail(ErrorKind::internal, "wasmhop-v8.so made no engine");
  reinterpret_cast<MakeFn>(*sym)(tier, &out);
  return out;
}

namespace v8engine {

bool trap_handler_enabled() noexcept {
  static const auto fn = reinterpret_cast<bool (*)() noexcept>(lookup("wasmhop_v8_trap_handler_enabled"));
  return fn != nullptr && fn();
}

std::uint64_t trap_handler_hits() noexcept {
  static const auto fn = reinterpret_cast<std::uint64_t (*)() noexcept>(lookup("wasmhop_v8_trap_handler_hits"));
  return fn != nullptr ? fn() : 0;
}

}  // namespace v8engine
}  // namespace wasmhop
