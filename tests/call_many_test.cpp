// Instance::call_many on every engine: the same values as one call at a time for every value
// type (over more calls than one of V8's loop chunks), calls made in order, a trap ending the
// batch at its call with the calls before it done, host functions inside, time limits, and the
// errors of wrong spans. Engines with Capabilities::call_many make the calls inside the engine
// (V8: a JS loop); the others in wasmhop's loop: both must agree with the per-call path.
#include <chrono>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "engine_fixture.hpp"

namespace wasmhop::testing {
namespace {

using namespace std::chrono_literals;
using CallMany = EngineTest;

// More calls than V8's scratch holds for two parameters and a result (8192 slots / 3): several
// entries into the loop, and a chunk that is not full.
constexpr std::size_t kCalls = 6000;

RawVal i32(std::int32_t v) { return RawVal{.i32 = v}; }
RawVal i64(std::int64_t v) { return RawVal{.i64 = v}; }
RawVal f32(float v) { return RawVal{.f32 = v}; }
RawVal f64(double v) { return RawVal{.f64 = v}; }

// call_many of `name` over `args` against one call per argument tuple, compared bit for bit
// (a 32-bit result in its low four bytes).
void expect_same_as_one_by_one(Instance& inst, const char* name, const std::vector<RawVal>& args) {
  SCOPED_TRACE(name);
  auto f = inst.func(name);
  ASSERT_TRUE(f) << f.error().describe();
  const std::size_t p = f->type->params.size();
  const std::size_t r = f->type->results.size();
  ASSERT_EQ(r, 1u);
  const std::size_t n = args.size() / p;
  std::vector<RawVal> many(n);
  ASSERT_TRUE(inst.call_many(*f, args, many, n));
  const bool narrow = f->type->results[0] == ValType::i32 || f->type->results[0] == ValType::f32;
  for (std::size_t k = 0; k < n; ++k) {
    RawVal one[1];
    ASSERT_TRUE(inst.call(*f, std::span(args).subspan(k * p, p), one));
    if (narrow) {
      ASSERT_EQ(std::memcmp(&many[k], &one[0], 4), 0) << "call " << k;
    } else {
      ASSERT_EQ(many[k].bits, one[0].bits) << "call " << k;
    }
  }
}

TEST_P(CallMany, EveryValueTypeMatchesOneCallAtATime) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  std::vector<RawVal> a32, a64, af32, af64, mixed, mixed6;
  for (std::size_t k = 0; k < kCalls; ++k) {
    const auto i = static_cast<std::int32_t>(k);
    a32.insert(a32.end(), {i32(static_cast<std::int32_t>(static_cast<std::uint32_t>(i) * 2654435761u)), i32(-i)});
    a64.insert(a64.end(), {i64(std::int64_t{i} << 40), i64(-std::int64_t{i} * 977)});
    af32.insert(af32.end(), {f32(static_cast<float>(i) * 0.37f), f32(1.5f - static_cast<float>(i))});
    af64.insert(af64.end(), {f64(static_cast<double>(i) / 3.0), f64(-2.25)});
    mixed.insert(mixed.end(), {i32(i), i64(std::int64_t{i} * -12345), f32(0.5f * static_cast<float>(i)), f64(1e300)});
    mixed6.insert(mixed6.end(), {i32(i), i64(std::int64_t{i} << 33), f32(0.25f * static_cast<float>(i)), f64(-1.5),
                                 i32(7 - i), i64(std::int64_t{i} * 7919)});
  }
  expect_same_as_one_by_one(*inst, "add_i32", a32);
  expect_same_as_one_by_one(*inst, "add_i64", a64);
  expect_same_as_one_by_one(*inst, "mul_f32", af32);
  expect_same_as_one_by_one(*inst, "mul_f64", af64);
  expect_same_as_one_by_one(*inst, "mixed", mixed);
  expect_same_as_one_by_one(*inst, "mixed6", mixed6);  // past the direct entries' four parameters
}

TEST_P(CallMany, CallsRunInOrderWithAndWithoutValues) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto bump = inst->func("bump");
  auto noop = inst->func("noop");
  ASSERT_TRUE(bump && noop);
  const std::int32_t before = *inst->call_by_name<std::int32_t>("counter");
  std::vector<RawVal> out(kCalls);
  ASSERT_TRUE(inst->call_many(*bump, {}, out, kCalls));
  for (std::size_t k = 0; k < kCalls; ++k) ASSERT_EQ(out[k].i32, before + static_cast<std::int32_t>(k) + 1) << k;
  ASSERT_TRUE(inst->call_many(*noop, {}, {}, kCalls));
  ASSERT_TRUE(inst->call_many(*noop, {}, {}, 0));
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("counter"), before + static_cast<std::int32_t>(kCalls));
}

