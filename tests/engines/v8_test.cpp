// V8-specific behaviour: the tier is process-global, out-of-bounds traps go through V8's
// guard-page trap handler, the memory view follows growth, calls from other threads fail
// cleanly, and signatures the conformance script does not have (many parameters, several
// results, an export under two names, a v128 parameter). This process runs V8's dynamic tier.
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <thread>

#include <gtest/gtest.h>

#include "engines/v8/v8_introspection.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop {
namespace {

std::filesystem::path guest(const char* name) {
  return std::filesystem::path(WASMHOP_GUEST_DIR) / (std::string(name) + ".wasm");
}

// The one V8 engine of this process (dynamic tier); null when wasmhop was built without V8.
Engine* v8_engine() {
  static std::unique_ptr<Engine> engine = [] {
    auto e = create_engine("v8");
    return e ? std::move(*e) : nullptr;
  }();
  return engine.get();
}

#define REQUIRE_V8()                                                          \
  Engine* engine = v8_engine();                                               \
  if (engine == nullptr) GTEST_SKIP() << "wasmhop was built without V8"

std::unique_ptr<Instance> instantiate(Engine& engine, const char* name) {
  auto m = engine.load(guest(name));
  EXPECT_TRUE(m) << m.error().describe();
  if (!m) return nullptr;
  auto i = (*m)->instantiate();
  EXPECT_TRUE(i) << i.error().describe();
  return i ? std::move(*i) : nullptr;
}

// A tiny hand-encoded module (the build has no wat for these cases).
std::vector<std::uint8_t> multi_module() {
  auto uleb = [](std::vector<std::uint8_t>& out, std::uint32_t v) {
    do {
      std::uint8_t b = v & 0x7f;
      v >>= 7;
      out.push_back(v != 0 ? (b | 0x80) : b);
    } while (v != 0);
  };
  std::vector<std::uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto section = [&](std::uint8_t id, const std::vector<std::uint8_t>& body) {
    m.push_back(id);
    uleb(m, static_cast<std::uint32_t>(body.size()));
    m.insert(m.end(), body.begin(), body.end());
  };
  constexpr std::uint8_t i32 = 0x7f, i64 = 0x7e, v128 = 0x7b;
  // Types: 0 () -> i32; 1 (i32 x10) -> i32; 2 () -> (i32, i64); 3 (v128) -> (); 4 (i64) -> i64
  std::vector<std::uint8_t> types = {5, 0x60, 0, 1, i32, 0x60, 10};
  for (int i = 0; i < 10; ++i) types.push_back(i32);
  types.insert(types.end(), {1, i32, 0x60, 0, 2, i32, i64, 0x60, 1, v128, 0, 0x60, 1, i64, 1, i64});
  section(1, types);
  section(3, {5, 0, 1, 2, 3, 4});
  std::vector<std::uint8_t> exports = {6};
  auto add_export = [&](const char* name, std::uint8_t func) {
    exports.push_back(static_cast<std::uint8_t>(std::strlen(name)));
    exports.insert(exports.end(), name, name + std::strlen(name));
    exports.insert(exports.end(), {0x00, func});  // kind: function
  };
  add_export("answer", 0);
  add_export("also_answer", 0);
  add_export("sum10", 1);
  add_export("pair", 2);
  add_export("takes_v128", 3);
  add_export("id64", 4);
  section(7, exports);
  std::vector<std::vector<std::uint8_t>> bodies = {
      {0x00, 0x41, 42, 0x0b},                                  // i32.const 42
      {0x00, 0x20, 0},                                          // sum of ten params
      {0x00, 0x41, 7, 0x42, 0x77, 0x0b},                        // i32.const 7, i64.const -9
      {0x00, 0x0b},                                             // (v128) nothing
      {0x00, 0x20, 0, 0x0b},                                    // local.get 0
  };
  for (std::uint8_t i = 1; i < 10; ++i) bodies[1].insert(bodies[1].end(), {0x20, i, 0x6a});
  bodies[1].push_back(0x0b);
  std::vector<std::uint8_t> code = {static_cast<std::uint8_t>(bodies.size())};
  for (const auto& b : bodies) {
    uleb(code, static_cast<std::uint32_t>(b.size()));
    code.insert(code.end(), b.begin(), b.end());
  }
  section(10, code);
  return m;
}

TEST(V8Engine, InfoForEveryTierWithoutStartingV8) {
  const struct {
    const char* id;
    const char* tier;
  } tiers[] = {{"v8", "dynamic"}, {"v8-liftoff", "baseline"}, {"v8-turbofan", "optimizing"}};
  for (const auto& t : tiers) {
    auto e = create_engine(t.id);
    if (!e && e.error().kind == ErrorKind::engine_unavailable) GTEST_SKIP() << e.error().describe();
    ASSERT_TRUE(e) << e.error().describe();
    const EngineInfo& info = (*e)->info();
    EXPECT_EQ(info.id, t.id);
    EXPECT_EQ(info.name, "V8");
    EXPECT_EQ(info.tier, t.tier);
    EXPECT_TRUE(info.version.starts_with("10.")) << info.version;
    EXPECT_TRUE(info.caps.jit);
    EXPECT_TRUE(info.caps.tier_fixed_per_process);
    EXPECT_TRUE(info.caps.traps_recoverable);
    EXPECT_TRUE(info.caps.sandboxed);
    EXPECT_TRUE(info.caps.interruptible);  // watchdog thread: InstanceOptions::call_timeout
    EXPECT_FALSE(info.caps.any_thread);    // an isolate is entered from the thread that made it
  }
}

TEST(V8Engine, OneTierPerProcess) {
  REQUIRE_V8();
  auto bytes = read_file(guest("conformance"));
  ASSERT_TRUE(bytes);
  ASSERT_TRUE(engine->compile(*bytes, "conformance"));  // starts V8 with the dynamic tier
  for (const char* other : {"v8-liftoff", "v8-turbofan"}) {
    auto e = create_engine(other);
    ASSERT_TRUE(e) << "listing an engine never needs V8 to start";
    auto m = (*e)->compile(*bytes, "conformance");
    ASSERT_FALSE(m) << other;
    EXPECT_EQ(m.error().kind, ErrorKind::engine_unavailable);
    EXPECT_NE(m.error().message.find("dynamic"), std::string::npos) << m.error().message;
    EXPECT_NE(m.error().message.find("one process per V8 tier"), std::string::npos) << m.error().message;
  }
  // A second engine object of the running tier shares it.
  auto same = create_engine("v8");
  ASSERT_TRUE(same);
  EXPECT_TRUE((*same)->compile(*bytes, "conformance"));
}

TEST(V8Engine, OutOfBoundsTrapsComeFromTheGuardPages) {
  REQUIRE_V8();
  auto inst = instantiate(*engine, "conformance");
  ASSERT_TRUE(inst);
  ASSERT_TRUE(v8engine::trap_handler_enabled())
      << "V8 fell back to explicit bounds checks (no trap handler on this platform)";
  auto load = inst->typed<std::int32_t(std::int32_t)>("load_u32");
  ASSERT_TRUE(load);
  const auto size = static_cast<std::int32_t>(inst->memory().size());
  for (std::int32_t addr : {size, size - 3, -4, INT32_MAX}) {
    const std::uint64_t before = v8engine::trap_handler_hits();
    auto r = (*load)(addr);
    ASSERT_FALSE(r) << addr;
    EXPECT_EQ(r.error().trap, TrapKind::out_of_bounds_memory) << r.error().describe();
    EXPECT_NE(r.error().message.find("memory access out of bounds"), std::string::npos) << r.error().message;
    EXPECT_EQ(v8engine::trap_handler_hits(), before + 1) << "address " << addr << " was not a guard-page fault";
  }
  EXPECT_EQ(*(*load)(size - 4), 0);  // the last word is in bounds
}

TEST(V8Engine, TrapTextAndRecoveryWithoutTryCatch) {
  REQUIRE_V8();
  auto inst = instantiate(*engine, "traps");
  ASSERT_TRUE(inst);
  auto div = inst->typed<std::int32_t(std::int32_t)>("div_by_zero");
  auto ok = inst->typed<std::int32_t()>("ok");
  ASSERT_TRUE(div && ok);
  for (int round = 0; round < 3; ++round) {
    auto r = (*div)(0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(inst->last_error_detail(), "RuntimeError: divide by zero");
    EXPECT_NE(r.error().message.find("div_by_zero"), std::string::npos) << r.error().message;
    EXPECT_EQ(*(*div)(1), 1);
    EXPECT_EQ(*(*ok)(), 42);
  }
  auto deep = inst->call_by_name<std::int32_t>("recurse", 0);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().trap, TrapKind::call_stack_exhausted);
  EXPECT_NE(inst->last_error_detail().find("Maximum call stack size exceeded"), std::string::npos);
  EXPECT_EQ(*(*ok)(), 42);
}

TEST(V8Engine, MemoryViewFollowsGrowthFromInsideTheGuest) {
  REQUIRE_V8();
  auto inst = instantiate(*engine, "conformance");
  ASSERT_TRUE(inst);
  auto grow = inst->typed<std::int32_t(std::int32_t)>("memory_grow");
  auto load = inst->typed<std::int32_t(std::int32_t)>("load_u32");
  auto store = inst->typed<void(std::int32_t, std::int32_t)>("store_u32");
  ASSERT_TRUE(grow && load && store);
  const GuestMemory before = inst->memory();
  ASSERT_FALSE(before.empty());
  ASSERT_TRUE(before.write<std::int32_t>(16, 1234));
  for (int step = 1; step <= 4; ++step) {
    ASSERT_GE(*(*grow)(step), 0);
    const GuestMemory after = inst->memory();
    ASSERT_EQ(after.size(), before.size() + std::uint64_t(65536) * (step * (step + 1) / 2));
    // V8 grows a guarded reservation in place; the view still comes from the new buffer.
    EXPECT_EQ(after.bytes(0, 1)->data(), before.bytes(0, 1)->data());
    EXPECT_EQ(*after.read<std::int32_t>(16), 1234);
    const auto last = static_cast<std::int32_t>(after.size() - 4);
    ASSERT_TRUE((*store)(last, step));
    EXPECT_EQ(*after.read<std::int32_t>(static_cast<std::uint64_t>(last)), step);
    ASSERT_TRUE(after.write<std::int32_t>(static_cast<std::uint64_t>(last), -step));
    EXPECT_EQ(*(*load)(last), -step);
  }
  // memory.grow(0) also hands JS a new buffer: the view stays right.
  const std::uint64_t size = inst->memory().size();
  EXPECT_GE(*(*grow)(0), 0);
  EXPECT_EQ(inst->memory().size(), size);

  // Its cost (printed, not asserted): the view is cached until growth detaches the buffer.
  constexpr int kViews = 2'000'000;
  std::uint64_t sink = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kViews; ++i) sink += inst->memory().size();
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / kViews;
  std::printf("[   INFO   ] Instance::memory(): %.2f ns per view (sink %llu)\n", ns,
              static_cast<unsigned long long>(sink & 1));
  RecordProperty("memory_view_ns", std::to_string(ns));
}

