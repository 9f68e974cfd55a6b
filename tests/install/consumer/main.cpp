// consumer GUEST.wasm: add_i32(40, 2) on every engine; exit 0 only if each returns 42.
#include <cstdio>

#include <wasmhop/wasmhop.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  int failures = 0;
  for (const auto& id : wasmhop::engine_ids()) {
    if (id == "v8-liftoff" || id == "v8-turbofan") continue;  // one V8 tier per process
    auto engine = wasmhop::create_engine(id);
    auto module = engine ? (*engine)->load(argv[1]) : tl::unexpected(engine.error());
    auto inst = module ? (*module)->instantiate() : tl::unexpected(module.error());
    auto add = inst ? (*inst)->typed<int32_t(int32_t, int32_t)>("add_i32") : tl::unexpected(inst.error());
    auto r = add ? (*add)(40, 2) : tl::unexpected(add.error());
    if (r && *r == 42) {
      std::printf("%s: 42\n", id.c_str());
    } else {
      ++failures;
      std::printf("%s: %s\n", id.c_str(), r ? "wrong result" : r.error().describe().c_str());
    }
  }
  return failures == 0 ? 0 : 1;
}
