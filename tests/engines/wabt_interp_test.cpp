// wabt-interp specifics beyond the conformance suite: wabt's own trap texts, its call-stack
// limit hit again and again (also through call_indirect, which libwabt 1.0.32 gets wrong),
// per-instance stores (instances on different threads), instantiation traps from segments and
// start functions, exports whose types the packed convention cannot carry.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "wasmhop/wasmhop.hpp"

namespace wasmhop {
namespace {

std::filesystem::path guest(const char* name) {
  return std::filesystem::path(WASMHOP_GUEST_DIR) / (std::string(name) + ".wasm");
}

class WabtInterp : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = create_engine("wabt-interp");
    ASSERT_TRUE(e) << e.error().describe();
    engine_ = std::move(*e);
  }
  std::unique_ptr<Instance> instantiate(const char* name) {
    auto m = engine_->load(guest(name));
    EXPECT_TRUE(m) << m.error().describe();
    if (!m) return nullptr;
    auto i = (*m)->instantiate();
    EXPECT_TRUE(i) << i.error().describe();
    return i ? std::move(*i) : nullptr;
  }
  Result<std::unique_ptr<Module>> compile(const std::vector<std::uint8_t>& bytes) {
    return engine_->compile(bytes, "handmade");
  }
  std::unique_ptr<Engine> engine_;
};

TEST_F(WabtInterp, DescribesItself) {
  const EngineInfo& info = engine_->info();
  EXPECT_EQ(info.id, "wabt-interp");
  EXPECT_EQ(info.name, "wabt");
  EXPECT_EQ(info.version, "1.0.32");
  EXPECT_EQ(info.tier, "interpreter");
  EXPECT_TRUE(info.caps.interpreter);
  EXPECT_TRUE(info.caps.sandboxed);
  EXPECT_TRUE(info.caps.loads_wasm);
  EXPECT_TRUE(info.caps.traps_recoverable);
  EXPECT_FALSE(info.caps.jit);
  EXPECT_TRUE(info.caps.interruptible);  // InstanceOptions::call_timeout, checked between slices
  EXPECT_TRUE(info.caps.any_thread);     // a store per instance
}

TEST_F(WabtInterp, TrapMessagesCarryWabtsText) {
  auto inst = instantiate("traps");
  ASSERT_TRUE(inst);
  struct Case {
    const char* name;
    std::int32_t arg;
    TrapKind kind;
    const char* text;
  };
  const Case cases[] = {
      {"div_by_zero", 0, TrapKind::integer_divide_by_zero, "integer divide by zero"},
      {"div_overflow", -1, TrapKind::integer_overflow, "integer overflow"},
      {"oob_load", 65535, TrapKind::out_of_bounds_memory, "out of bounds memory access"},
      {"recurse", 0, TrapKind::call_stack_exhausted, "call stack exhausted"},
  };
  for (const auto& c : cases) {
    auto r = inst->call_by_name<std::int32_t>(c.name, c.arg);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().trap, c.kind) << r.error().describe();
    EXPECT_NE(r.error().message.find(c.text), std::string::npos) << r.error().message;
    EXPECT_NE(inst->last_error_detail().find(c.text), std::string::npos) << inst->last_error_detail();
  }
  auto nan = inst->call_by_name<std::int32_t>("trunc_nan");
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message.find("invalid conversion to integer"), std::string::npos);
  auto u = inst->call_by_name<void>("unreachable");
  ASSERT_FALSE(u);
  EXPECT_NE(u.error().message.find("unreachable executed"), std::string::npos);
}

// wabt's call stack is its own (a vector of frames): exhausting it never touches the host stack,
// and the instance's Thread is replaced after each trap.
TEST_F(WabtInterp, StackExhaustionAgainAndAgain) {
  auto inst = instantiate("traps");
  ASSERT_TRUE(inst);
  auto recurse = inst->typed<std::int32_t(std::int32_t)>("recurse");
  auto ok = inst->typed<std::int32_t()>("ok");
  ASSERT_TRUE(recurse && ok);
  for (int i = 0; i < 50; ++i) {
    auto r = (*recurse)(0);
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().trap, TrapKind::call_stack_exhausted) << r.error().describe();
    ASSERT_EQ(*(*ok)(), 42);
  }
}