TEST(V8Engine, ScalarEdgesCrossTheJsBoundaryIntact) {
  REQUIRE_V8();
  auto inst = instantiate(*engine, "conformance");
  ASSERT_TRUE(inst);
  auto add64 = inst->typed<std::int64_t(std::int64_t, std::int64_t)>("add_i64");
  auto addu64 = inst->typed<std::uint64_t(std::uint64_t, std::uint64_t)>("add_i64");
  auto add32 = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  auto mulf = inst->typed<float(float, float)>("mul_f32");
  auto muld = inst->typed<double(double, double)>("mul_f64");
  ASSERT_TRUE(add64 && addu64 && add32 && mulf && muld);
  EXPECT_EQ(*(*add64)(INT64_MIN, -1), INT64_MAX);
  EXPECT_EQ(*(*add64)(INT64_MAX, 1), INT64_MIN);
  EXPECT_EQ(*(*addu64)(UINT64_MAX, 2), 1u);
  EXPECT_EQ(*(*add32)(INT32_MIN, INT32_MIN), 0);
  EXPECT_EQ(*(*add32)(INT32_MIN, 0), INT32_MIN);
  EXPECT_EQ(*(*mulf)(3.0e38f, 10.0f), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(*(*muld)(std::numeric_limits<double>::quiet_NaN(), 1.0)));
  EXPECT_EQ(*(*muld)(-0.0, 1.0), 0.0);
  EXPECT_TRUE(std::signbit(*(*muld)(-0.0, 1.0)));
}

