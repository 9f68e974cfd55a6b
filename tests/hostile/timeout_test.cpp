// Runaway code: infinite loops in an export, at the bottom of a deep call chain, in _initialize and
// in a start function. Interruptible engines stop them in-process at InstanceOptions::call_timeout
// and the instance carries on; the others say so (engine_unavailable) and `wasmhop run --timeout`
// runs them in a child process that it kills at the deadline. Either way: ErrorKind::timeout (or a
// "timeout" line and a non-zero exit) naming the export, and the next run works.
#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "engine_fixture.hpp"
#include "hostile/hostile_util.hpp"

namespace wasmhop::testing {
namespace {

using namespace std::chrono_literals;
using HostileTimeout = EngineTest;

constexpr std::int32_t kSpin = 0;
constexpr std::int32_t kDivide = 2;

// What hostile.cpp's deep(depth, what) returns when `what` is no action: (r ^ d) + 1 per level.
std::int32_t chain_result(std::int32_t depth, std::int32_t what) {
  std::int32_t r = what;
  for (std::int32_t d = 1; d <= depth; ++d) r = (r ^ d) + 1;
  return r;
}

std::unique_ptr<Instance> instantiate_with(Module& m, std::chrono::nanoseconds limit) {
  auto i = m.instantiate(InstanceOptions{limit});
  EXPECT_TRUE(i.has_value()) << (i ? "" : i.error().describe());
  return i ? std::move(*i) : nullptr;
}

void expect_timeout(const Error& e, std::string_view export_name) {
  EXPECT_EQ(e.kind, ErrorKind::timeout) << e.describe();
  EXPECT_NE(e.message.find(export_name), std::string::npos) << e.message;
  EXPECT_NE(e.describe().find("timeout"), std::string::npos) << e.describe();
}

TEST_P(HostileTimeout, TheCapabilitySaysWhatTheEngineDoes) {
  auto m = load("hostile");
  ASSERT_TRUE(m);
  auto timed = m->instantiate(InstanceOptions{1s});
  auto plain = m->instantiate();
  ASSERT_TRUE(plain) << plain.error().describe();
  EXPECT_FALSE(m->instantiate(InstanceOptions{-1s})) << "a negative limit is refused";
  if (caps().interruptible) {
    ASSERT_TRUE(timed) << timed.error().describe();
    EXPECT_EQ((*timed)->call_timeout(), 1s);
    EXPECT_TRUE((*plain)->set_call_timeout(250ms));
    EXPECT_EQ((*plain)->call_timeout(), 250ms);
  } else {
    ASSERT_FALSE(timed);
    EXPECT_EQ(timed.error().kind, ErrorKind::engine_unavailable) << timed.error().describe();
    EXPECT_NE(timed.error().message.find("child process"), std::string::npos) << timed.error().message;
    auto st = (*plain)->set_call_timeout(250ms);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, ErrorKind::engine_unavailable);
    EXPECT_EQ((*plain)->call_timeout(), 0ns);
  }
  EXPECT_TRUE((*plain)->set_call_timeout(0ns)) << "no limit is always possible";
  EXPECT_EQ(*(*plain)->call_by_name<std::int32_t>("ping", 1), 2);
}

TEST_P(HostileTimeout, InfiniteLoopsStopAtTheDeadlineAndTheInstanceCarriesOn) {
  if (!caps().interruptible) GTEST_SKIP() << "not interruptible: CliRunTimeout covers it (child process)";
  auto m = load("hostile");
  ASSERT_TRUE(m);
  auto inst = instantiate_with(*m, 200ms);
  ASSERT_TRUE(inst);
  auto ping = inst->typed<std::int32_t(std::int32_t)>("ping");
  auto spin = inst->typed<std::int32_t()>("spin");
  auto deep = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("deep");
  ASSERT_TRUE(ping && spin && deep);
  EXPECT_EQ(*(*ping)(1), 2);
  for (int round = 0; round < 3; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = (*spin)();
    const double s = seconds_since(t0);
    ASSERT_FALSE(r);
    expect_timeout(r.error(), "spin");
    EXPECT_NE(r.error().message.find("200 ms"), std::string::npos) << r.error().message;
    EXPECT_GE(s, 0.19);
    EXPECT_LT(s, 10.0) << "stopped far too late";
    // The instance answers again, with its globals as they were (ping counts its calls).
    EXPECT_EQ(*(*ping)(41), 42);
    EXPECT_EQ(*inst->call_by_name<std::int32_t>("calls"), round + 2);

    // An infinite loop 1000 calls deep: the whole chain unwinds.
    t0 = std::chrono::steady_clock::now();
    auto d = (*deep)(1000, kSpin);
    ASSERT_FALSE(d);
    expect_timeout(d.error(), "deep");
    EXPECT_LT(seconds_since(t0), 10.0);
    EXPECT_EQ(*(*deep)(1000, 7), chain_result(1000, 7));  // finite chains still work
  }
  // Traps stay traps under a limit.
  auto trap = (*deep)(500, kDivide);
  ASSERT_FALSE(trap);
  EXPECT_EQ(trap.error().kind, ErrorKind::trap) << trap.error().describe();
  EXPECT_EQ(trap.error().trap, TrapKind::integer_divide_by_zero);
  // The limit can change and be lifted; other instances are not affected by one's timeouts.
  ASSERT_TRUE(inst->set_call_timeout(50ms));
  auto again = (*spin)();
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("50 ms"), std::string::npos) << again.error().message;
  ASSERT_TRUE(inst->set_call_timeout(0ns));
  EXPECT_EQ(*(*ping)(1), 2);
  auto other = instantiate_with(*m, 0ns);
  ASSERT_TRUE(other);
  EXPECT_EQ(*other->call_by_name<std::int32_t>("ping", 5), 6);
  EXPECT_EQ(*other->call_by_name<std::int32_t>("calls"), 1);
}

