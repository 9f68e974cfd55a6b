// Lying allocators beyond tests/micro/micro_abi_test.cpp's five lies (past the end, too short,
// wrapping 32 bits, null, all ones): a negative length, a buffer one byte past the end, ptr+len
// exactly 2^32, and a buffer inside the guest's own C stack. Through the micro-benchmark's real
// configurations on every engine: out-of-range lies are out_of_bounds errors naming the export and
// are never written; an in-range lie (the C stack) is the guest's own memory to ruin: the host
// writes there, never outside linear memory, and the guest's consumer (which traps when reached)
// reports a trap. Either way the next run works.
#include <fmt/format.h>

#include "engine_fixture.hpp"
#include "micro/configs.hpp"

namespace wasmhop::testing {
namespace {

using HostileLyingAbi = EngineTest;

const micro::Config& config(std::string_view name) {
  for (const auto& c : micro::table1_configs()) {
    if (name == c.name) return c;
  }
  throw std::runtime_error(fmt::format("no micro configuration '{}'", name));
}

TEST_P(HostileLyingAbi, LiesBeyondTheMicroTests) {
  const char* configs[] = {"pod-cached-dynamic", "pod-uncached-dynamic", "bincode-cached", "pod-cached-static"};
  struct Lie {
    int mode;
    ErrorKind kind;
    const char* what;
  };
  const Lie lies[] = {{6, ErrorKind::out_of_bounds, "negative length"},
                      {7, ErrorKind::out_of_bounds, "one byte past the end"},
                      {8, ErrorKind::out_of_bounds, "ptr + len = 2^32"},
                      {9, ErrorKind::trap, "inside the guest's C stack"}};
  for (const Lie& lie : lies) {
    for (const char* name : configs) {
      SCOPED_TRACE(fmt::format("{}: lie {} ({})", name, lie.mode, lie.what));
      auto inst = instantiate("lying");
      ASSERT_TRUE(inst);
      ASSERT_TRUE(inst->call_by_name<void>("set_lie", lie.mode));
      auto r = config(name).loop(inst.get(), 3);
      ASSERT_FALSE(r) << "lie accepted";
      EXPECT_EQ(r.error().kind, lie.kind) << r.error().describe();
      const bool is_static = std::string_view(name).ends_with("static");
      if (lie.kind == ErrorKind::out_of_bounds) {
        EXPECT_NE(r.error().message.find(is_static ? "static_buffer" : "alloc"), std::string::npos)
            << r.error().message;
      } else {
        // The consumer ran on what the host wrote into the stack region, and trapped.
        EXPECT_EQ(r.error().trap, TrapKind::unreachable) << r.error().describe();
        EXPECT_NE(r.error().message.find("export 'mul_"), std::string::npos) << r.error().message;
      }
      // The lying instance still answers; a fresh instance of the real script runs the same config.
      EXPECT_TRUE(inst->call_by_name<void>("set_lie", 0));
      auto honest = instantiate("micro");
      ASSERT_TRUE(honest);
      auto ok = config(name).loop(honest.get(), 3);
      EXPECT_TRUE(ok) << ok.error().describe();
    }
  }
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(HostileLyingAbi);

}  // namespace
}  // namespace wasmhop::testing