TEST(V8Engine, SignaturesBeyondTheFastPaths) {
  REQUIRE_V8();
  auto m = engine->compile(multi_module(), "multi");
  ASSERT_TRUE(m) << m.error().describe();
  auto inst = (*m)->instantiate();
  ASSERT_TRUE(inst) << inst.error().describe();
  Instance& in = **inst;

  // One function under two names: each name is found and named in errors.
  auto a = in.func("answer");
  auto b = in.func("also_answer");
  ASSERT_TRUE(a && b);
  EXPECT_STREQ(a->name, "answer");
  EXPECT_STREQ(b->name, "also_answer");
  EXPECT_EQ(*in.call_by_name<std::int32_t>("also_answer"), 42);

  // Ten parameters: the generic path with its spill array.
  using Sum10 = std::int32_t(std::int32_t, std::int32_t, std::int32_t, std::int32_t, std::int32_t,
                             std::int32_t, std::int32_t, std::int32_t, std::int32_t, std::int32_t);
  auto sum10 = in.typed<Sum10>("sum10");
  ASSERT_TRUE(sum10) << sum10.error().describe();
  EXPECT_EQ(*(*sum10)(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 55);
  EXPECT_EQ(*(*sum10)(-1, -2, -3, -4, -5, -6, -7, -8, -9, INT32_MIN), static_cast<std::int32_t>(0x80000000u - 45u));

  // Two results come back from V8 as an array.
  auto pair = in.func("pair");
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->type->to_string(), "() -> (i32, i64)");
  RawVal results[2];
  ASSERT_TRUE(in.call(*pair, {}, results));
  EXPECT_EQ(results[0].i32, 7);
  EXPECT_EQ(results[1].i64, -9);

  auto id64 = in.typed<std::int64_t(std::int64_t)>("id64");
  ASSERT_TRUE(id64);
  EXPECT_EQ(*(*id64)(INT64_MIN), INT64_MIN);

  // A v128 parameter cannot cross wasmhop's interface: listed, but refused by name.
  bool listed = false;
  for (const auto& e : (*m)->exports()) listed |= e.name == "takes_v128";
  EXPECT_TRUE(listed);
  auto v = in.func("takes_v128");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().kind, ErrorKind::signature_mismatch);
  EXPECT_NE(v.error().message.find("v128"), std::string::npos) << v.error().message;
}

