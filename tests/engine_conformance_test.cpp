// Engine conformance: the same expectations for every engine (and native mode).
#include <climits>
#include <cstring>

#include "engine_fixture.hpp"

namespace wasmhop::testing {
namespace {

using Conformance = EngineTest;

TEST_P(Conformance, CompilesInstantiatesAndListsExports) {
  auto module = load("conformance");
  ASSERT_TRUE(module);
  EXPECT_GT(module->compile_seconds(), 0.0);
  EXPECT_EQ(module->name(), "conformance");
  bool found = false;
  for (const auto& e : module->exports()) {
    if (e.name == "add_i32") {
      found = true;
      EXPECT_EQ(e.kind, ExportKind::function);
      EXPECT_EQ(e.type.to_string(), "(i32, i32) -> (i32)");
    }
  }
  EXPECT_TRUE(found);
  auto inst = module->instantiate();
  ASSERT_TRUE(inst) << inst.error().describe();
  EXPECT_GT((*inst)->instantiate_seconds(), 0.0);
  module.reset();  // an instance outlives its module
  auto add = (*inst)->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  ASSERT_TRUE(add) << add.error().describe();
  EXPECT_EQ(*(*add)(2, 3), 5);
}

TEST_P(Conformance, TypedCallsOfEveryValueType) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto add32 = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  auto add64 = inst->typed<std::int64_t(std::int64_t, std::int64_t)>("add_i64");
  auto mulf = inst->typed<float(float, float)>("mul_f32");
  auto muld = inst->typed<double(double, double)>("mul_f64");
  auto mixed = inst->typed<double(std::int32_t, std::int64_t, float, double)>("mixed");
  auto noop = inst->typed<void()>("noop");
  ASSERT_TRUE(add32 && add64 && mulf && muld && mixed && noop);
  EXPECT_EQ(*(*add32)(40, 2), 42);
  EXPECT_EQ(*(*add32)(INT32_MAX, 1), INT32_MIN);  // wraps, as wasm i32.add does
  EXPECT_EQ(*(*add64)(std::int64_t{1} << 40, 5), (std::int64_t{1} << 40) + 5);
  EXPECT_EQ(*(*add64)(-7, 3), -4);
  EXPECT_FLOAT_EQ(*(*mulf)(1.5f, -2.0f), -3.0f);
  EXPECT_DOUBLE_EQ(*(*muld)(0.1, 3.0), 0.1 * 3.0);
  EXPECT_DOUBLE_EQ(*(*mixed)(1, std::int64_t{1} << 33, 0.5f, 0.25), 1.0 + 8589934592.0 + 0.75);
  EXPECT_TRUE((*noop)().has_value());
  // Unsigned host types map to the same wasm types.
  auto addu = inst->typed<std::uint32_t(std::uint32_t, std::uint32_t)>("add_i32");
  ASSERT_TRUE(addu);
  EXPECT_EQ(*(*addu)(0xFFFFFFFFu, 2u), 1u);
}

TEST_P(Conformance, InstanceStateAndIsolation) {
  auto a = instantiate("conformance");
  auto b = instantiate("conformance");
  ASSERT_TRUE(a && b);
  auto bump_a = a->typed<std::int32_t()>("bump");
  auto bump_b = b->typed<std::int32_t()>("bump");
  ASSERT_TRUE(bump_a && bump_b);
  EXPECT_EQ(*(*bump_a)(), 1);
  EXPECT_EQ(*(*bump_a)(), 2);
  EXPECT_EQ(*(*bump_b)(), 1);  // instances do not share globals
  EXPECT_EQ(*a->call_by_name<std::int32_t>("counter"), 2);
}

TEST_P(Conformance, UntypedCall) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto f = inst->func("add_i64");
  ASSERT_TRUE(f) << f.error().describe();
  RawVal args[2];
  args[0].i64 = 1000000000000;
  args[1].i64 = 1;
  RawVal result[1];
  ASSERT_TRUE(inst->call(*f, args, result));
  EXPECT_EQ(result[0].i64, 1000000000001);
  auto wrong = inst->call(*f, std::span<const RawVal>(args, 1), result);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::signature_mismatch);
}

