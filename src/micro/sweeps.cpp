// The sweeps beyond the paper: the batch ABIs (N records per call) and variable-length payloads
// through every ABI that carries bytes. Both go through the ABIs' own host side (src/abi/), one
// ABI after the other in the registry's order.
#include "micro/sweeps.hpp"

#include <chrono>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "wires.hpp"  // guest/micro: shared with the script; first (FlatBuffers)
#include "abi/registry.hpp"

namespace wasmhop::micro {
namespace {

// One batch loop: `calls` calls with the first n records, every answer of every record checked.
template <class Binding>
Result<std::int64_t> batch_loop(Instance& inst, Binding& abi, std::span<const PairPod> pods, std::int64_t calls) {
  const auto n = static_cast<std::uint32_t>(pods.size());
  std::int64_t checksum = 0;
  for (std::int64_t c = 0; c < calls; ++c) {
    auto r = abi.send(inst, pods);
    if (!r) [[unlikely]] return tl::unexpected(r.error());
    if (*r != static_cast<std::int32_t>(n)) [[unlikely]] return fail(ErrorKind::internal, "the batch call returned a wrong count");
    auto out = abi.results(inst, n);
    if (!out) [[unlikely]] return tl::unexpected(out.error());
    for (std::uint32_t k = 0; k < n; ++k) {
      std::int32_t v;
      std::memcpy(&v, out->data() + k * sizeof v, sizeof v);
      if (v != mul(pods[k].a, pods[k].b)) [[unlikely]] {
        return fail(ErrorKind::internal, fmt::format("batch record {} of call {}: got {}, expected {}", k, c, v,
                                                     mul(pods[k].a, pods[k].b)));
      }
      checksum += v;
    }
  }
  return checksum;
}

// What every point of a sweep shares.
struct SweepContext {
  Engine& engine;
  Module& module;  // micro.wasm, compiled once per sweep: a fresh instance per point
  const MicroOptions& o;
  const RecordSink& sink;
  const ProgressFn& progress;
  std::size_t done = 0;
  std::size_t total = 0;
};

// One point of the batch sweep: ABI A with n records per call.
template <class A>
Status batch_point(SweepContext& ctx, std::span<const PairPod> pods, int rep) {
  const auto n = static_cast<std::uint32_t>(pods.size());
  auto fresh = fresh_instance(ctx.module);
  if (!fresh) return tl::unexpected(fresh.error());
  Instance& inst = *fresh->instance;
  typename A::template Binding<MulWire, true> abi;
  if (auto st = abi.bind(inst, n); !st) return tl::unexpected(st.error());
  std::int64_t checksum = 0;
  auto loop = [&](std::int64_t calls) -> Status {
    auto r = batch_loop(inst, abi, pods, calls);
    if (!r) return tl::unexpected(r.error());
    checksum = *r;
    return {};
  };
  // At most `calls` records per point (calls shrink as batches grow), fewer on slow engines.
  const std::int64_t most = std::max<std::int64_t>(1, ctx.o.calls / n);
  auto timed = time_sweep_point(ctx.o, &inst, loop, std::max<std::int64_t>(1, most / 10), 1, most);
  if (!timed) return tl::unexpected(timed.error());
  const auto [calls, loop_s] = *timed;
  run::MicroRecord rec = base_record(ctx.engine.info(), ctx.o, "batch");
  rec.config = A::info.micro_config;
  rec.abi = A::info.family;
  rec.cached = true;
  rec.memory = A::info.memory;
  rec.replication = static_cast<std::uint32_t>(rep);
  rec.batch_size = static_cast<std::uint64_t>(n);
  set_times(rec, calls, loop_s, fresh->compile_s, fresh->instantiate_s);
  rec.checksum = checksum;
  rec.extra["records"] = calls * n;
  rec.extra["ns_per_record"] = loop_s * 1e9 / (static_cast<double>(calls) * n);
  if (auto st = ctx.sink(rec); !st) return st;
  ctx.progress(fmt::format("{} batch N={}", ctx.engine.info().id, n), ++ctx.done, ctx.total);
  return {};
}

template <class A>
constexpr bool kBatchAbi = A::template carries<MulWire> && A::info.batched;
template <class A>
constexpr bool kPayloadAbi = A::template carries<ChecksumWire> && !A::info.batched;

// Every point of a sweep, replication-major: point<A>(ctx, i, rep) for each ABI A of the registry
// that `pick` keeps (a captureless []<class A>() -> bool) and each of `points` sizes. micro.wasm is
// compiled once per sweep, a fresh instance per point: the sweeps measure calls, and compiling per
// point made slow compilers (Wasmer's LLVM) spend most of a sweep compiling.
template <class Pick, class Point>
Status run_points(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress,
                  std::size_t points, Pick, Point&& point) {
  auto module = engine.load(o.guest_dir / "micro.wasm");
  if (!module) return tl::unexpected(module.error());
  SweepContext ctx{engine, **module, o, sink, progress};
  const int reps = sweep_reps(o);
  std::size_t abis = 0;
  abi::for_each_abi([&]<class A>() { abis += Pick{}.template operator()<A>() ? 1 : 0; });
  ctx.total = points * static_cast<std::size_t>(reps) * abis;
  Status st;
  for (int rep = 0; rep < reps && st; ++rep) {
    abi::for_each_abi([&]<class A>() {
      if constexpr (Pick{}.template operator()<A>()) {
        for (std::size_t i = 0; i < points && st; ++i) st = point.template operator()<A>(ctx, i, rep);
      }
    });
  }
  return st;
}

}  // namespace

Status run_batch_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  std::vector<PairPod> pods(kMaxBatch);
  for (std::uint32_t k = 0; k < kMaxBatch; ++k) pods[k] = {static_cast<std::int32_t>(k * 2654435761u), 7};
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t n = 1; n <= kMaxBatch; n *= 2) sizes.push_back(n);
  return run_points(engine, o, sink, progress, sizes.size(), []<class A>() { return kBatchAbi<A>; },
                    [&]<class A>(SweepContext& ctx, std::size_t i, int rep) {
                      return batch_point<A>(ctx, {pods.data(), sizes[i]}, rep);
                    });
}

