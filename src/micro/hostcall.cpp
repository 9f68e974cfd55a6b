#include "micro/hostcall.hpp"

#include <chrono>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "micro/sweeps.hpp"
#include "payload.hpp"  // guest/micro: shared with the script

namespace wasmhop::micro {
namespace {


// What the host functions saw: the check that the guest's total is the host's.
struct HostSide {
  std::int64_t returned = 0;  // sum of every result the host functions returned
  std::uint32_t next_index = 0;
  bool wrong_index = false;   // consume saw a buffer that was not this call's
};

Imports host_imports(const std::shared_ptr<HostSide>& h) {
  Imports im;
  im.func("host", "mul_pair", [h](std::int32_t a, std::int32_t b) {
    const std::int32_t r = mul(a, b);
    h->returned += r;
    return r;
  });
  im.func("host", "consume", [h](Caller& c, std::uint32_t ptr, std::uint32_t len) -> Result<std::int32_t> {
    auto bytes = c.memory().bytes(ptr, len);
    if (!bytes) [[unlikely]] return tl::unexpected(bytes.error());
    std::uint32_t index;
    std::memcpy(&index, bytes->data(), sizeof index);
    if (index != h->next_index++) [[unlikely]] h->wrong_index = true;
    const auto r = static_cast<std::int32_t>(checksum(bytes->data(), bytes->size()));
    h->returned += r;
    return r;
  });
  return im;
}

struct Point {
  const char* config;
  std::uint32_t bytes;  // 0: scalars
};

// One guest call making `n` host calls; checks the guest's total against the host's.
Result<std::int64_t> guest_loop(Instance& inst, HostSide& h, const Point& p, std::int64_t n) {
  h.returned = 0;
  h.next_index = 0;
  const auto count = static_cast<std::int32_t>(n);
  auto r = p.bytes == 0 ? inst.call_by_name<std::int64_t>("host_pair_loop", count, std::int32_t{11})
                        : inst.call_by_name<std::int64_t>("host_buffer_loop", count, static_cast<std::int32_t>(p.bytes));
  if (!r) return tl::unexpected(r.error());
  if (*r != h.returned || h.wrong_index || (p.bytes != 0 && h.next_index != static_cast<std::uint32_t>(n))) {
    return fail(ErrorKind::internal, fmt::format("{}: the guest's total {} is not what the host returned ({}){}",
                                                 p.config, *r, h.returned, h.wrong_index ? ", buffers out of order" : ""));
  }
  return *r;
}

Status run_point(const EngineInfo& info, Module& module, const MicroOptions& o, const Point& p, int rep,
                 const RecordSink& sink) {
  auto host = std::make_shared<HostSide>();
  auto inst = module.instantiate({.imports = host_imports(host)});
  if (!inst) return tl::unexpected(inst.error());
  Instance& in = **inst;
  std::int64_t checksum = 0;
  auto loop = [&](std::int64_t calls) -> Status {
    auto r = guest_loop(in, *host, p, calls);
    if (!r) return tl::unexpected(r.error());
    checksum = *r;
    return {};
  };
  const std::int64_t most = std::max<std::int64_t>(1, o.calls);
  auto timed = time_sweep_point(o, &in, loop, std::max<std::int64_t>(1, most / 10), 1, most);
  if (!timed) return tl::unexpected(timed.error());
  const auto [calls, loop_s] = *timed;
  run::MicroRecord rec = base_record(info, o, "hostcall");
  rec.config = p.config;
  rec.abi = p.bytes == 0 ? "host-pair" : "host-buffer";
  rec.cached = true;
  rec.replication = static_cast<std::uint32_t>(rep);
  set_times(rec, calls, loop_s, module.compile_seconds(), in.instantiate_seconds());
  rec.checksum = checksum;
  if (p.bytes != 0) rec.payload_bytes = p.bytes;
  return sink(rec);
}

}  // namespace

Status run_hostcall_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  const EngineInfo& info = engine.info();
  if (!info.caps.host_functions) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine '{}' has no host functions: the guest-to-host hop cannot be measured", info.id));
  }
  std::vector<Point> points = {{"host-pair", 0}};
  for (std::uint32_t b : kHostBufferSizes) points.push_back({"host-buffer", b});
  auto module = engine.load(o.guest_dir / "hostcall.wasm");  // compiled once, a fresh instance per point
  if (!module) return tl::unexpected(module.error());
  // The scalar hop is the other direction of Table 1's typed Pair call: as many replications; the
  // buffer sizes are a sweep (sweep_reps).
  const int reps = std::max(o.reps, sweep_reps(o));
  auto reps_of = [&](const Point& p) { return p.bytes == 0 ? reps : sweep_reps(o); };
  std::size_t total = 0;
  for (const Point& p : points) total += static_cast<std::size_t>(reps_of(p));
  std::size_t done = 0;
  for (int rep = 0; rep < reps; ++rep) {
    for (const Point& p : points) {
      if (rep >= reps_of(p)) continue;
      if (auto st = run_point(info, **module, o, p, rep, sink); !st) {
        return fail(st.error().kind, fmt::format("{} on {}: {}", p.config, info.id, st.error().describe()),
                    st.error().trap);
      }
      progress(p.bytes == 0 ? fmt::format("{} hostcall {}", info.id, p.config)
                            : fmt::format("{} hostcall {} {} B", info.id, p.config, p.bytes),
               ++done, total);
    }
  }
  return {};
}

}  // namespace wasmhop::micro