TEST(V8Engine, OtherThreadsGetErrorsNotCrashes) {
  REQUIRE_V8();
  auto inst = instantiate(*engine, "conformance");
  ASSERT_TRUE(inst);
  auto add = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  auto mixed = inst->typed<double(std::int32_t, std::int64_t, float, double)>("mixed");
  ASSERT_TRUE(add && mixed);
  auto bytes = read_file(guest("conformance"));
  ASSERT_TRUE(bytes);
  std::thread([&] {
    auto r = (*add)(1, 2);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("thread"), std::string::npos) << r.error().describe();
    EXPECT_FALSE((*mixed)(1, 2, 3, 4));
    auto f = inst->func("add_i32");
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().kind, ErrorKind::engine_unavailable);
    auto m = engine->compile(*bytes, "conformance");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().kind, ErrorKind::engine_unavailable);
  }).join();
  EXPECT_EQ(*(*add)(1, 2), 3);  // the V8 thread carries on
}

TEST(V8Engine, ManyInstancesComeAndGo) {
  REQUIRE_V8();
  auto m = engine->load(guest("conformance"));
  ASSERT_TRUE(m);
  // Each instance reserves V8's guarded address range for its memory; dropped instances must
  // give theirs back (through V8's GC) or this runs out of address space.
  for (int i = 0; i < 300; ++i) {
    auto inst = (*m)->instantiate();
    ASSERT_TRUE(inst) << "instance " << i << ": " << inst.error().describe();
    ASSERT_EQ(*(*inst)->call_by_name<std::int32_t>("bump"), 1);
  }
}

}  // namespace
}  // namespace wasmhop
