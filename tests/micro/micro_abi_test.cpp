// Every data-passing ABI round-trips on every engine; lying guests never cause an out-of-bounds
// host access; per-call buffers do not grow linear memory.
#include <set>

#include "wires.hpp"  // guest/micro: first (FlatBuffers)
#include "abi/registry.hpp"
#include "engine_fixture.hpp"
#include "micro/configs.hpp"
#include "micro/runner.hpp"
#include "payload.hpp"

namespace wasmhop::testing {
namespace {

using MicroAbi = EngineTest;

// Each Table 1 configuration (and the additions) on a fresh instance: every result checked inside.
TEST_P(MicroAbi, EveryConfigurationRoundTrips) {
  for (const micro::Config& c : micro::table1_configs()) {
    auto inst = c.index == 0 ? nullptr : instantiate("micro");
    if (c.index != 0) ASSERT_TRUE(inst) << c.name;
    // Sum of mul(i, 7) (or of the preloaded 6 * 7) over 500 calls.
    const std::int64_t expected = std::string_view(c.loading) == "preload" ? 500 * 42 : 7 * (499 * 500 / 2);
    auto r = c.loop(inst.get(), 500);
    ASSERT_TRUE(r) << c.name << ": " << r.error().describe();
    EXPECT_EQ(r->checksum, expected) << c.name;
    if (inst == nullptr) continue;
    const TrapScope scope(*inst);  // as the runner times it
    auto scoped = c.loop(inst.get(), 500);
    ASSERT_TRUE(scoped) << c.name << " under a TrapScope: " << scoped.error().describe();
    EXPECT_EQ(scoped->checksum, expected) << c.name << " under a TrapScope";
  }
}

// The whole runner in miniature: records for Table 1, the batch sweep and the payload sweep.
TEST_P(MicroAbi, RunnerEmitsCheckedRecords) {
  micro::MicroOptions o;
  o.engine = GetParam();
  o.reps = 1;
  o.calls = 300;
  o.payload_bytes_budget = 1 << 20;
  o.guest_dir = WASMHOP_GUEST_DIR;
  o.run_id = "test";
  o.step = "micro.test";
  std::vector<run::MicroRecord> records;
  std::size_t progress_calls = 0;
  auto st = micro::run_micro(
      o, [&](const run::MicroRecord& r) -> Status { records.push_back(r); return {}; },
      [&](const std::string&, std::size_t, std::size_t) { ++progress_calls; });
  ASSERT_TRUE(st) << st.error().describe();
  std::set<std::string> table1, batch_sizes, payload;
  std::size_t guarded = 0;  // table1 records that say how their calls were guarded
  for (const auto& r : records) {
    EXPECT_TRUE(run::validate(r)) << run::validate(r).error().message;  // what the writer requires
    EXPECT_EQ(r.engine, GetParam());
    EXPECT_EQ(r.step, "micro.test");
    EXPECT_GT(r.loop_s, 0.0);
    EXPECT_TRUE(r.checksum.has_value());
    if (r.experiment == "table1") table1.insert(r.config);
    if (r.experiment == "table1" && r.extra.contains("trap_guard")) {
      // Loops run under a TrapScope, except the one that measures the per-call guard.
      const std::string want = r.config_index == 0 ? "none"
                               : !caps().trap_scope ? "engine"
                               : r.config == "pair-typed-per-call-guard" ? "per-call"
                                                                         : "scope";
      EXPECT_EQ(r.extra["trap_guard"], want) << r.config;
      ++guarded;
    }
    if (r.experiment == "batch") batch_sizes.insert(std::to_string(r.batch_size.value_or(0)));
    if (r.experiment == "payload") payload.insert(r.config + "/" + std::to_string(r.payload_bytes.value_or(0)));
  }
  const bool component = caps().component;  // adds canonical-scalars/-record and payload-canonical
  EXPECT_EQ(table1.size(), micro::table1_configs().size() + (component ? 2u : 0u));
  EXPECT_EQ(guarded, micro::table1_configs().size());  // one replication each
  EXPECT_EQ(batch_sizes.size(), 11u);      // 1, 2, 4 ... 1024
  std::size_t bytes_abis = 0;  // the registry's per-call ABIs that carry bytes: bincode, pod-*, flatbuffers ...
  abi::for_each_abi([&]<class A>() { bytes_abis += A::template carries<micro::ChecksumWire> && !A::info.batched; });
  ASSERT_GE(bytes_abis, 4u);
  EXPECT_EQ(payload.size(), (bytes_abis + (component ? 1u : 0u)) * 8u);  // ABIs x 8 sizes (8 B ... 64 KiB)
  EXPECT_EQ(progress_calls, records.size());
}

// Per-call buffers are freed by the guest: a million alloc/write/consume cycles leave linear
// memory exactly as large as after the first thousand.
TEST_P(MicroAbi, DynamicBuffersDoNotGrowMemory) {
  auto inst = instantiate("micro");
  ASSERT_TRUE(inst);
  const micro::Config* pod = nullptr;
  const micro::Config* bin = nullptr;
  for (const auto& c : micro::table1_configs()) {
    if (std::string_view(c.name) == "pod-cached-dynamic") pod = &c;
    if (std::string_view(c.name) == "bincode-cached") bin = &c;
  }
  ASSERT_TRUE(pod && bin);
  ASSERT_TRUE(pod->loop(inst.get(), 1000));
  ASSERT_TRUE(bin->loop(inst.get(), 1000));
  const std::uint64_t before = inst->memory().size();
  // The interpreter runs dlmalloc at ~1 µs per call: a million calls would take minutes.
  const std::int64_t calls = GetParam() == "wabt-interp" ? 20'000 : 1'000'000;
  ASSERT_TRUE(pod->loop(inst.get(), calls));
  ASSERT_TRUE(bin->loop(inst.get(), calls));
  EXPECT_EQ(inst->memory().size(), before);
}

// A guest that lies about its buffers: every lie is an error naming the export, never a host
// access outside linear memory, and the guest's consumer (which traps) is never reached.
TEST_P(MicroAbi, LyingGuestBuffersAreRejected) {
  const char* dynamic_configs[] = {"pod-cached-dynamic", "pod-uncached-dynamic", "bincode-cached", "pod-cached-static"};
  for (int mode = 1; mode <= 5; ++mode) {
    for (const char* name : dynamic_configs) {
      auto inst = instantiate("lying");
      ASSERT_TRUE(inst);
      ASSERT_TRUE(inst->call_by_name<void>("set_lie", mode));
      const micro::Config* c = nullptr;
      for (const auto& x : micro::table1_configs()) {
        if (std::string_view(x.name) == name) c = &x;
      }
      ASSERT_TRUE(c);
      auto r = c->loop(inst.get(), 3);
      ASSERT_FALSE(r) << name << " accepted lie " << mode;
      const ErrorKind want = mode == 4 ? ErrorKind::resource_limit : ErrorKind::out_of_bounds;
      EXPECT_EQ(r.error().kind, want) << name << " lie " << mode << ": " << r.error().describe();
      EXPECT_NE(r.error().message.find(std::string_view(name).ends_with("static") ? "static_buffer" : "alloc"),
                std::string::npos)
          << r.error().message;
    }
  }
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(MicroAbi);

}  // namespace
}  // namespace wasmhop::testing
