// TrapScope on every engine: inside a scope every trap still comes back as an Error of kind trap
// to the very call that trapped (typed, by name, untyped), calls after it run as before, host
// functions that fail or re-enter the guest keep their errors; the scope arms the guard exactly on
// the engines whose calls the host guards (Capabilities::trap_scope) and nothing elsewhere.
#include <thread>
#include <vector>

#include "engine_fixture.hpp"

namespace wasmhop::testing {
namespace {

using TrapScopes = EngineTest;

void expect_trap(const Result<std::int32_t>& r, TrapKind kind, const char* export_name) {
  ASSERT_FALSE(r) << export_name << " returned " << *r;
  EXPECT_EQ(r.error().kind, ErrorKind::trap) << r.error().describe();
  EXPECT_EQ(r.error().trap, kind) << r.error().describe();
  EXPECT_NE(r.error().message.find(export_name), std::string::npos) << r.error().message;
}

TEST_P(TrapScopes, ArmsOnlyWhereTheEngineGuardsCalls) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  EXPECT_FALSE(detail::in_trap_scope());
  {
    const TrapScope scope(*inst);
    EXPECT_EQ(scope.armed(), caps().trap_scope);
    EXPECT_EQ(detail::in_trap_scope(), caps().trap_scope);
    {
      const TrapScope inner(*inst);  // scopes nest
      EXPECT_EQ(detail::in_trap_scope(), caps().trap_scope);
    }
    EXPECT_EQ(detail::in_trap_scope(), caps().trap_scope);
  }
  EXPECT_FALSE(detail::in_trap_scope());
  auto div = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  ASSERT_TRUE(div);
  EXPECT_EQ(div->untyped().scoped_direct, caps().trap_scope) << "direct entries that skip the guard where the scope arms";
}

// The trap reaches the call that made it, and only that call: in a loop where every seventh call
// divides by zero, each result is right and each trap lands on its own iteration.
TEST_P(TrapScopes, EachTrapReachesItsOwnCall) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto div = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  auto bump = inst->typed<std::int32_t()>("bump");
  ASSERT_TRUE(div && bump);
  const TrapScope scope(*inst);
  int traps = 0;
  std::int32_t count = 0;
  for (std::int32_t i = 0; i < 700; ++i) {
    const std::int32_t d = i % 7 == 3 ? 0 : 1 + i % 5;
    auto r = (*div)(i * 11, d);
    if (d == 0) {
      expect_trap(r, TrapKind::integer_divide_by_zero, "div_s");
      ++traps;
    } else {
      ASSERT_TRUE(r) << "call " << i << ": " << r.error().describe();
      EXPECT_EQ(*r, i * 11 / d) << "call " << i;
    }
    EXPECT_EQ(*(*bump)(), ++count) << "globals survive the traps";
  }
  EXPECT_EQ(traps, 100);
}

// The conformance suite's traps, all inside one scope, through every call path.
TEST_P(TrapScopes, EveryKindOfTrapThroughEveryCallPath) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto add = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  auto unreachable = inst->typed<void()>("trap_unreachable");
  auto div = inst->func("div_s");
  ASSERT_TRUE(add && unreachable && div);
  const TrapScope scope(*inst);
  auto ok = [&] { EXPECT_EQ(*(*add)(20, 22), 42); };

  auto u = (*unreachable)();
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().trap, TrapKind::unreachable) << u.error().describe();
  ok();
  const auto size = static_cast<std::int32_t>(inst->memory().size());
  expect_trap(inst->call_by_name<std::int32_t>("load_u32", size), TrapKind::out_of_bounds_memory, "load_u32");
  ok();
  expect_trap(inst->call_by_name<std::int32_t>("load_u32", -4), TrapKind::out_of_bounds_memory, "load_u32");
  ok();
  expect_trap(inst->call_by_name<std::int32_t>("recurse", INT32_MAX), TrapKind::call_stack_exhausted, "recurse");
  ok();
  expect_trap(inst->call_by_name<std::int32_t>("recurse_indirect", INT32_MAX), TrapKind::call_stack_exhausted,
              "recurse_indirect");
  ok();
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse_indirect", 10), 55);

  // The untyped path (the paper's value arrays) under the scope.
  const RawVal args[2] = {RawVal{.i32 = 9}, RawVal{.i32 = 0}};
  RawVal result[1];
  auto st = inst->call(*div, args, result);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().trap, TrapKind::integer_divide_by_zero) << st.error().describe();
  const RawVal good[2] = {RawVal{.i32 = -9}, RawVal{.i32 = 2}};
  ASSERT_TRUE(inst->call(*div, good, result));
  EXPECT_EQ(result[0].i32, -4);

  // The guest's C stack is reset after each trap, as outside a scope: a deep call still fits.
  for (int round = 0; round < 3; ++round) {
    auto deep = inst->call_by_name<std::int32_t>("recurse_big_frames", INT32_MAX);
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().kind, ErrorKind::trap) << deep.error().describe();
    EXPECT_EQ(*inst->call_by_name<std::int32_t>("recurse_big_frames", 40), 40);
  }
}