TEST_P(Conformance, MemoryViewReadsAndWrites) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto alloc = inst->typed<std::int32_t(std::int32_t)>("alloc_buffer");
  auto sum = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("sum_bytes");
  auto fill = inst->typed<void(std::int32_t, std::int32_t, std::int32_t)>("fill_bytes");
  ASSERT_TRUE(alloc && sum && fill);
  const std::int32_t ptr = *(*alloc)(100);
  ASSERT_GT(ptr, 0);
  GuestMemory mem = inst->memory();
  ASSERT_FALSE(mem.empty());
  ASSERT_TRUE(mem.contains(static_cast<std::uint32_t>(ptr), 100));
  std::vector<std::uint8_t> data(100);
  int expected = 0;
  for (int i = 0; i < 100; ++i) {
    data[i] = static_cast<std::uint8_t>(i * 7);
    expected += data[i];
  }
  ASSERT_TRUE(mem.write_bytes(static_cast<std::uint32_t>(ptr), data));
  EXPECT_EQ(*(*sum)(ptr, 100), expected);
  ASSERT_TRUE((*fill)(ptr, 10, 200));
  mem = inst->memory();
  auto bytes = mem.bytes(static_cast<std::uint32_t>(ptr), 10);
  ASSERT_TRUE(bytes);
  for (int i = 0; i < 10; ++i) EXPECT_EQ((*bytes)[i], static_cast<std::uint8_t>(200 + i));
  auto word = mem.read<std::uint32_t>(static_cast<std::uint32_t>(ptr));
  ASSERT_TRUE(word);
  EXPECT_EQ(*word, 200u | 201u << 8 | 202u << 16 | 203u << 24);
  // Out-of-range views are errors, never accesses.
  auto past = mem.bytes(mem.size() - 1, 2);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().kind, ErrorKind::out_of_bounds);
  EXPECT_FALSE(mem.read<std::uint32_t>(mem.size()));
  EXPECT_FALSE(mem.bytes(UINT64_MAX, 2));  // no wrap-around
  EXPECT_TRUE(mem.bytes(mem.size(), 0));
}

TEST_P(Conformance, MemoryGrowthRefreshesTheView) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto pages = inst->typed<std::int32_t()>("memory_pages");
  auto grow = inst->typed<std::int32_t(std::int32_t)>("memory_grow");
  auto load = inst->typed<std::int32_t(std::int32_t)>("load_u32");
  ASSERT_TRUE(pages && grow && load);
  const std::int32_t before = *(*pages)();
  ASSERT_GT(before, 0);
  EXPECT_EQ(inst->memory().size(), std::uint64_t(before) * 65536);
  EXPECT_EQ(*(*grow)(3), before);
  EXPECT_EQ(*(*pages)(), before + 3);
  GuestMemory mem = inst->memory();
  ASSERT_EQ(mem.size(), std::uint64_t(before + 3) * 65536);
  const std::uint64_t last = mem.size() - 4;
  ASSERT_TRUE(mem.write<std::int32_t>(last, 0x12345678));
  EXPECT_EQ(*(*load)(static_cast<std::int32_t>(last)), 0x12345678);
  EXPECT_EQ(*(*grow)(70000), -1);  // beyond 4 GiB: refused, not a trap
  EXPECT_EQ(inst->memory().size(), mem.size());
}

TEST_P(Conformance, LookupByNameAndErrors) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto r = inst->call_by_name<std::int32_t>("add_i32", 4, 5);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, 9);

  auto missing = inst->typed<std::int32_t()>("no_such_export");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::missing_export);
  EXPECT_NE(missing.error().message.find("no_such_export"), std::string::npos);
  EXPECT_NE(missing.error().message.find("conformance"), std::string::npos);

  auto wrong = inst->typed<std::int64_t(std::int32_t, std::int32_t)>("add_i32");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::signature_mismatch);
  EXPECT_NE(wrong.error().message.find("(i32, i32) -> (i32)"), std::string::npos);
  EXPECT_NE(wrong.error().message.find("(i32, i32) -> (i64)"), std::string::npos);

  auto arity = inst->call_by_name<std::int32_t>("add_i32", 1);
  ASSERT_FALSE(arity);
  EXPECT_EQ(arity.error().kind, ErrorKind::signature_mismatch);
  auto gone = inst->call_by_name<std::int32_t>("nope", 1);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::missing_export);
}

TEST_P(Conformance, MalformedAndTruncatedModules) {
  auto expect_malformed = [&](const std::vector<std::uint8_t>& bytes, const char* what) {
    auto m = load_bytes(bytes);
    ASSERT_FALSE(m) << what;
    EXPECT_EQ(m.error().kind, ErrorKind::malformed_module) << what << ": " << m.error().describe();
    EXPECT_FALSE(m.error().message.empty());
  };
  expect_malformed({}, "empty");
  expect_malformed({'n', 'o', 't', ' ', 'w', 'a', 's', 'm'}, "bad magic");
  expect_malformed({0, 'a', 's', 'm', 2, 0, 0, 0}, "bad version");
  auto good = read_file(guest_path("conformance"));
  ASSERT_TRUE(good);
  for (std::size_t cut : {std::size_t{9}, good->size() / 2, good->size() - 1}) {
    std::vector<std::uint8_t> truncated(good->begin(), good->begin() + static_cast<long>(cut));
    expect_malformed(truncated, "truncated");
  }
  auto missing_file = engine().load("/nonexistent/dir/x.wasm");
  ASSERT_FALSE(missing_file);
  EXPECT_EQ(missing_file.error().kind, ErrorKind::io_error);
}