namespace {

// One point of the payload sweep: ABI A carrying `size` bytes per call, every checksum checked.
template <class A>
Status payload_point(SweepContext& ctx, std::span<const std::uint8_t> data, std::uint32_t size, int rep) {
  auto fresh = fresh_instance(ctx.module);
  if (!fresh) return tl::unexpected(fresh.error());
  Instance& inst = *fresh->instance;
  typename A::template Binding<ChecksumWire, true> abi;  // resolved once per instance
  if (auto st = abi.bind(inst); !st) return tl::unexpected(st.error());
  const abi::Bytes payload = data.first(size);
  const std::uint32_t want = checksum(payload.data(), payload.size());
  const std::string config = fmt::format("payload-{}", A::info.name);
  auto loop = [&](std::int64_t n) -> Status {
    for (std::int64_t c = 0; c < n; ++c) {
      auto r = abi.send(inst, payload);
      if (!r) [[unlikely]] return tl::unexpected(r.error());
      if (static_cast<std::uint32_t>(*r) != want) [[unlikely]]
        return fail(ErrorKind::internal, fmt::format("{}: checksum {} != {}", config, static_cast<std::uint32_t>(*r), want));
    }
    return {};
  };
  // At most the byte budget (and `calls` calls) per point, fewer on slow engines.
  const std::int64_t most = std::clamp<std::int64_t>(ctx.o.payload_bytes_budget / size, 10, std::max<std::int64_t>(ctx.o.calls, 10));
  auto timed = time_sweep_point(ctx.o, &inst, loop, most / 10, 10, most);
  if (!timed) return tl::unexpected(timed.error());
  const auto [calls, loop_s] = *timed;
  run::MicroRecord rec = base_record(ctx.engine.info(), ctx.o, "payload");
  rec.config = config;
  rec.abi = A::info.family;
  rec.cached = true;
  rec.memory = A::info.memory;
  rec.replication = static_cast<std::uint32_t>(rep);
  rec.payload_bytes = size;
  set_times(rec, calls, loop_s, fresh->compile_s, fresh->instantiate_s);
  rec.checksum = want;
  rec.extra["bytes_per_s"] = static_cast<double>(size) * static_cast<double>(calls) / loop_s;
  if (auto st = ctx.sink(rec); !st) return st;
  ctx.progress(fmt::format("{} payload {} {} B", ctx.engine.info().id, config, size), ++ctx.done, ctx.total);
  return {};
}

}  // namespace

std::vector<std::uint32_t> payload_sizes() {
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t s = 8; s < kMaxPayload; s *= 4) sizes.push_back(s);
  sizes.push_back(kMaxPayload);
  return sizes;
}

std::vector<std::uint8_t> payload_bytes() {
  std::vector<std::uint8_t> data(kMaxPayload);
  std::uint32_t x = 12345;
  for (auto& b : data) b = static_cast<std::uint8_t>((x = x * 1103515245u + 12345u) >> 24);
  return data;
}

Status run_payload_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  const std::vector<std::uint32_t> sizes = payload_sizes();
  const std::vector<std::uint8_t> data = payload_bytes();
  return run_points(engine, o, sink, progress, sizes.size(), []<class A>() { return kPayloadAbi<A>; },
                    [&]<class A>(SweepContext& ctx, std::size_t i, int rep) {
                      return payload_point<A>(ctx, data, sizes[i], rep);
                    });
}

}  // namespace wasmhop::micro