// Every kind of trap at the bottom of a 1000-deep guest call chain (the hostile guest), inside a
// scope: each unwinds the whole chain to its own call; the instance answers in between.
TEST_P(TrapScopes, TrapsDeepInACallChain) {
  auto inst = instantiate("hostile");
  ASSERT_TRUE(inst);
  auto deep = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("deep");
  auto ping = inst->typed<std::int32_t(std::int32_t)>("ping");
  ASSERT_TRUE(deep && ping);
  const std::pair<std::int32_t, TrapKind> cases[] = {{1, TrapKind::unreachable},
                                                     {2, TrapKind::integer_divide_by_zero},
                                                     {3, TrapKind::out_of_bounds_memory},
                                                     {4, TrapKind::call_stack_exhausted}};
  const TrapScope scope(*inst);
  for (int round = 0; round < 3; ++round) {
    for (const auto& [action, kind] : cases) {
      for (std::int32_t depth : {0, 1, 1000}) {
        expect_trap((*deep)(depth, action), kind, "deep");
        EXPECT_EQ(*(*ping)(depth), depth + 1);
      }
    }
  }
  std::int32_t want = 9;
  for (std::int32_t d = 1; d <= 1000; ++d) want = (want ^ d) + 1;
  EXPECT_EQ(*(*deep)(1000, 9), want);
}

// Instance::call_many under a scope (wasmhop's loop through the direct entries on these engines):
// a trap ends the batch at its call, as outside a scope, and the next batch runs.
TEST_P(TrapScopes, CallManyEndsAtTheTrappingCall) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto div = inst->func("div_s");
  ASSERT_TRUE(div);
  constexpr std::size_t kCalls = 64;
  std::vector<RawVal> args(2 * kCalls), out(kCalls);
  for (std::size_t k = 0; k < kCalls; ++k) {
    args[2 * k].i32 = static_cast<std::int32_t>(k) * 6;
    args[2 * k + 1].i32 = k == 40 ? 0 : 3;
  }
  const TrapScope scope(*inst);
  for (int round = 0; round < 3; ++round) {
    auto st = inst->call_many(*div, args, out, kCalls);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().trap, TrapKind::integer_divide_by_zero) << st.error().describe();
    EXPECT_NE(st.error().message.find("call 40 of 64"), std::string::npos) << st.error().message;
    EXPECT_EQ(out[39].i32, 39 * 2);
  }
  args[2 * 40 + 1].i32 = 3;
  ASSERT_TRUE(inst->call_many(*div, args, out, kCalls));
  EXPECT_EQ(out[kCalls - 1].i32, static_cast<std::int32_t>(kCalls - 1) * 2);
}

// After the scope, calls are guarded one by one again, and still trap safely.
TEST_P(TrapScopes, CallsAfterTheScopeAreGuardedPerCall) {
  auto inst = instantiate("conformance");
  ASSERT_TRUE(inst);
  auto div = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  ASSERT_TRUE(div);
  {
    const TrapScope scope(*inst);
    expect_trap((*div)(1, 0), TrapKind::integer_divide_by_zero, "div_s");
  }
  expect_trap((*div)(1, 0), TrapKind::integer_divide_by_zero, "div_s");
  EXPECT_EQ(*(*div)(9, 3), 3);
}

// Two instances, nested scopes, and a scope on another thread than the one that instantiated.
TEST_P(TrapScopes, InstancesNestingAndThreads) {
  auto a = instantiate("conformance");
  auto b = instantiate("conformance");
  ASSERT_TRUE(a && b);
  auto div_a = a->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  auto div_b = b->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  ASSERT_TRUE(div_a && div_b);
  {
    const TrapScope outer(*a);
    expect_trap((*div_b)(5, 0), TrapKind::integer_divide_by_zero, "div_s");
    {
      const TrapScope inner(*b);
      expect_trap((*div_a)(5, 0), TrapKind::integer_divide_by_zero, "div_s");
      EXPECT_EQ(*(*div_b)(10, 5), 2);
    }
    expect_trap((*div_a)(6, 0), TrapKind::integer_divide_by_zero, "div_s");
    EXPECT_EQ(*(*div_a)(12, 4), 3);
  }
  if (!caps().any_thread) return;
  std::thread t([&] {
    const TrapScope scope(*a);
    EXPECT_EQ(scope.armed(), caps().trap_scope);
    for (int i = 0; i < 20; ++i) {
      expect_trap((*div_a)(i, 0), TrapKind::integer_divide_by_zero, "div_s");
      expect_trap(a->call_by_name<std::int32_t>("recurse", INT32_MAX), TrapKind::call_stack_exhausted, "recurse");
      EXPECT_EQ(*(*div_a)(i * 2, 2), i);
    }
  });
  t.join();
}