// Every trap comes back as an error naming its kind; the instance stays usable afterwards
// (the rule: memory and globals keep what the trapped call left; calls work as before).
TEST_P(Conformance, TrapsAreErrorsAndTheInstanceCarriesOn) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto bump = inst->typed<std::int32_t()>("bump");
  auto add = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  ASSERT_TRUE(bump && add);
  std::int32_t count = 0;
  auto expect_trap = [&](const Result<std::int32_t>& r, TrapKind kind, const char* export_name) {
    ASSERT_FALSE(r) << export_name;
    EXPECT_EQ(r.error().kind, ErrorKind::trap) << r.error().describe();
    EXPECT_EQ(r.error().trap, kind) << r.error().describe();
    EXPECT_NE(r.error().message.find(export_name), std::string::npos) << r.error().message;
    EXPECT_EQ(*(*add)(20, 22), 42);
    EXPECT_EQ(*(*bump)(), ++count);
  };
  EXPECT_EQ(*(*bump)(), ++count);

  auto unreachable = inst->typed<void()>("trap_unreachable");
  ASSERT_TRUE(unreachable);
  auto r = (*unreachable)();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().trap, TrapKind::unreachable) << r.error().describe();
  EXPECT_EQ(*(*add)(1, 1), 2);

  expect_trap(inst->call_by_name<std::int32_t>("div_s", 7, 0), TrapKind::integer_divide_by_zero, "div_s");
  const auto size = static_cast<std::int32_t>(inst->memory().size());
  expect_trap(inst->call_by_name<std::int32_t>("load_u32", size), TrapKind::out_of_bounds_memory, "load_u32");
  expect_trap(inst->call_by_name<std::int32_t>("load_u32", -4), TrapKind::out_of_bounds_memory, "load_u32");
  expect_trap(inst->call_by_name<std::int32_t>("recurse", INT32_MAX), TrapKind::call_stack_exhausted, "recurse");
  expect_trap(inst->call_by_name<std::int32_t>("recurse_indirect", INT32_MAX), TrapKind::call_stack_exhausted,
              "recurse_indirect");
  // Twice in a row: the guard is re-armed after each trap.
  expect_trap(inst->call_by_name<std::int32_t>("div_s", 1, 0), TrapKind::integer_divide_by_zero, "div_s");
  expect_trap(inst->call_by_name<std::int32_t>("recurse", INT32_MAX), TrapKind::call_stack_exhausted, "recurse");
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse_indirect", 10), 55);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse", 3), ((((0 ^ 1) + 1) ^ 2) + 1 ^ 3) + 1);

  // Exhausting the guest's C stack (in linear memory on wasm engines) traps, leaves the guest's
  // globals intact (guests are linked --stack-first) and, because wasmhop resets the guest's
  // stack pointer after a trap, does not leak stack: a fourth deep call still has all of it.
  for (int round = 0; round < 4; ++round) {
    auto deep = inst->call_by_name<std::int32_t>("recurse_big_frames", INT32_MAX);
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().kind, ErrorKind::trap) << deep.error().describe();
    EXPECT_TRUE(deep.error().trap == TrapKind::out_of_bounds_memory ||
                deep.error().trap == TrapKind::call_stack_exhausted)
        << deep.error().describe();
    EXPECT_EQ(*(*bump)(), ++count);
    EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse_big_frames", 40), 40);
  }
}

// Hand-written wat modules: wasm engines only (the native engine runs C++ scripts).
TEST_P(Conformance, HandWrittenTraps) {
  if (!caps().loads_wasm) GTEST_SKIP() << "native runs the C++ scripts only; its traps are tested above";
  auto inst = instantiate("traps");
  ASSERT_TRUE(inst);
  auto check = [&](const Result<std::int32_t>& r, TrapKind kind) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::trap) << r.error().describe();
    EXPECT_EQ(r.error().trap, kind) << r.error().describe();
    EXPECT_EQ(*inst->call_by_name<std::int32_t>("ok"), 42);
  };
  auto unreachable = inst->call_by_name<void>("unreachable");
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().trap, TrapKind::unreachable) << unreachable.error().describe();
  check(inst->call_by_name<std::int32_t>("div_by_zero", 0), TrapKind::integer_divide_by_zero);
  check(inst->call_by_name<std::int32_t>("div_overflow", -1), TrapKind::integer_overflow);
  check(inst->call_by_name<std::int32_t>("oob_load", 65536 - 2), TrapKind::out_of_bounds_memory);
  check(inst->call_by_name<std::int32_t>("recurse", 0), TrapKind::call_stack_exhausted);
  check(inst->call_by_name<std::int32_t>("trunc_nan"), TrapKind::invalid_conversion);
}

TEST_P(Conformance, InstantiationFailures) {
  if (!caps().loads_wasm) GTEST_SKIP() << "native scripts have no imports or start functions";
  auto needs = load("needs_import");
  ASSERT_TRUE(needs);
  auto i = needs->instantiate();
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().kind, ErrorKind::instantiation_failed) << i.error().describe();
  EXPECT_NE(i.error().message.find("host_log"), std::string::npos) << i.error().message;

  auto start = load("start_trap");
  ASSERT_TRUE(start);
  auto s = start->instantiate();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::trap) << s.error().describe();
  EXPECT_EQ(s.error().trap, TrapKind::unreachable) << s.error().describe();
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(Conformance);

}  // namespace
}  // namespace wasmhop::testing