// The C++ guest's direct recursion (recurse: (recurse(d - 1) ^ d) + 1, nothing in linear
// memory), exhausted twice in a row; the instance carries on.
TEST_F(WabtInterp, CppGuestRecursionTwiceThenUsable) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  for (int i = 0; i < 2; ++i) {
    auto r = inst->call_by_name<std::int32_t>("recurse", INT32_MAX);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().trap, TrapKind::call_stack_exhausted) << r.error().describe();
  }
  std::int32_t expected = 0;
  for (std::int32_t d = 1; d <= 100; ++d) expected = (expected ^ d) + 1;
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse", 100), expected);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("bump"), 1);
}

// libwabt 1.0.32's Thread::DoCall ignores the "call stack exhausted" of a call_indirect to a wasm
// function (see the engine's header comment): the interpreter went on as if the call had
// returned its arguments. The C++ guest recursing through a function pointer (call_indirect),
// at every depth around wabt's 1638-frame limit and far beyond it: the sum is right or the call
// traps, the boundary is sharp, and the instance carries on after each trap.
TEST_F(WabtInterp, IndirectRecursionIsRightOrTrapsAtEveryDepth) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto recurse = inst->typed<std::int32_t(std::int32_t)>("recurse_indirect");
  auto add = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  ASSERT_TRUE(recurse && add);
  std::vector<std::int32_t> depths = {0, 1, 10, 100, 1000};
  for (std::int32_t d = 1500; d <= 1800; ++d) depths.push_back(d);
  for (std::int32_t d : {2000, 10000, 1 << 20, INT32_MAX - 1, INT32_MAX}) depths.push_back(d);
  std::int32_t deepest_ok = -1;
  std::int32_t shallowest_trap = INT32_MAX;
  for (std::int32_t d : depths) {
    auto r = (*recurse)(d);
    if (r) {
      // sum(1..d) in wasm's wrapping i32 arithmetic
      const auto sum = static_cast<std::int32_t>(static_cast<std::uint32_t>(
          static_cast<std::uint64_t>(d) * (static_cast<std::uint64_t>(d) + 1) / 2));
      ASSERT_EQ(*r, sum) << "depth " << d;
      deepest_ok = std::max(deepest_ok, d);
    } else {
      ASSERT_EQ(r.error().trap, TrapKind::call_stack_exhausted) << "depth " << d << ": "
                                                                << r.error().describe();
      shallowest_trap = std::min(shallowest_trap, d);
      const auto wrapped = static_cast<std::int32_t>(static_cast<std::uint32_t>(d) + 1u);  // i32.add wraps
      ASSERT_EQ(*(*add)(d, 1), wrapped) << "instance unusable after the trap at depth " << d;
    }
  }
  EXPECT_GE(deepest_ok, 1500) << "wabt's limit is 1638 frames";
  EXPECT_LE(shallowest_trap, 1800);
  EXPECT_LT(deepest_ok, shallowest_trap) << "a depth beyond the first trap returned";
  EXPECT_EQ(*(*recurse)(100), 5050);
}

