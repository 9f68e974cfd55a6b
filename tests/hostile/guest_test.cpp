// Hostile guests on every engine: traps deep in a call chain and during _initialize, memory grown
// to the maximum, huge buffer requests against a memory limit, and interface mismatches (missing
// exports, wrong signatures, imports the host does not provide). In every case the host survives,
// the error names its kind and the export (or import), and the next call or module works.
#include <chrono>
#include <fmt/format.h>

#include "engine_fixture.hpp"
#include "hostile/hostile_util.hpp"
#include "wasmhop/abi/guest_span.hpp"

namespace wasmhop::testing {
namespace {

using HostileGuest = EngineTest;

enum Action : std::int32_t { kUnreachable = 1, kDivide = 2, kOobLoad = 3, kOverflow = 4 };

void expect_trap(const Result<std::int32_t>& r, TrapKind kind, std::string_view export_name) {
  ASSERT_FALSE(r) << export_name << " returned " << *r;
  EXPECT_EQ(r.error().kind, ErrorKind::trap) << r.error().describe();
  EXPECT_EQ(r.error().trap, kind) << r.error().describe();
  EXPECT_NE(r.error().message.find(fmt::format("export '{}'", export_name)), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("hostile"), std::string::npos) << r.error().message;
}

// The bottom of a 1000-deep chain traps (every kind), three times over; the instance answers in
// between and keeps its globals. Depth 1000 fits every engine's call stack (wabt-interp: 1638 frames).
TEST_P(HostileGuest, TrapsDeepInACallChain) {
  auto inst = instantiate("hostile");
  ASSERT_TRUE(inst);
  auto deep = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("deep");
  auto ping = inst->typed<std::int32_t(std::int32_t)>("ping");
  ASSERT_TRUE(deep && ping);
  struct Case {
    Action action;
    TrapKind kind;
  };
  const Case cases[] = {{kUnreachable, TrapKind::unreachable},
                        {kDivide, TrapKind::integer_divide_by_zero},
                        {kOobLoad, TrapKind::out_of_bounds_memory},
                        {kOverflow, TrapKind::call_stack_exhausted}};
  std::int32_t pings = 0;
  for (int round = 0; round < 3; ++round) {
    for (const Case& c : cases) {
      for (std::int32_t depth : {0, 1, 1000}) {
        SCOPED_TRACE(fmt::format("action {} depth {} round {}", static_cast<int>(c.action), depth, round));
        expect_trap((*deep)(depth, c.action), c.kind, "deep");
        EXPECT_EQ(*(*ping)(depth), depth + 1);
        ++pings;
      }
    }
  }
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("calls"), pings);
  // Finite chains still give their value after all that.
  std::int32_t want = 9;
  for (std::int32_t d = 1; d <= 1000; ++d) want = (want ^ d) + 1;
  EXPECT_EQ(*(*deep)(1000, 9), want);
}

// _initialize traps 200 calls deep: instantiation fails with the trap kind, naming _initialize and
// the module; the same module fails the same way again, and other modules are unaffected.
TEST_P(HostileGuest, TrapDuringInitialize) {
  if (!caps().loads_wasm) GTEST_SKIP() << "native scripts have no _initialize (static constructors run at load)";
  auto m = load("hostile_init_trap");
  ASSERT_TRUE(m);
  for (int round = 0; round < 2; ++round) {
    auto i = m->instantiate();
    ASSERT_FALSE(i);
    EXPECT_EQ(i.error().kind, ErrorKind::trap) << i.error().describe();
    EXPECT_EQ(i.error().trap, TrapKind::integer_divide_by_zero) << i.error().describe();
    EXPECT_NE(i.error().message.find("during _initialize"), std::string::npos) << i.error().message;
    EXPECT_NE(i.error().message.find("export '_initialize'"), std::string::npos) << i.error().message;
    EXPECT_NE(i.error().message.find("hostile_init_trap"), std::string::npos) << i.error().message;
  }
  auto fine = instantiate("hostile");
  ASSERT_TRUE(fine);
  EXPECT_EQ(*fine->call_by_name<std::int32_t>("ping", 1), 2);
}

// memory.grow until the engine refuses: the guest sees -1 at the maximum, the host's view follows,
// and the instance carries on. With a memory limit the maximum is the limit, on every engine, for
// the module's own memory and for one that declares the largest maximum wasm32 allows.
TEST_P(HostileGuest, MemoryGrowsToTheLimitAndNoFurther) {
  constexpr std::uint64_t kLimit = 64ull << 20;  // 1024 pages
  engine().set_memory_limit(kLimit);
  struct Reset {
    Engine& e;
    ~Reset() { e.set_memory_limit(0); }
  } reset{engine()};
  auto inst = instantiate("hostile");
  ASSERT_TRUE(inst);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("grow_to_max", 100), 1024);
  EXPECT_EQ(inst->memory().size(), kLimit);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("touch_pages", 2), 1022);  // every page is real memory
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("grow_to_max", 1), 1024);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("ping", 1), 2);
  // Reading or writing past it from the host is refused, not done.
  EXPECT_FALSE(inst->memory().write<std::uint32_t>(kLimit - 3, 1));
  EXPECT_TRUE(inst->memory().write<std::uint32_t>(kLimit - 4, 1));

  if (caps().loads_wasm) {
    auto big = instantiate("hostile_memory_max");
    ASSERT_TRUE(big);
    EXPECT_EQ(*big->call_by_name<std::int32_t>("grow", 1023), 1);
    EXPECT_EQ(*big->call_by_name<std::int32_t>("grow", 1), -1);
    EXPECT_EQ(*big->call_by_name<std::int32_t>("pages"), 1024);
    EXPECT_EQ(big->memory().size(), kLimit);
  }
}

