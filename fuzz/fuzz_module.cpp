// Module loading on each engine, on arbitrary bytes: WASMHOP_FUZZ_ENGINE picks
//   1  wabt-interp: compile (wabt's reader, validator and translation to its instruction stream)
//   2  wasm2c's front end: translate() (wabt's reader and validator, then the C writer and wasmhop's
//      glue); the C compiler is not run
//   3  v8: compile (WasmModuleObject::Compile)
//   4  wasmhop's own memory-limit rewriter (Engine::set_memory_limit), then wabt-interp on its output
// Every outcome is a module or an error naming it; no crash, leak or UB in the host.
#include <memory>
#include <string>

#include "core/memory_limit.hpp"
#include "engines/wasm2c/translate.hpp"
#include "fuzz_util.hpp"
#include "wasmhop/registry.hpp"

namespace {

using namespace wasmhop;

Engine& engine(const char* id) {
  static std::unique_ptr<Engine> e = [&] {
    auto r = create_engine(id);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().describe().c_str());
      std::abort();
    }
    return std::move(*r);
  }();
  return *e;
}

void check_error(const Error& e) {
  WASMHOP_FUZZ_CHECK(e.message.find("'fuzz'") != std::string::npos, "error without the module name: %s",
                     e.describe().c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> wasm(data, size);
#if WASMHOP_FUZZ_ENGINE == 1
  auto m = engine("wabt-interp").compile(wasm, "fuzz");
  if (!m) check_error(m.error());
#elif WASMHOP_FUZZ_ENGINE == 2
  auto t = wasm2c::translate(wasm, "fuzz", "fuzz-key");
  if (!t) check_error(t.error());
  else WASMHOP_FUZZ_CHECK(!t->source.empty() || !t->imports.empty(), "a translation without C");
#elif WASMHOP_FUZZ_ENGINE == 3
  auto m = engine("v8").compile(wasm, "fuzz");
  if (!m) check_error(m.error());
#else
  if (size < 1) return 0;
  const std::uint32_t pages = data[0] * 257u;  // 0 .. 65535 pages
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  auto limited = detail::limit_memory_pages(rest, pages, "fuzz");
  if (!limited) {
    WASMHOP_FUZZ_CHECK(limited.error().kind == ErrorKind::resource_limit, "%s", limited.error().describe().c_str());
    check_error(limited.error());
    return 0;
  }
  // Idempotent: limiting the limited module changes nothing more.
  auto twice = detail::limit_memory_pages(*limited, pages, "fuzz");
  WASMHOP_FUZZ_CHECK(twice && *twice == *limited, "limiting twice changed the module");
  // A module wabt accepts stays acceptable after the rewrite (its memories only got a maximum).
  static Engine& wabt = engine("wabt-interp");
  auto before = wabt.compile(rest, "fuzz");
  if (before) {
    auto after = wabt.compile(*limited, "fuzz");
    WASMHOP_FUZZ_CHECK(after.has_value(), "the limit broke a valid module: %s", after.error().describe().c_str());
  }
#endif
  return 0;
}