// Handmade (wat2wasm of):
//   (module
//     (type $v (func)) (type $r (func (result i32))) (type $ii (func (param i32) (result i32)))
//     (table 3 funcref) (elem (i32.const 0) $down $up $sum)
//     (global $after (mut i32) (i32.const 0))
//     (func $down (export "down")                  ;; endless, then work after the call
//       (call_indirect (type $v) (i32.const 0))
//       (global.set $after (i32.add (global.get $after) (i32.const 1))))
//     (func $up (export "up") (result i32)          ;; more results than parameters
//       (i32.add (call_indirect (type $r) (i32.const 1)) (i32.const 1)))
//     (func $sum (export "sum") (param i32) (result i32)
//       (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
//         (else (i32.add (call_indirect (type $ii) (i32.sub (local.get 0) (i32.const 1))
//                                       (i32.const 2))
//                        (local.get 0)))))
//     (func (export "after") (result i32) (global.get $after)))
// Unfixed, "down" returned normally with $after = 1638 (the frame whose call_indirect was skipped
// went on, then every caller), and "up" underflowed wabt's value stack (libwabt's assertion in
// Thread::PopValues aborted the process).
const std::vector<std::uint8_t> kIndirectRecursion = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60, 0x00, 0x00, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x05, 0x04, 0x00, 0x01, 0x02, 0x01,
    0x04, 0x04, 0x01, 0x70, 0x00, 0x03, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07,
    0x1b, 0x04, 0x04, 0x64, 0x6f, 0x77, 0x6e, 0x00, 0x00, 0x02, 0x75, 0x70, 0x00, 0x01, 0x03,
    0x73, 0x75, 0x6d, 0x00, 0x02, 0x05, 0x61, 0x66, 0x74, 0x65, 0x72, 0x00, 0x03, 0x09, 0x09,
    0x01, 0x00, 0x41, 0x00, 0x0b, 0x03, 0x00, 0x01, 0x02, 0x0a, 0x39, 0x04, 0x0e, 0x00, 0x41,
    0x00, 0x11, 0x00, 0x00, 0x23, 0x00, 0x41, 0x01, 0x6a, 0x24, 0x00, 0x0b, 0x0a, 0x00, 0x41,
    0x01, 0x11, 0x01, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x18, 0x00, 0x20, 0x00, 0x45, 0x04, 0x7f,
    0x41, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x41, 0x02, 0x11, 0x02, 0x00, 0x20, 0x00,
    0x6a, 0x0b, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b};

TEST_F(WabtInterp, ExhaustedCallIndirectStopsTheInterpreterThere) {
  auto m = compile(kIndirectRecursion);
  ASSERT_TRUE(m) << m.error().describe();
  auto i = (*m)->instantiate();
  ASSERT_TRUE(i) << i.error().describe();
  Instance& inst = **i;
  for (int round = 0; round < 3; ++round) {
    auto down = inst.call_by_name<void>("down");
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().trap, TrapKind::call_stack_exhausted) << down.error().describe();
    // No instruction after the failed call_indirect ran, in any frame.
    EXPECT_EQ(*inst.call_by_name<std::int32_t>("after"), 0);
    auto up = inst.call_by_name<std::int32_t>("up");
    ASSERT_FALSE(up);
    EXPECT_EQ(up.error().trap, TrapKind::call_stack_exhausted) << up.error().describe();
  }
  // Every depth: right or a trap, never past the first trap.
  std::int32_t deepest_ok = -1;
  std::int32_t shallowest_trap = INT32_MAX;
  for (std::int32_t d = 1600; d <= 1700; ++d) {
    auto r = inst.call_by_name<std::int32_t>("sum", d);
    if (r) {
      ASSERT_EQ(*r, d * (d + 1) / 2) << "depth " << d;
      deepest_ok = d;
    } else {
      ASSERT_EQ(r.error().trap, TrapKind::call_stack_exhausted) << "depth " << d;
      shallowest_trap = std::min(shallowest_trap, d);
    }
  }
  EXPECT_GE(deepest_ok, 1600);
  EXPECT_LT(deepest_ok, shallowest_trap);
  EXPECT_LE(shallowest_trap, 1700);
  EXPECT_EQ(*inst.call_by_name<std::int32_t>("sum", 1000), 500500);
}

// (module (type $v (func)) (table 1 funcref) (elem (i32.const 0) $down)
//   (func $down (call_indirect (type $v) (i32.const 0))) (start $down)):
// wabt's own instantiation ran the start function through the same unguarded path and reported
// success; the engine runs it guarded, so instantiation traps.
TEST_F(WabtInterp, ExhaustedCallIndirectInTheStartFunctionTraps) {
  auto m = compile({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
                    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
                    0x08, 0x01, 0x00, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
                    0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b});
  ASSERT_TRUE(m) << m.error().describe();
  auto i = (*m)->instantiate();
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().kind, ErrorKind::trap) << i.error().describe();
  EXPECT_EQ(i.error().trap, TrapKind::call_stack_exhausted) << i.error().describe();
}

