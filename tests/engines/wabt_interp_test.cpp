// wabt-interp specifics beyond the conformance suite: wabt's own trap texts, its call-stack
// limit hit again and again, per-instance stores (instances on different threads), instantiation
// traps from segments, exports whose types the packed convention cannot carry.
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
  EXPECT_FALSE(info.caps.interruptible);
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

// The C++ guest: each exhausted recursion leaves the guest's shadow-stack pointer where the trap
// found it (wasm does not unwind it), 16 bytes per frame times wabt's ~1600 frames. Two in a row
// still fit in the 64 KiB shadow stack and the instance carries on.
TEST_F(WabtInterp, CppGuestRecursionTwiceThenUsable) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  for (int i = 0; i < 2; ++i) {
    auto r = inst->call_by_name<std::int32_t>("recurse", INT32_MAX);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().trap, TrapKind::call_stack_exhausted) << r.error().describe();
  }
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse", 100), 5050);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("bump"), 1);
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
  EXPECT_NE(i.error().message.find("env.host_log (func)"), std::string::npos) << i.error().message;
  EXPECT_NE(i.error().message.find("needs_import"), std::string::npos) << i.error().message;
}

}  // namespace
}  // namespace wasmhop