// A zero divisor at call `at`: a trap naming the export and the call; the calls before it wrote
// their results, the ones after it did not run; the instance goes on.
void expect_trap_at(Instance& inst, std::size_t at) {
  SCOPED_TRACE(fmt::format("zero divisor at call {}", at));
  auto div = inst.func("div_s");
  ASSERT_TRUE(div);
  std::vector<RawVal> args;
  for (std::size_t k = 0; k < kCalls; ++k) {
    args.insert(args.end(), {i32(static_cast<std::int32_t>(k) * 91), i32(k == at ? 0 : 7)});
  }
  std::vector<RawVal> out(kCalls, i32(-1));
  auto st = inst.call_many(*div, args, out, kCalls);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::trap) << st.error().describe();
  EXPECT_EQ(st.error().trap, TrapKind::integer_divide_by_zero) << st.error().describe();
  EXPECT_NE(st.error().message.find("div_s"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find(fmt::format("call {} of {}", at, kCalls)), std::string::npos)
      << st.error().message;
  for (std::size_t k = 0; k < at; ++k) ASSERT_EQ(out[k].i32, static_cast<std::int32_t>(k) * 13) << k;
  for (std::size_t k = at; k < kCalls; ++k) ASSERT_EQ(out[k].i32, -1) << k;
  args[2 * at + 1] = i32(7);
  ASSERT_TRUE(inst.call_many(*div, args, out, kCalls));
  EXPECT_EQ(out[at].i32, static_cast<std::int32_t>(at) * 13);
}

TEST_P(CallMany, ATrapEndsTheBatchAtItsCall) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  for (std::size_t at : {std::size_t{0}, std::size_t{1}, std::size_t{2729}, std::size_t{2730}, kCalls - 1}) {
    expect_trap_at(*inst, at);
  }
  // The call stack running out inside a batch is a trap too, and the instance goes on.
  auto recurse = inst->func("recurse");
  ASSERT_TRUE(recurse);
  std::vector<RawVal> args{i32(3), i32(INT32_MAX), i32(3)};
  std::vector<RawVal> out(3, i32(-1));
  auto st = inst->call_many(*recurse, args, out, 3);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().trap, TrapKind::call_stack_exhausted) << st.error().describe();
  EXPECT_NE(st.error().message.find("call 1 of 3"), std::string::npos) << st.error().message;
  EXPECT_EQ(out[0].i32, ((((0 ^ 1) + 1) ^ 2) + 1 ^ 3) + 1);
  EXPECT_EQ(out[2].i32, -1);
}

TEST_P(CallMany, WrongSpansAndForeignHandlesAreRefused) {
  auto inst = instantiate("conformance");
  auto other = instantiate("conformance");
  ASSERT_TRUE(inst && other);
  auto add = inst->func("add_i32");
  ASSERT_TRUE(add);
  std::vector<RawVal> args(8, i32(1)), out(4);
  auto short_args = inst->call_many(*add, std::span(args).first(7), out, 4);
  ASSERT_FALSE(short_args);
  EXPECT_EQ(short_args.error().kind, ErrorKind::signature_mismatch);
  EXPECT_NE(short_args.error().message.find("add_i32"), std::string::npos) << short_args.error().message;
  auto short_out = inst->call_many(*add, args, std::span(out).first(3), 4);
  ASSERT_FALSE(short_out);
  EXPECT_EQ(short_out.error().kind, ErrorKind::signature_mismatch);
  auto huge = inst->call_many(*add, args, out, SIZE_MAX / 2 + 3);  // count * 2 wraps to 4
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().kind, ErrorKind::signature_mismatch);
  auto foreign = other->call_many(*add, args, out, 4);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().kind, ErrorKind::invalid_argument);
  ASSERT_TRUE(inst->call_many(*add, args, out, 4));
  EXPECT_EQ(out[3].i32, 2);
}