// Handles resolved while the instance had no limit (typed, untyped, packed) obey one set later,
// and lifting it again gives calls without one: engines may choose a call's path at lookup.
TEST_P(HostileTimeout, ALimitSetAfterLookupAppliesToEveryHandle) {
  if (!caps().interruptible) GTEST_SKIP() << "not interruptible: CliRunTimeout covers it (child process)";
  auto m = load("hostile");
  ASSERT_TRUE(m);
  auto inst = instantiate_with(*m, 0ns);
  ASSERT_TRUE(inst);
  auto spin = inst->typed<std::int32_t()>("spin");
  auto deep = inst->func("deep");
  auto ping = inst->typed<std::int32_t(std::int32_t)>("ping");
  ASSERT_TRUE(spin && deep && ping);
  EXPECT_EQ(*(*ping)(1), 2);
  ASSERT_TRUE(inst->set_call_timeout(100ms));
  auto t0 = std::chrono::steady_clock::now();
  auto r = (*spin)();
  ASSERT_FALSE(r);
  expect_timeout(r.error(), "spin");
  EXPECT_LT(seconds_since(t0), 10.0);
  const RawVal args[] = {RawVal{.i32 = 1000}, RawVal{.i32 = kSpin}};
  RawVal result[1];
  auto d = inst->call(*deep, args, result);  // the untyped (packed) path
  ASSERT_FALSE(d);
  expect_timeout(d.error(), "deep");
  EXPECT_EQ(*(*ping)(2), 3);
  ASSERT_TRUE(inst->set_call_timeout(0ns));
  const RawVal finite[] = {RawVal{.i32 = 100}, RawVal{.i32 = 7}};
  ASSERT_TRUE(inst->call(*deep, finite, result));
  EXPECT_EQ(result[0].i32, chain_result(100, 7));
}

TEST_P(HostileTimeout, LoopsInInitializeAndStartFunctionsStopToo) {
  if (!caps().loads_wasm) GTEST_SKIP() << "hand-written start-up code is wasm; native scripts run trusted code";
  if (!caps().interruptible) GTEST_SKIP() << "not interruptible: CliRunTimeout covers it (child process)";
  auto init = load("hostile_init_loop");
  ASSERT_TRUE(init);
  auto t0 = std::chrono::steady_clock::now();
  auto i = init->instantiate(InstanceOptions{200ms});
  ASSERT_FALSE(i);
  expect_timeout(i.error(), "_initialize");
  EXPECT_NE(i.error().message.find("during _initialize"), std::string::npos) << i.error().message;
  EXPECT_LT(seconds_since(t0), 10.0);

  auto start = load("hostile_start_loop");
  ASSERT_TRUE(start);
  auto s = start->instantiate(InstanceOptions{200ms});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::timeout) << s.error().describe();
  EXPECT_NE(s.error().message.find("start function"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("hostile_start_loop"), std::string::npos) << s.error().message;

  // The engine goes on with the next module.
  auto fine = instantiate("hostile");
  ASSERT_TRUE(fine);
  EXPECT_EQ(*fine->call_by_name<std::int32_t>("ping", 1), 2);
}