// Instances own separate stores: they may run on different threads at once.
TEST_F(WabtInterp, InstancesRunOnSeparateThreads) {
  auto m = engine_->load(guest("conformance"));
  ASSERT_TRUE(m);
  constexpr int kThreads = 2;
  std::vector<std::unique_ptr<Instance>> insts;
  for (int t = 0; t < kThreads; ++t) {
    auto i = (*m)->instantiate();
    ASSERT_TRUE(i);
    insts.push_back(std::move(*i));
  }
  m->reset();
  std::vector<std::int64_t> sums(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto add = insts[t]->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
      auto bump = insts[t]->typed<std::int32_t()>("bump");
      if (!add || !bump) return;
      for (int i = 0; i < 20000; ++i) {
        auto r = (*add)(i, t);
        if (r) sums[t] += *r;
        (void)(*bump)();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(sums[t], std::int64_t{20000} * 19999 / 2 + std::int64_t{20000} * t);
    EXPECT_EQ(*insts[t]->call_by_name<std::int32_t>("counter"), 20000);
  }
}

TEST_F(WabtInterp, MalformedModuleMessagesComeFromWabt) {
  auto m = compile({0, 'a', 's', 'm', 1, 0, 0});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::malformed_module);
  EXPECT_NE(m.error().message.find("handmade"), std::string::npos) << m.error().message;
  auto magic = compile({'n', 'o', 't', ' ', 'w', 'a', 's', 'm'});
  ASSERT_FALSE(magic);
  EXPECT_NE(magic.error().message.find("magic"), std::string::npos) << magic.error().message;
}

// (module (memory 0) (data (i32.const 0) "a")): the segment does not fit; instantiation traps.
TEST_F(WabtInterp, SegmentOutOfBoundsTrapsAtInstantiation) {
  auto m = compile({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  //
                    0x05, 0x03, 0x01, 0x00, 0x00,                    // memory 0
                    0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x61});
  ASSERT_TRUE(m) << m.error().describe();
  auto i = (*m)->instantiate();
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().kind, ErrorKind::trap) << i.error().describe();
  EXPECT_EQ(i.error().trap, TrapKind::out_of_bounds_memory) << i.error().describe();
}

// (module (func (export "v") (result v128) (v128.const i64x2 0 0))): listed, not callable.
TEST_F(WabtInterp, ExportsWithUncarriableTypes) {
  std::vector<std::uint8_t> bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                     0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,  // type () -> v128
                                     0x03, 0x02, 0x01, 0x00,                    // func 0: type 0
                                     0x07, 0x05, 0x01, 0x01, 'v', 0x00, 0x00,   // export "v"
                                     0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c};
  bytes.insert(bytes.end(), 16, 0x00);
  bytes.push_back(0x0b);
  auto m = compile(bytes);
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ((*m)->exports().size(), 1u);
  EXPECT_EQ((*m)->exports()[0].kind, ExportKind::other);
  auto i = (*m)->instantiate();
  ASSERT_TRUE(i) << i.error().describe();
  EXPECT_TRUE((*i)->memory().empty());
  auto f = (*i)->func("v");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().kind, ErrorKind::signature_mismatch) << f.error().describe();
}

TEST_F(WabtInterp, UnresolvedImportsAreNamed) {
  auto m = engine_->load(guest("needs_import"));
  ASSERT_TRUE(m);
  auto i = (*m)->instantiate();
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().kind, ErrorKind::instantiation_failed);
  EXPECT_NE(i.error().message.find("env.host_log of type (i32) -> ()"), std::string::npos) << i.error().message;
  EXPECT_NE(i.error().message.find("needs_import"), std::string::npos) << i.error().message;
}

}  // namespace
}  // namespace wasmhop
