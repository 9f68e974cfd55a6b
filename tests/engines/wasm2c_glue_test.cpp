// wasm2c engine specifics: the glue's corners (multi-value, odd export names, reference-typed
// exports, tables, start functions), native stack overflow and calls from other threads. The object
// cache: wasm2c_test.cpp.
#include <cstdlib>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include "wasm2c_test_util.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {
namespace {

// Long on purpose: one module holding every glue corner, then one check per corner against it.
TEST(Wasm2c, GlueCorners) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const auto bytes = wat_to_wasm(R"((module
    (type $ii (func (param i32) (result i32)))
    (memory 1 3)
    (data (i32.const 16) "\2a\00\00\00")
    (global $g (export "g") (mut i32) (i32.const 5))
    (global $started (mut i32) (i32.const 0))
    (table 2 funcref)
    (elem (i32.const 0) $double)
    (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (func $start (global.set $started (i32.const 1)))
    (start $start)
    (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
    (func (export "we ird-n\c3\a4me\"x") (result f64) (f64.const 1.5))
    (func (export "takes_ref") (param externref) (result i32) (i32.const 1))
    (func (export "started") (result i32) (global.get $started))
    (func (export "data") (result i32) (i32.load (i32.const 16)))
    (func (export "indirect") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func $fib (export "fib") (param i64) (result i64)
      (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
        (then (local.get 0))
        (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                       (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  ))");
  auto m = engine->compile(bytes, "corners");
  ASSERT_TRUE(m) << m.error().describe();
  bool saw_ref = false;
  for (const auto& e : (*m)->exports()) {
    if (e.name == "takes_ref") {
      saw_ref = true;
      EXPECT_EQ(e.kind, ExportKind::other);
    }
    if (e.name == "g") EXPECT_EQ(e.kind, ExportKind::global);
  }
  EXPECT_TRUE(saw_ref);
  auto inst = (*m)->instantiate();
  ASSERT_TRUE(inst) << inst.error().describe();
  Instance& in = **inst;
  EXPECT_TRUE(in.memory().empty());  // the memory is not exported
  EXPECT_EQ(*in.call_by_name<std::int32_t>("started"), 1);  // the start function ran
  EXPECT_EQ(*in.call_by_name<std::int32_t>("data"), 42);    // the data segment landed

  // Multi-value through the untyped call.
  auto swap = in.func("swap");
  ASSERT_TRUE(swap);
  EXPECT_EQ(swap->type->to_string(), "(i32, i64) -> (i64, i32)");
  RawVal args[2];
  args[0].i32 = 7;
  args[1].i64 = std::int64_t{1} << 40;
  RawVal results[2];
  ASSERT_TRUE(in.call(*swap, args, results));
  EXPECT_EQ(results[0].i64, std::int64_t{1} << 40);
  EXPECT_EQ(results[1].i32, 7);

  // Any bytes in an export name.
  EXPECT_DOUBLE_EQ(*in.call_by_name<double>("we ird-n\xc3\xa4me\"x"), 1.5);

  // Not callable from the host: explained, not crashed.
  auto ref = in.func("takes_ref");
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().kind, ErrorKind::missing_export);
  EXPECT_NE(ref.error().message.find("externref"), std::string::npos) << ref.error().message;
  auto glob = in.func("g");
  ASSERT_FALSE(glob);
  EXPECT_EQ(glob.error().kind, ErrorKind::missing_export);

  // Tables: a good indirect call, a bad index, a null slot.
  EXPECT_EQ(*in.call_by_name<std::int32_t>("indirect", 0, 21), 42);
  auto oob = in.call_by_name<std::int32_t>("indirect", 5, 1);
  ASSERT_FALSE(oob);
  EXPECT_EQ(oob.error().trap, TrapKind::indirect_call_mismatch) << oob.error().describe();
  auto null_slot = in.call_by_name<std::int32_t>("indirect", 1, 1);
  ASSERT_FALSE(null_slot);
  EXPECT_EQ(null_slot.error().trap, TrapKind::indirect_call_mismatch);

  // Growth within and beyond the declared maximum; bulk memory range checks.
  EXPECT_EQ(*in.call_by_name<std::int32_t>("grow", 2), 1);
  EXPECT_EQ(*in.call_by_name<std::int32_t>("grow", 1), -1);
  EXPECT_TRUE(in.call_by_name<void>("fill", 0, 9, 3 * 65536));
  auto fill_oob = in.call_by_name<void>("fill", 1, 9, 3 * 65536);
  ASSERT_FALSE(fill_oob);
  EXPECT_EQ(fill_oob.error().trap, TrapKind::out_of_bounds_memory);

  // Recursion well within the depth limit.
  EXPECT_EQ(*in.call_by_name<std::int64_t>("fib", std::int64_t{20}), 6765);
}

// The depth limit (500 wasm calls) is the first line; the guard page below the native stack is
// the backstop when frames are big: here ~2 KiB frames on a 256 KiB thread stack overflow long
// before 500 calls, and the fault still comes back as call_stack_exhausted.
TEST(Wasm2c, NativeStackOverflowIsATrapToo) {
  // Each local is loaded before the recursive call and stored after it (the call may change
  // memory): every one needs a stack slot, ~2 KiB per frame.
  std::string wat = "(module (memory 1) (func $big (export \"big\") (param i32) (result i64)";
  constexpr int kLocals = 240;
  for (int i = 0; i < kLocals; ++i) wat += " (local i64)";
  for (int i = 0; i < kLocals; ++i) {
    wat += fmt::format(" (local.set {} (i64.load (i32.const {})))", i + 1, i * 8);
  }
  wat += " (i64.store (i32.const 0) (i64.extend_i32_u (local.get 0)))";
  wat += " (drop (call $big (i32.add (local.get 0) (i32.const 1))))";
  for (int i = 0; i < kLocals; ++i) wat += fmt::format(" (i64.store (i32.const {}) (local.get {}))", 2048 + i * 8, i + 1);
  wat += " (i64.const 0)))";
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  auto m = engine->compile(wat_to_wasm(wat), "big_frames");
  ASSERT_TRUE(m) << m.error().describe();
  struct Run {
    Module* module;
    std::vector<std::string> problems;
  } run{m->get(), {}};
  auto body = [](void* arg) -> void* {
    auto* r = static_cast<Run*>(arg);
    auto inst = r->module->instantiate();  // prepares this thread (alternate signal stack)
    if (!inst) {
      r->problems.push_back(inst.error().describe());
      return nullptr;
    }
    for (int round = 0; round < 3; ++round) {
      auto res = (*inst)->call_by_name<std::int64_t>("big", 0);
      if (res || res.error().trap != TrapKind::call_stack_exhausted) {
        r->problems.push_back(res ? "no trap" : res.error().describe());
      }
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, body, &run), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(run.problems.empty()) << run.problems.front();
}

TEST(Wasm2c, CallsAndTrapsFromOtherThreads) {
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  auto m = engine->load(fs::path(WASMHOP_GUEST_DIR) / "traps.wasm");
  ASSERT_TRUE(m) << m.error().describe();
  // Two instances, each driven by its own thread at the same time: per-instance state only.
  auto run = [&](std::vector<std::string>& problems) {
    auto inst = (*m)->instantiate();
    if (!inst) {
      problems.push_back(inst.error().describe());
      return;
    }
    for (int round = 0; round < 20; ++round) {
      auto r = (*inst)->call_by_name<std::int32_t>("recurse", 0);
      if (r || r.error().trap != TrapKind::call_stack_exhausted) problems.push_back("recurse did not exhaust");
      auto d = (*inst)->call_by_name<std::int32_t>("div_by_zero", 0);
      if (d || d.error().trap != TrapKind::integer_divide_by_zero) problems.push_back("no divide trap");
      auto o = (*inst)->call_by_name<std::int32_t>("oob_load", 65536);
      if (o || o.error().trap != TrapKind::out_of_bounds_memory) problems.push_back("no oob trap");
      auto ok = (*inst)->call_by_name<std::int32_t>("ok");
      if (!ok || *ok != 42) problems.push_back("ok failed");
    }
  };
  std::vector<std::string> p1, p2;
  std::thread t1(run, std::ref(p1));
  std::thread t2(run, std::ref(p2));
  t1.join();
  t2.join();
  EXPECT_TRUE(p1.empty()) << p1.front();
  EXPECT_TRUE(p2.empty()) << p2.front();
}

}  // namespace
}  // namespace wasmhop::testing