// Without a limit: up to 4 GiB of address space, committed as it is touched. (wabt-interp's memory
// is a std::vector: growing it to 4 GiB allocates and zero-fills 4 GiB and takes ~20 s; that is what
// Engine::set_memory_limit is for, and the case above covers it.)
TEST_P(HostileGuest, MemoryGrowsToTheWasm32MaximumWithoutALimit) {
  if (GetParam() == "wabt-interp") GTEST_SKIP() << "4 GiB of real memory: covered with a limit above";
  auto inst = instantiate("hostile");
  ASSERT_TRUE(inst);
  const auto t0 = std::chrono::steady_clock::now();
  const std::int32_t pages = *inst->call_by_name<std::int32_t>("grow_to_max", 16384);
  // 65536 pages; wasm2c stops one short (wasm_rt_memory_t.size is 32 bits: see host_runtime.cpp).
  EXPECT_GE(pages, 65535);
  EXPECT_LE(pages, 65536);
  EXPECT_EQ(inst->memory().size(), std::uint64_t(pages) * 65536);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("ping", 1), 2);
  std::printf("[   INFO   ] %s: grew to %d pages in %.2f s\n", GetParam().c_str(), pages, seconds_since(t0));
  // The last byte is usable from both sides.
  auto mem = inst->memory();
  ASSERT_TRUE(mem.write<std::uint8_t>(mem.size() - 1, 0x5A));
  EXPECT_EQ(*mem.read<std::uint8_t>(mem.size() - 1), 0x5A);
  EXPECT_FALSE(mem.read<std::uint8_t>(mem.size()));
}

