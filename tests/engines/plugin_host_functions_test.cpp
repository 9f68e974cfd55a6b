// Host functions on the Wasmtime and Wasmer plugins, past what tests/host_functions_test.cpp
// covers: a host function sees the caller's memory as it is now (grown during the same guest
// call), runs from a start function, and fails a start function with its own error; on Wasmtime a
// start function that calls the host and then spins is stopped at the instantiation limit.
#include <chrono>

#include <gtest/gtest.h>

#include "hostile/wasm_builder.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {
namespace {

using wasm::Bytes;

constexpr const char* kIds[] = {"wasmtime-cranelift", "wasmtime-winch",   "wasmtime-pulley",
                                "wasmer-singlepass",  "wasmer-cranelift", "wasmer-llvm"};

// (import "env" "peek" (func (param i32) (result i32)))  ;; the host reads the caller's byte
// (memory (export "memory") 1)
// (func (export "grow_and_peek") (result i32) (local i32)
//   memory.grow 1, then mem[(pages - 1) * 65536 + 10] = 0x5A, return peek of it)
// (func $start  mem[7] = 9, peek(7)) (start $start)
// With `spin`, the start function loops forever after its peek.
Bytes grow_module(bool spin) {
  Bytes types{0x03, 0x60, 0x01, 0x7F, 0x01, 0x7F, 0x60, 0x00, 0x01, 0x7F, 0x60, 0x00, 0x00};
  Bytes imports{0x01};
  wasm::name(imports, "env");
  wasm::name(imports, "peek");
  wasm::append(imports, {0x00, 0x00});
  Bytes exports{0x02};
  wasm::name(exports, "memory");
  wasm::append(exports, {0x02, 0x00});
  wasm::name(exports, "grow_and_peek");
  wasm::append(exports, {0x00, 0x01});
  const Bytes grow_body{0x01, 0x01, 0x7F,                    // one i32 local
                        0x41, 0x01, 0x40, 0x00, 0x1A,        // memory.grow 1, drop
                        0x3F, 0x00, 0x41, 0x01, 0x6B,        // memory.size - 1
                        0x41, 0x10, 0x74, 0x41, 0x0A, 0x6A,  // << 16, + 10
                        0x22, 0x00,                          // local.tee 0
                        0x41, 0xDA, 0x00, 0x3A, 0x00, 0x00,  // i32.store8 0x5A
                        0x20, 0x00, 0x10, 0x00, 0x0B};       // peek(local 0)
  Bytes start_body{0x00, 0x41, 0x07, 0x41, 0x09, 0x3A, 0x00, 0x00,  // mem[7] = 9
                   0x41, 0x07, 0x10, 0x00, 0x1A};                   // peek(7), drop
  if (spin) wasm::append(start_body, {0x03, 0x40, 0x0C, 0x00, 0x0B});  // loop br 0 end
  start_body.push_back(0x0B);
  Bytes code{0x02};
  wasm::leb(code, grow_body.size());
  wasm::append(code, grow_body);
  wasm::leb(code, start_body.size());
  wasm::append(code, start_body);
  return wasm::module({wasm::section(1, types), wasm::section(2, imports), wasm::section(3, {0x02, 0x01, 0x02}),
                       wasm::section(5, {0x01, 0x00, 0x01}), wasm::section(7, exports), wasm::section(8, {0x02}),
                       wasm::section(10, code)});
}

// What `peek` saw: the caller's memory size at each call.
struct Peeks {
  std::vector<std::uint64_t> sizes;
  bool fail = false;

  Imports imports() {
    Imports im;
    im.func("env", "peek", [this](Caller& c, std::uint32_t at) -> Result<std::int32_t> {
      if (fail) return fail_with();
      GuestMemory mem = c.memory();
      sizes.push_back(mem.size());
      if (mem.size() == 0) return -1;  // no memory at hand (Wasmer during a start function)
      auto byte = mem.bytes(at, 1);
      if (!byte) return tl::unexpected(byte.error());
      return (*byte)[0];
    });
    return im;
  }
  static Result<std::int32_t> fail_with() { return wasmhop::fail(ErrorKind::invalid_argument, "peek refuses"); }
};

std::unique_ptr<Engine> engine_or_skip(const char* id) {
  auto e = create_engine(id);
  return e ? std::move(*e) : nullptr;
}

TEST(PluginHostFunctions, TheCallerSeesItsMemoryGrow) {
  int ran = 0;
  for (const char* id : kIds) {
    SCOPED_TRACE(id);
    auto engine = engine_or_skip(id);
    if (!engine) continue;
    auto m = engine->compile(grow_module(false), "grow");
    ASSERT_TRUE(m) << m.error().describe();
    Peeks peeks;
    auto inst = (*m)->instantiate({.imports = peeks.imports()});
    ASSERT_TRUE(inst) << inst.error().describe();
    ASSERT_EQ(peeks.sizes.size(), 1u);  // the start function's peek
    // Wasmtime finds the memory from the calling instance; Wasmer 4.x cannot before the
    // instance exists (src/engines/wasmer/crate/src/host_calls.rs).
    const bool wasmer = std::string_view(id).starts_with("wasmer");
    EXPECT_EQ(peeks.sizes[0], wasmer ? 0u : 65536u);
    for (std::uint64_t pages = 2; pages <= 4; ++pages) {
      EXPECT_EQ(*(*inst)->call_by_name<std::int32_t>("grow_and_peek"), 0x5A);
      EXPECT_EQ(peeks.sizes.back(), pages * 65536);
    }
    EXPECT_EQ((*inst)->memory().size(), 4u * 65536);
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << "neither plugin was built here";
}

TEST(PluginHostFunctions, AFailingHostFunctionFailsTheStartFunction) {
  for (const char* id : kIds) {
    SCOPED_TRACE(id);
    auto engine = engine_or_skip(id);
    if (!engine) continue;
    auto m = engine->compile(grow_module(false), "grow");
    ASSERT_TRUE(m) << m.error().describe();
    Peeks peeks;
    peeks.fail = true;
    auto inst = (*m)->instantiate({.imports = peeks.imports()});
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().kind, ErrorKind::invalid_argument) << inst.error().describe();
    EXPECT_NE(inst.error().message.find("env.peek"), std::string::npos) << inst.error().message;
    EXPECT_NE(inst.error().message.find("peek refuses"), std::string::npos) << inst.error().message;
    peeks.fail = false;  // the module is still good
    auto fine = (*m)->instantiate({.imports = peeks.imports()});
    EXPECT_TRUE(fine) << fine.error().describe();
  }
}

TEST(PluginHostFunctions, AStartFunctionWithImportsStopsAtItsLimit) {
  for (const char* id : {"wasmtime-cranelift", "wasmtime-winch", "wasmtime-pulley"}) {
    SCOPED_TRACE(id);
    auto engine = engine_or_skip(id);
    if (!engine) continue;
    auto m = engine->compile(grow_module(true), "spin");
    ASSERT_TRUE(m) << m.error().describe();
    Peeks peeks;
    const auto t0 = std::chrono::steady_clock::now();
    auto inst = (*m)->instantiate({.call_timeout = std::chrono::milliseconds(200), .imports = peeks.imports()});
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().kind, ErrorKind::timeout) << inst.error().describe();
    EXPECT_EQ(peeks.sizes, std::vector<std::uint64_t>{65536});  // the host ran before the spin
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  }
}

}  // namespace
}  // namespace wasmhop::testing
