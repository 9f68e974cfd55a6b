// Wasmer plugin specifics (src/engines/wasmer): what each of the three ids says about itself, the
// three compilers agreeing on every value type, calls from another thread, and the plugin keeping
// its symbols (Wasmer's, Rust's, the crate's C interface) to itself.
#include <dlfcn.h>

#include <thread>

#include <gtest/gtest.h>

#include "engines/plugin/plugin_abi.h"
#include "engines/plugin/plugin_loader.hpp"
#include "hostile/wasm_builder.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {
namespace {

const std::filesystem::path kConformance = std::filesystem::path(WASMHOP_GUEST_DIR) / "conformance.wasm";

struct Expected {
  const char* id;
  const char* tier;
};
constexpr Expected kIds[] = {{"wasmer-singlepass", "baseline"},
                             {"wasmer-cranelift", "optimizing"},
                             {"wasmer-llvm", "optimizing"}};

// The engine, or nullptr when this build left it out (then it must say why, naming the id).
std::unique_ptr<Engine> engine_or_reason(const char* id) {
  auto e = create_engine(id);
  if (e) return std::move(*e);
  EXPECT_EQ(e.error().kind, ErrorKind::engine_unavailable) << e.error().describe();
  EXPECT_NE(e.error().message.find(id), std::string::npos) << e.error().message;
  return nullptr;
}

TEST(Wasmer, EngineInfo) {
  for (const Expected& x : kIds) {
    SCOPED_TRACE(x.id);
    auto engine = engine_or_reason(x.id);
    if (!engine) continue;
    const EngineInfo& info = engine->info();
    EXPECT_EQ(info.id, x.id);
    EXPECT_EQ(info.name, "Wasmer");
    EXPECT_EQ(info.version.rfind("4.", 0), 0u) << info.version;  // the pinned MIT release line
    EXPECT_EQ(info.tier, x.tier);
    EXPECT_TRUE(info.caps.jit);
    EXPECT_TRUE(info.caps.sandboxed);
    EXPECT_TRUE(info.caps.traps_recoverable);
    EXPECT_TRUE(info.caps.any_thread);       // a Store per instance
    EXPECT_FALSE(info.caps.interruptible);   // Wasmer 4.x cannot stop a running call
    EXPECT_FALSE(info.caps.tier_fixed_per_process);
  }
}

// The three compilers in one process, same module, same answers for every value type and for the
// signature wider than the typed trampolines (four parameters: Function::call).
TEST(Wasmer, TheCompilersAgree) {
  int ran = 0;
  for (const Expected& x : kIds) {
    SCOPED_TRACE(x.id);
    auto engine = engine_or_reason(x.id);
    if (!engine) continue;
    auto m = engine->load(kConformance);
    ASSERT_TRUE(m) << m.error().describe();
    auto inst = (*m)->instantiate();
    ASSERT_TRUE(inst) << inst.error().describe();
    EXPECT_EQ(*(*inst)->call_by_name<std::int64_t>("add_i64", std::int64_t{-1} << 40, std::int64_t{3}),
              (std::int64_t{-1} << 40) + 3);
    EXPECT_FLOAT_EQ(*(*inst)->call_by_name<float>("mul_f32", 2.5f, -4.0f), -10.0f);
    EXPECT_DOUBLE_EQ(*(*inst)->call_by_name<double>("mixed", 2, std::int64_t{1} << 34, 0.25f, 0.5),
                     2.0 + 17179869184.0 + 0.75);
    auto div = (*inst)->call_by_name<std::int32_t>("div_s", 1, 0);
    ASSERT_FALSE(div);
    EXPECT_EQ(div.error().trap, TrapKind::integer_divide_by_zero) << div.error().describe();
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << "the Wasmer plugin was not built here";
  EXPECT_GE(ran, 2) << "singlepass and cranelift are always built with the plugin";
}

TEST(Wasmer, CallsFromAnotherThread) {
  auto engine = engine_or_reason("wasmer-cranelift");
  if (!engine) GTEST_SKIP() << "the Wasmer plugin was not built here";
  auto m = engine->load(kConformance);
  ASSERT_TRUE(m);
  auto inst = (*m)->instantiate();
  ASSERT_TRUE(inst);
  auto add = (*inst)->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  ASSERT_TRUE(add);
  Result<std::int32_t> sum = 0, trapped = 0;
  std::thread t([&] {
    sum = (*add)(40, 2);
    trapped = (*inst)->call_by_name<std::int32_t>("div_s", 1, 0);  // the trap handler on a new thread
  });
  t.join();
  EXPECT_EQ(*sum, 42);
  ASSERT_FALSE(trapped);
  EXPECT_EQ(trapped.error().trap, TrapKind::integer_divide_by_zero);
  EXPECT_EQ(*(*add)(1, 2), 3);
}

// f(n) = f(n-1) + sum over k locals of (n + j), with every local live across the recursive call:
// Cranelift spills them into a frame of several pages, which its prologue probes through
// __rust_probestack (ours: crate/src/probestack.rs). Shallow calls return the right sum; deep
// recursion ends in call_stack_exhausted, found by the probe or the frame's first store.
wasm::Bytes big_frame_module(std::uint32_t k) {
  using namespace wasm;
  Bytes c{0x20, 0x00, 0x04, 0x7F, 0x20, 0x00, 0x41, 0x01, 0x6B, 0x10, 0x00, 0x05, 0x41, 0x00, 0x0B};
  Bytes init;
  for (std::uint32_t j = 1; j <= k; ++j) {
    init.insert(init.end(), {0x20, 0x00, 0x41});  // local.get 0; i32.const j (signed LEB)
    for (std::uint32_t v = j;; v >>= 7) {
      const auto b = static_cast<std::uint8_t>(v & 0x7F);
      if (v < 0x40) {
        init.push_back(b);
        break;
      }
      init.push_back(b | 0x80);
    }
    init.insert(init.end(), {0x6A, 0x21});  // i32.add; local.set j
    leb(init, j);
  }
  Bytes sum;
  for (std::uint32_t j = 1; j <= k; ++j) {
    sum.push_back(0x20);  // local.get j; i32.add
    leb(sum, j);
    sum.push_back(0x6A);
  }
  Bytes body;
  append(body, init);
  append(body, c);
  append(body, sum);
  Bytes m = module({section(1, {0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F}), functions(1)});
  append(m, export_func0("f"));
  append(m, code(body, k));
  return m;
}

TEST(Wasmer, LargeFramesGoThroughTheStackProbe) {
  constexpr std::int64_t k = 2000;  // 2000 live i32s: 8 KiB or more of spill slots
  const auto bytes = big_frame_module(k);
  int ran = 0;
  for (const Expected& x : kIds) {
    SCOPED_TRACE(x.id);
    auto engine = engine_or_reason(x.id);
    if (!engine) continue;
    auto m = engine->compile(bytes, "big_frames");
    ASSERT_TRUE(m) << m.error().describe();
    auto inst = (*m)->instantiate();
    ASSERT_TRUE(inst) << inst.error().describe();
    for (std::int32_t n : {0, 3, 30}) {  // 31 frames of ~16 KiB: well inside Wasmer's 1 MiB stack
      std::int64_t want = 0;
      for (std::int64_t i = 0; i <= n; ++i) want += i * k + k * (k + 1) / 2;
      auto r = (*inst)->call_by_name<std::int32_t>("f", n);
      ASSERT_TRUE(r) << n << ": " << r.error().describe();
      EXPECT_EQ(*r, static_cast<std::int32_t>(want)) << n;
    }
    auto deep = (*inst)->call_by_name<std::int32_t>("f", 1'000'000);
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().trap, TrapKind::call_stack_exhausted) << deep.error().describe();
    EXPECT_EQ(*(*inst)->call_by_name<std::int32_t>("f", 0), static_cast<std::int32_t>(k * (k + 1) / 2));
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << "the Wasmer plugin was not built here";
}

// Only the plugin entry is exported: Wasmer's wasm-c-api names and the crate's own C interface
// stay inside, so other engines' libraries never bind to them.
TEST(Wasmer, ThePluginExportsOnlyItsEntry) {
  if (auto p = plugin::load_engine_plugin("wasmer", "wasmer-cranelift"); !p) GTEST_SKIP() << p.error().describe();
  void* handle = nullptr;
  for (const auto& dir : plugin::search_dirs()) {
    handle = dlopen((dir / "wasmhop-engine-wasmer.so").c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (handle != nullptr) break;
  }
  ASSERT_NE(handle, nullptr);
  EXPECT_NE(dlsym(handle, WHP_PLUGIN_ENTRY), nullptr);
  for (const char* hidden : {"whp_wasmer_engine_new", "whp_wasmer_raw_pair", "__rust_probestack",
                             "wasmer_vm_raise_trap", "rust_begin_unwind"}) {
    EXPECT_EQ(dlsym(handle, hidden), nullptr) << hidden;
  }
  dlclose(handle);  // drops the RTLD_NOLOAD reference only
}

}  // namespace
}  // namespace wasmhop::testing