// The host asks for a buffer larger than the memory limit allows: the guest's allocator gets -1
// from memory.grow and returns null, which the ABI check reports as resource_limit naming the
// export; smaller requests still succeed afterwards. A module needing more at start than the limit
// fails to load with resource_limit.
TEST_P(HostileGuest, HugeBufferRequestsMeetTheMemoryLimit) {
  engine().set_memory_limit(16ull << 20);
  struct Reset {
    Engine& e;
    ~Reset() { e.set_memory_limit(0); }
  } reset{engine()};
  auto inst = instantiate("hostile");
  ASSERT_TRUE(inst);
  auto alloc = inst->typed<std::int64_t(std::int32_t)>("alloc");
  ASSERT_TRUE(alloc);
  for (std::int32_t size : {64 << 20, 17 << 20, INT32_MAX}) {
    auto packed = (*alloc)(size);
    ASSERT_TRUE(packed) << packed.error().describe();
    const abi::GuestSpan span = abi::unpack_ptr_len(*packed);
    auto st = abi::check_span(span, static_cast<std::uint32_t>(size), inst->memory(), "alloc");
    ASSERT_FALSE(st) << size << " bytes granted under a 16 MiB limit";
    EXPECT_EQ(st.error().kind, ErrorKind::resource_limit) << st.error().describe();
    EXPECT_NE(st.error().message.find("'alloc'"), std::string::npos) << st.error().message;
    EXPECT_LE(inst->memory().size(), 16ull << 20);
  }
  auto small = (*alloc)(1 << 20);
  ASSERT_TRUE(small);
  EXPECT_TRUE(abi::check_span(abi::unpack_ptr_len(*small), 1 << 20, inst->memory(), "alloc"));

  engine().set_memory_limit(64 << 10);  // one page: less than any of our modules starts with
  auto m = engine().load(guest_path("hostile"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::resource_limit) << m.error().describe();
  EXPECT_NE(m.error().message.find("hostile"), std::string::npos) << m.error().message;
  engine().set_memory_limit(0);
  EXPECT_TRUE(engine().load(guest_path("hostile")));
}

// Exports whose names match but whose types do not are refused at lookup with both types named;
// exports that are not there are missing_export naming them. No call is ever made.
TEST_P(HostileGuest, WrongSignaturesAndMissingExports) {
  auto inst = instantiate("hostile");
  ASSERT_TRUE(inst);
  struct Case {
    const char* name;
    Result<Func> (*lookup)(Instance&);
    const char* real;
  };
  auto wrong = [&](const Status& st, const char* name, const char* real_type) {
    ASSERT_FALSE(st) << name;
    EXPECT_EQ(st.error().kind, ErrorKind::signature_mismatch) << st.error().describe();
    EXPECT_NE(st.error().message.find(fmt::format("export '{}'", name)), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find(real_type), std::string::npos) << st.error().message;
  };
  auto as_status = [](const auto& r) -> Status {
    if (r) return {};
    return tl::unexpected(r.error());
  };
  wrong(as_status(inst->typed<std::int32_t(std::int32_t, std::int32_t)>("mul_pair")), "mul_pair", "(f64, f64) -> (f64)");
  wrong(as_status(inst->typed<std::int32_t(std::int64_t, std::int32_t, std::int32_t)>("init")), "init",
        "(i32) -> (i32)");
  wrong(as_status(inst->typed<std::int32_t(std::int64_t, std::int64_t)>("access_pair")), "access_pair", "(i64) -> (i32)");
  wrong(as_status(inst->typed<std::int64_t()>("static_buffer")), "static_buffer", "(i32) -> (i64)");
  wrong(as_status(inst->call_by_name<std::int32_t>("access_pair", std::int64_t{1}, std::int64_t{2})), "access_pair",
        "(i64) -> (i32)");
  for (const char* name : {"mul_bincode", "access_batch", "stats_hits", "", "memory", "spin "}) {
    auto f = inst->typed<std::int32_t()>(name);
    ASSERT_FALSE(f) << name;
    EXPECT_EQ(f.error().kind, ErrorKind::missing_export) << f.error().describe();
    EXPECT_NE(f.error().message.find(fmt::format("'{}'", name)), std::string::npos) << f.error().message;
  }
  // Untyped calls check the arity on every call.
  auto ping = inst->func("ping");
  ASSERT_TRUE(ping);
  RawVal io[3] = {};
  auto arity = inst->call(*ping, std::span<const RawVal>(io, 3), std::span<RawVal>(io, 1));
  ASSERT_FALSE(arity);
  EXPECT_EQ(arity.error().kind, ErrorKind::signature_mismatch);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("ping", 1), 2);
}

// Imports the host does not provide (WASI, a memory, a global and a table): instantiation fails
// naming the import, never a crash or a half-made instance; the engine goes on.
TEST_P(HostileGuest, ImportsTheHostDoesNotProvide) {
  if (!caps().loads_wasm) GTEST_SKIP() << "native scripts import nothing from the host (see hostile_util: N/A)";
  struct Case {
    const char* module;
    const char* names;
  };
  const Case cases[] = {{"hostile_import_wasi", "fd_write"},
                        {"hostile_import_memory", "memory"},
                        {"hostile_import_global", "g_seed"}};
  for (const Case& c : cases) {
    auto m = load(c.module);
    ASSERT_TRUE(m) << c.module;
    for (int round = 0; round < 2; ++round) {
      auto i = m->instantiate();
      ASSERT_FALSE(i) << c.module;
      EXPECT_EQ(i.error().kind, ErrorKind::instantiation_failed) << i.error().describe();
      EXPECT_NE(i.error().message.find(c.names), std::string::npos) << i.error().message;
      EXPECT_NE(i.error().message.find(c.module), std::string::npos) << i.error().message;
    }
  }
  auto fine = instantiate("hostile");
  ASSERT_TRUE(fine);
  EXPECT_EQ(*fine->call_by_name<std::int32_t>("ping", 1), 2);
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(HostileGuest);

}  // namespace
}  // namespace wasmhop::testing