// Host functions inside a scoped call: a failing one is the call's error; one that calls into
// another instance, whose call traps, gets that trap as its own Result and the outer call goes on.
TEST_P(TrapScopes, HostFunctionsFailAndReenterInsideAScope) {
  if (!caps().host_functions) GTEST_SKIP() << "no host functions";
  // Re-entry is what a scope changes only where it arms the guard. (Elsewhere, V8 fails the outer
  // call too when a call made from inside a host function traps, scopes or not.)
  if (!caps().trap_scope) GTEST_SKIP() << "the scope arms nothing on this engine";
  auto other = instantiate("conformance");
  ASSERT_TRUE(other);
  auto div = other->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  ASSERT_TRUE(div);
  int inner_traps = 0;
  std::string inner_detail;
  Imports im = host_calls_stubs();
  im.func("env", "add", [&](std::int32_t a, std::int32_t b) -> std::int32_t {
    // Re-entry: this host function calls another instance, which traps when b == 0.
    auto r = (*div)(a, b);
    if (!r) {
      EXPECT_EQ(r.error().kind, ErrorKind::trap) << r.error().describe();
      EXPECT_EQ(r.error().trap, TrapKind::integer_divide_by_zero) << r.error().describe();
      if (inner_traps == 0) inner_detail = r.error().describe();
      ++inner_traps;
      return -1;
    }
    return *r;
  });
  im.func("env", "checked", [](std::int32_t v) -> Result<std::int32_t> {
    if (v < 0) return fail(ErrorKind::invalid_argument, "a negative value");
    return v * 10;
  });
  auto m = load("host_calls");
  ASSERT_TRUE(m);
  auto inst = m->instantiate({.imports = im});
  ASSERT_TRUE(inst) << inst.error().describe();
  auto checked = (*inst)->typed<std::int32_t(std::int32_t)>("call_checked");
  auto call_add = (*inst)->typed<std::int32_t(std::int32_t, std::int32_t)>("call_add");
  ASSERT_TRUE(checked && call_add);

  const TrapScope scope(**inst);
  for (int round = 0; round < 3; ++round) {
    auto r = (*checked)(-1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument) << r.error().describe();
    EXPECT_NE(r.error().message.find("a negative value"), std::string::npos) << r.error().message;
    EXPECT_EQ(*(*checked)(2), 21);
    EXPECT_EQ(*(*call_add)(12, 0), -2);  // the inner call trapped; the outer one carried on
    EXPECT_EQ(*(*call_add)(12, 3), 8);
  }
  EXPECT_EQ(inner_traps, 3) << inner_detail;
}

// A scope opened inside a host function, while the outer guest call is guarded per call: the
// inner scope's traps stay inside the host function.
TEST_P(TrapScopes, AScopeInsideAPerCallGuardedCall) {
  if (!caps().host_functions) GTEST_SKIP() << "no host functions";
  if (!caps().trap_scope) GTEST_SKIP() << "the scope arms nothing on this engine";
  auto other = instantiate("conformance");
  ASSERT_TRUE(other);
  auto div = other->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  ASSERT_TRUE(div);
  Imports im = host_calls_stubs();
  im.func("env", "add", [&](std::int32_t a, std::int32_t b) -> std::int32_t {
    const TrapScope scope(*other);
    auto r = (*div)(a, b);
    if (r) return *r;
    return r.error().kind == ErrorKind::trap && r.error().trap == TrapKind::integer_divide_by_zero ? -100 : -200;
  });
  auto m = load("host_calls");
  ASSERT_TRUE(m);
  auto inst = m->instantiate({.imports = im});
  ASSERT_TRUE(inst) << inst.error().describe();
  auto call_add = (*inst)->typed<std::int32_t(std::int32_t, std::int32_t)>("call_add");
  ASSERT_TRUE(call_add);
  EXPECT_EQ(*(*call_add)(12, 0), 2 * -100);
  EXPECT_EQ(*(*call_add)(12, 4), 6);
  expect_trap((*div)(1, 0), TrapKind::integer_divide_by_zero, "div_s");
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(TrapScopes);

}  // namespace
}  // namespace wasmhop::testing