// A limit that is never reached changes no result; what a timed call costs is printed.
TEST_P(HostileTimeout, ShortCallsUnderALimitAreUnaffected) {
  if (!caps().interruptible) GTEST_SKIP() << "not interruptible";
  auto m = load("hostile");
  ASSERT_TRUE(m);
  auto timed = instantiate_with(*m, 5s);
  auto plain = instantiate_with(*m, 0ns);
  ASSERT_TRUE(timed && plain);
  auto t = timed->typed<std::int32_t(std::int32_t)>("ping");
  auto p = plain->typed<std::int32_t(std::int32_t)>("ping");
  ASSERT_TRUE(t && p);
  const int calls = GetParam() == "wabt-interp" ? 20'000 : 200'000;
  auto loop = [&](const TypedFunc<std::int32_t(std::int32_t)>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < calls; ++k) {
      auto r = f(k);
      if (!r || *r != k + 1) {
        ADD_FAILURE() << (r ? "wrong result" : r.error().describe());
        break;
      }
    }
    return seconds_since(t0) * 1e9 / calls;
  };
  // Alternating rounds, the fastest of each (a busy machine only ever adds time).
  double untimed = 1e300, with_limit = 1e300;
  for (int round = 0; round < 5; ++round) {
    untimed = std::min(untimed, loop(*p));
    with_limit = std::min(with_limit, loop(*t));
  }
  std::printf("[   INFO   ] %s: %.1f ns per call, %.1f ns with a call time limit\n", GetParam().c_str(), untimed,
              with_limit);
}

// `wasmhop run --timeout`: every engine, in-process or in a child process, ends an infinite loop
// with one "timeout" line naming the export and a non-zero exit status.
TEST_P(HostileTimeout, CliRunTimeout) {
  const std::string engine = GetParam();
  const std::string guest = guest_path("hostile").string();
  auto expect_cli_timeout = [&](const std::string& args, const std::string& names) {
    const CliRun r = run_cli(fmt::format("run --engine {} --timeout 0.5 {}", engine, args));
    EXPECT_NE(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("error: timeout"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(names), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
    EXPECT_LT(r.seconds, 60.0) << r.out;
  };
  expect_cli_timeout(guest + " spin", "export 'spin'");
  expect_cli_timeout(guest + " deep 1000 0", "export 'deep'");
  if (caps().loads_wasm) {
    expect_cli_timeout(guest_path("hostile_init_loop").string() + " ok", "_initialize");
    expect_cli_timeout(guest_path("hostile_start_loop").string() + " ok", "start function");
  }
  // A call that ends in time prints its result, also through a child process.
  const CliRun ok = run_cli(fmt::format("run --engine {} --timeout 30 {} ping -- -5", engine, guest));
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_EQ(ok.out, "-4\n");
  // Traps keep their own message and status under --timeout.
  const CliRun trap = run_cli(fmt::format("run --engine {} --timeout 30 {} deep 300 1", engine, guest));
  EXPECT_NE(trap.status, 0) << trap.out;
  EXPECT_NE(trap.out.find("trap (unreachable)"), std::string::npos) << trap.out;
  EXPECT_EQ(trap.out.find("timeout"), std::string::npos) << trap.out;
  // A bad limit is one clear line.
  const CliRun bad = run_cli(fmt::format("run --engine {} --timeout -1 {} ping 1", engine, guest));
  EXPECT_NE(bad.status, 0) << bad.out;
  EXPECT_NE(bad.out.find("--timeout"), std::string::npos) << bad.out;
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(HostileTimeout);

}  // namespace
}  // namespace wasmhop::testing