TEST_P(CallMany, HostFunctionsRunInsideAndTheirFailuresEndTheBatch) {
  if (!caps().host_functions) GTEST_SKIP() << "no host functions";
  std::vector<std::int32_t> notes;
  Imports im = host_calls_stubs();
  im.func("env", "note", [&](std::int32_t v) { notes.push_back(v); });
  im.func("env", "checked", [](std::int32_t v) -> Result<std::int32_t> {
    if (v < 0) return fail(ErrorKind::invalid_argument, "a negative value");
    return v * 10;
  });
  auto m = load("host_calls");
  ASSERT_TRUE(m);
  auto inst = m->instantiate({.imports = im});
  ASSERT_TRUE(inst) << inst.error().describe();
  auto note = (*inst)->func("call_note");
  auto checked = (*inst)->func("call_checked");
  ASSERT_TRUE(note && checked);
  std::vector<RawVal> args;
  for (std::size_t k = 0; k < kCalls; ++k) args.push_back(i32(static_cast<std::int32_t>(k)));
  ASSERT_TRUE((*inst)->call_many(*note, args, {}, kCalls));
  ASSERT_EQ(notes.size(), kCalls);
  for (std::size_t k = 0; k < kCalls; ++k) ASSERT_EQ(notes[k], static_cast<std::int32_t>(k));

  args[4000] = i32(-1);
  std::vector<RawVal> out(kCalls, i32(-1));
  auto st = (*inst)->call_many(*checked, args, out, kCalls);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::invalid_argument) << st.error().describe();
  EXPECT_NE(st.error().message.find("a negative value"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("call 4000 of"), std::string::npos) << st.error().message;
  EXPECT_EQ(out[3999].i32, 39991);
  EXPECT_EQ(out[4000].i32, -1);
}

// A call_many from inside a host function that runs within another call_many: on V8 the outer
// loop holds the scratch buffer, so the inner one goes one call at a time; the values agree.
TEST_P(CallMany, NestedInsideAHostFunction) {
  if (!caps().call_many || !caps().host_functions) GTEST_SKIP() << "engine makes no batches of its own";
  auto helper = instantiate("conformance");
  ASSERT_TRUE(helper);
  auto add = helper->func("add_i32");
  ASSERT_TRUE(add);
  Imports im = host_calls_stubs();
  im.func("env", "add", [&](std::int32_t a, std::int32_t b) -> Result<std::int32_t> {
    std::vector<RawVal> args{i32(a), i32(b), i32(a), i32(1)};
    std::vector<RawVal> out(2);
    if (auto st = helper->call_many(*add, args, out, 2); !st) return tl::unexpected(st.error());
    return out[0].i32 + out[1].i32 - a - 1;  // a + b
  });
  auto m = load("host_calls");
  ASSERT_TRUE(m);
  auto inst = m->instantiate({.imports = im});
  ASSERT_TRUE(inst) << inst.error().describe();
  auto call_add = (*inst)->func("call_add");
  ASSERT_TRUE(call_add);
  std::vector<RawVal> args, out(100);
  for (std::int32_t k = 0; k < 100; ++k) args.insert(args.end(), {i32(k), i32(3 * k)});
  ASSERT_TRUE((*inst)->call_many(*call_add, args, out, 100));
  for (std::int32_t k = 0; k < 100; ++k) ASSERT_EQ(out[static_cast<std::size_t>(k)].i32, 2 * (4 * k)) << k;
}

// Under a time limit each call keeps its own: an endless call stops at the limit.
TEST_P(CallMany, EachCallKeepsItsTimeLimit) {
  if (!caps().interruptible) GTEST_SKIP() << "not interruptible";
  auto m = load("hostile");
  ASSERT_TRUE(m);
  auto inst = m->instantiate({.call_timeout = 100ms});
  ASSERT_TRUE(inst) << inst.error().describe();
  auto ping = (*inst)->func("ping");
  auto spin = (*inst)->func("spin");
  ASSERT_TRUE(ping && spin);
  std::vector<RawVal> args(50, i32(1)), out(50);
  ASSERT_TRUE((*inst)->call_many(*ping, args, out, 50));
  EXPECT_EQ(out[49].i32, 2);
  std::vector<RawVal> spun(2);
  auto st = (*inst)->call_many(*spin, {}, spun, 2);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::timeout) << st.error().describe();
  EXPECT_NE(st.error().message.find("call 0 of 2"), std::string::npos) << st.error().message;
  ASSERT_TRUE((*inst)->call_many(*ping, args, out, 50));
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(CallMany);

}  // namespace
}  // namespace wasmhop::testing
