#include "micro/canonical.hpp"

#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "abi/canonical.hpp"
#include "micro/configs.hpp"
#include "micro/sweeps.hpp"
#include "payload.hpp"  // guest/micro: shared with the script and the component

namespace wasmhop::micro {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The arguments of Table 1's loops: call i multiplies (i, 7), every result checked.
constexpr std::int32_t kArgB = 7;

struct CanonicalConfig {
  int index;
  const char* name;
  bool record;  // the pair as a WIT record (else two scalar parameters)
};
constexpr CanonicalConfig kConfigs[] = {{20, "canonical-scalars", false}, {21, "canonical-record", true}};

Result<LoopResult> scalar_loop(const MicroWorld& w, bool record, std::int64_t calls) {
  LoopResult out;
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    auto r = record ? w.mul_record(a, kArgB) : w.mul_scalars(a, kArgB);
    if (!r) [[unlikely]] return tl::unexpected(r.error());
    if (*r != mul(a, kArgB)) [[unlikely]]
      return fail(ErrorKind::internal, fmt::format("call {} returned {}, expected {}", i, *r, mul(a, kArgB)));
    out.checksum += *r;
  }
  return out;
}

struct FreshComponent {
  std::unique_ptr<ComponentInstance> instance;
  MicroWorld world;
  double compile_s, instantiate_s;
};

Result<FreshComponent> fresh(Component& c) {
  auto inst = c.instantiate();
  if (!inst) return tl::unexpected(inst.error());
  auto w = (*inst)->micro();
  if (!w) return tl::unexpected(w.error());
  const double inst_s = (*inst)->instantiate_seconds();
  return FreshComponent{std::move(*inst), *w, c.compile_seconds(), inst_s};
}

Status run_scalars(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  const std::size_t total = std::size(kConfigs) * static_cast<std::size_t>(o.reps);
  std::size_t done = 0;
  for (int rep = 0; rep < o.reps; ++rep) {
    for (const CanonicalConfig& c : kConfigs) {
      // Compiled per replication, as Table 1's modules are: compile time is in every record.
      auto component = engine.load_component(o.guest_dir / "micro.component.wasm");
      if (!component) return tl::unexpected(component.error());
      auto f = fresh(**component);
      if (!f) return tl::unexpected(f.error());
      if (auto w = scalar_loop(f->world, c.record, std::max<std::int64_t>(o.calls / 10, 100)); !w)
        return tl::unexpected(w.error());
      const auto t0 = Clock::now();
      auto r = scalar_loop(f->world, c.record, o.calls);
      const double loop_s = since(t0);
      if (!r) return tl::unexpected(r.error());
      run::MicroRecord rec = base_record(engine.info(), o, "table1");
      rec.config = c.name;
      rec.config_index = c.index;
      rec.abi = abi::Canonical::info.family;
      rec.cached = true;
      rec.replication = static_cast<std::uint32_t>(rep);
      set_times(rec, o.calls, loop_s, f->compile_s, f->instantiate_s);
      rec.checksum = r->checksum;
      if (auto st = sink(rec); !st) return st;
      progress(fmt::format("{} table1 {}", engine.info().id, c.name), ++done, total);
    }
  }
  return {};
}

Status run_payload(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  const std::vector<std::uint32_t> sizes = payload_sizes();  // the payload sweep's (sweeps.cpp)
  const std::vector<std::uint8_t> data = payload_bytes();
  const int reps = sweep_reps(o);
  const std::size_t total = sizes.size() * static_cast<std::size_t>(reps);
  std::size_t done = 0;
  auto component = engine.load_component(o.guest_dir / "micro.component.wasm");  // once per sweep
  if (!component) return tl::unexpected(component.error());
  for (int rep = 0; rep < reps; ++rep) {
    for (std::uint32_t size : sizes) {
      auto f = fresh(**component);
      if (!f) return tl::unexpected(f.error());
      const std::span<const std::uint8_t> payload(data.data(), size);
      const std::uint32_t want = checksum(payload.data(), payload.size());
      auto loop = [&](std::int64_t n) -> Status {
        for (std::int64_t c = 0; c < n; ++c) {
          auto r = f->world.checksum(payload);
          if (!r) [[unlikely]] return tl::unexpected(r.error());
          if (*r != want) [[unlikely]] return fail(ErrorKind::internal, fmt::format("checksum {} != {}", *r, want));
        }
        return {};
      };
      const std::int64_t most = std::clamp<std::int64_t>(o.payload_bytes_budget / size, 10, std::max<std::int64_t>(o.calls, 10));
      auto timed = time_sweep_point(o, nullptr, loop, most / 10, 10, most);
      if (!timed) return tl::unexpected(timed.error());
      const auto [calls, loop_s] = *timed;
      run::MicroRecord rec = base_record(engine.info(), o, "payload");
      rec.config = "payload-canonical";
      rec.abi = abi::Canonical::info.family;
      rec.cached = true;
      rec.memory = "dynamic";
      rec.replication = static_cast<std::uint32_t>(rep);
      rec.payload_bytes = size;
      set_times(rec, calls, loop_s, f->compile_s, f->instantiate_s);
      rec.checksum = want;
      rec.extra["bytes_per_s"] = static_cast<double>(size) * static_cast<double>(calls) / loop_s;
      if (auto st = sink(rec); !st) return st;
      progress(fmt::format("{} payload payload-canonical {} B", engine.info().id, size), ++done, total);
    }
  }
  return {};
}

}  // namespace

std::string canonical_skip_reason(const EngineInfo& info) {
  return abi::unavailable_reason(abi::Canonical::info, info);
}

Status run_canonical(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  if (const std::string why = canonical_skip_reason(engine.info()); !why.empty())
    return fail(ErrorKind::engine_unavailable, why);
  if (o.table1) {
    if (auto st = run_scalars(engine, o, sink, progress); !st) return st;
  }
  if (o.payload) return run_payload(engine, o, sink, progress);
  return {};
}

}  // namespace wasmhop::micro
