#include "micro/sweeps.hpp"

#include <chrono>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "payload.hpp"  // guest/micro: shared with the script
#include "wasmhop/abi/flatbuffers.hpp"
#include "wasmhop/abi/guest_span.hpp"

namespace wasmhop::micro {
namespace {


Result<abi::GuestSpan> static_span(Instance& inst, std::uint64_t need) {
  auto packed = inst.call_by_name<std::int64_t>("static_buffer");
  if (!packed) return tl::unexpected(packed.error());
  const abi::GuestSpan span = abi::unpack_ptr_len(*packed);
  if (auto st = abi::check_span(span, need, inst.memory(), "static_buffer"); !st) return tl::unexpected(st.error());
  return span;
}

// One batch loop: `calls` calls of mul_batch(n), every result of every record checked.
Result<std::int64_t> batch_loop(Instance& inst, abi::GuestSpan buf, const TypedFunc<std::int32_t(std::int32_t)>& f,
                                const std::vector<PairPod>& pods, std::uint32_t n, std::int64_t calls) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(pods.data());
  const std::size_t in_len = n * sizeof(PairPod);
  std::int64_t checksum = 0;
  for (std::int64_t c = 0; c < calls; ++c) {
    if (auto st = inst.memory().write_bytes(buf.ptr, {bytes, in_len}); !st) [[unlikely]] return tl::unexpected(st.error());
    auto r = f(static_cast<std::int32_t>(n));
    if (!r) [[unlikely]] return tl::unexpected(r.error());
    if (*r != static_cast<std::int32_t>(n)) [[unlikely]] return fail(ErrorKind::internal, "mul_batch returned a wrong count");
    auto out = inst.memory().bytes(buf.ptr + in_len, n * sizeof(std::int32_t));
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

}  // namespace

Status run_batch_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  std::vector<PairPod> pods(kMaxBatch);
  for (std::uint32_t k = 0; k < kMaxBatch; ++k) pods[k] = {static_cast<std::int32_t>(k * 2654435761u), 7};
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t n = 1; n <= kMaxBatch; n *= 2) sizes.push_back(n);
  const int reps = sweep_reps(o);
  const std::size_t total = sizes.size() * static_cast<std::size_t>(reps);
  std::size_t done = 0;
  // One compile per sweep, a fresh instance per point: the sweeps measure calls, and compiling per
  // point made slow compilers (Wasmer's LLVM) spend most of a sweep compiling.
  auto module = engine.load(o.guest_dir / "micro.wasm");
  if (!module) return tl::unexpected(module.error());
  for (int rep = 0; rep < reps; ++rep) {
    for (std::uint32_t n : sizes) {
      auto fresh = fresh_instance(**module);
      if (!fresh) return tl::unexpected(fresh.error());
      Instance& inst = *fresh->instance;
      auto buf = static_span(inst, n * (sizeof(PairPod) + sizeof(std::int32_t)));
      if (!buf) return tl::unexpected(buf.error());
      auto f = inst.typed<std::int32_t(std::int32_t)>("mul_batch");
      if (!f) return tl::unexpected(f.error());
      // At most `calls` records per point (calls shrink as batches grow), fewer on slow engines.
      std::int64_t checksum = 0;
      auto loop = [&](std::int64_t calls) -> Status {
        auto r = batch_loop(inst, *buf, *f, pods, n, calls);
        if (!r) return tl::unexpected(r.error());
        checksum = *r;
        return {};
      };
      const std::int64_t most = std::max<std::int64_t>(1, o.calls / n);
      auto timed = time_sweep_point(o, loop, std::max<std::int64_t>(1, most / 10), 1, most);
      if (!timed) return tl::unexpected(timed.error());
      const auto [calls, loop_s] = *timed;
      run::MicroRecord rec = base_record(engine.info(), o, "batch");
      rec.config = "batch-pod-static";
      rec.abi = "batch";
      rec.cached = true;
      rec.memory = "static";
      rec.replication = static_cast<std::uint32_t>(rep);
      rec.batch_size = static_cast<std::uint64_t>(n);
      set_times(rec, calls, loop_s, fresh->compile_s, fresh->instantiate_s);
      rec.checksum = checksum;
      rec.extra["records"] = calls * n;
      rec.extra["ns_per_record"] = loop_s * 1e9 / (static_cast<double>(calls) * n);
      if (auto st = sink(rec); !st) return st;
      progress(fmt::format("{} batch N={}", engine.info().id, n), ++done, total);
    }
  }
  return {};
}

namespace {

// Handles resolved once per instance: the sweeps measure the ABIs, not lookups.
struct PayloadHandles {
  abi::GuestSpan static_buf;
  TypedFunc<std::int64_t(std::int32_t)> alloc;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> pod_dynamic;
  TypedFunc<std::int32_t(std::int32_t)> pod_static;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> bincode;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> flatbuffers;
  flatbuf::Builder* builder = nullptr;
};

Result<PayloadHandles> resolve_payload_handles(Instance& inst) {
  PayloadHandles h;
  auto buf = static_span(inst, kMaxPayload);
  if (!buf) return tl::unexpected(buf.error());
  h.static_buf = *buf;
  auto alloc = inst.typed<std::int64_t(std::int32_t)>("alloc");
  auto dyn = inst.typed<std::int32_t(std::int32_t, std::int32_t)>("checksum_pod_dynamic");
  auto stat = inst.typed<std::int32_t(std::int32_t)>("checksum_pod_static");
  auto bin = inst.typed<std::int32_t(std::int32_t, std::int32_t)>("checksum_bincode");
  auto fb = inst.typed<std::int32_t(std::int32_t, std::int32_t)>("checksum_flatbuffers");
  for (const auto* r : {&dyn, &bin, &fb}) {
    if (!*r) return tl::unexpected(r->error());
  }
  if (!alloc) return tl::unexpected(alloc.error());
  if (!stat) return tl::unexpected(stat.error());
  h.alloc = *alloc;
  h.pod_dynamic = *dyn;
  h.pod_static = *stat;
  h.bincode = *bin;
  h.flatbuffers = *fb;
  return h;
}

struct PayloadAbi {
  const char* name;    // config name
  const char* abi;
  const char* memory;
  // One call: pass `data` through this ABI; returns the guest's checksum.
  Result<std::uint32_t> (*call)(Instance& inst, const PayloadHandles& h, std::span<const std::uint8_t> data);
};

Result<std::uint32_t> payload_pod_static(Instance& inst, const PayloadHandles& h, std::span<const std::uint8_t> data) {
  if (auto st = inst.memory().write_bytes(h.static_buf.ptr, data); !st) return tl::unexpected(st.error());
  auto r = h.pod_static(static_cast<std::int32_t>(data.size()));
  if (!r) return tl::unexpected(r.error());
  return static_cast<std::uint32_t>(*r);
}

// A fresh buffer of `size` bytes from alloc(), checked, filled by `fill`, passed to `consume`.
template <class Fill>
Result<std::uint32_t> through_fresh_buffer(Instance& inst, const PayloadHandles& h, std::size_t size,
                                           const TypedFunc<std::int32_t(std::int32_t, std::int32_t)>& consume,
                                           Fill&& fill) {
  auto packed = h.alloc(static_cast<std::int32_t>(size));
  if (!packed) return tl::unexpected(packed.error());
  const abi::GuestSpan span = abi::unpack_ptr_len(*packed);
  const GuestMemory mem = inst.memory();
  if (auto st = abi::check_span(span, size, mem, "alloc"); !st) return tl::unexpected(st.error());
  auto out = mem.bytes(span.ptr, size);
  if (!out) return tl::unexpected(out.error());
  if (auto st = fill(*out); !st) return tl::unexpected(st.error());
  auto r = consume(static_cast<std::int32_t>(span.ptr), static_cast<std::int32_t>(size));
  if (!r) return tl::unexpected(r.error());
  return static_cast<std::uint32_t>(*r);
}

// Raw bytes (a POD byte array) copied into a fresh buffer.
Result<std::uint32_t> payload_pod_dynamic(Instance& inst, const PayloadHandles& h, std::span<const std::uint8_t> data) {
  return through_fresh_buffer(inst, h, data.size(), h.pod_dynamic, [&](std::span<std::uint8_t> out) -> Status {
    std::memcpy(out.data(), data.data(), data.size());
    return {};
  });
}

// Bincode Vec<u8>: serialized straight into guest memory (u64 length prefix + bytes).
Result<std::uint32_t> payload_bincode(Instance& inst, const PayloadHandles& h, std::span<const std::uint8_t> data) {
  return through_fresh_buffer(inst, h, bincode::size_of(data), h.bincode, [&](std::span<std::uint8_t> out) -> Status {
    if (const auto r = bincode::encode(out, data); r.error != bincode::Error::none)
      return fail(ErrorKind::internal, fmt::format("bincode encode: {}", bincode::to_string(r.error)));
    return {};
  });
}

// FlatBuffers Bytes: built on the host (one reused builder), then copied in.
Result<std::uint32_t> payload_flatbuffers(Instance& inst, const PayloadHandles& h, std::span<const std::uint8_t> data) {
  const auto built = flatbuf::build_bytes(*h.builder, data);
  return through_fresh_buffer(inst, h, built.size(), h.flatbuffers, [&](std::span<std::uint8_t> out) -> Status {
    std::memcpy(out.data(), built.data(), built.size());
    return {};
  });
}

constexpr PayloadAbi kPayloadAbis[] = {
    {"payload-pod-dynamic", "pod", "dynamic", &payload_pod_dynamic},
    {"payload-pod-static", "pod", "static", &payload_pod_static},
    {"payload-bincode", "bincode", "dynamic", &payload_bincode},
    {"payload-flatbuffers", "flatbuffers", "dynamic", &payload_flatbuffers},
};

}  // namespace

Status run_payload_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t s = 8; s < kMaxPayload; s *= 4) sizes.push_back(s);
  sizes.push_back(kMaxPayload);
  std::vector<std::uint8_t> data(kMaxPayload);
  std::uint32_t x = 12345;
  for (auto& b : data) b = static_cast<std::uint8_t>((x = x * 1103515245u + 12345u) >> 24);
  const int reps = sweep_reps(o);
  const std::size_t total = sizes.size() * std::size(kPayloadAbis) * static_cast<std::size_t>(reps);
  std::size_t done = 0;
  // One compile per sweep, a fresh instance per point: the sweeps measure calls, and compiling per
  // point made slow compilers (Wasmer's LLVM) spend most of a sweep compiling.
  auto module = engine.load(o.guest_dir / "micro.wasm");
  if (!module) return tl::unexpected(module.error());
  flatbuf::Builder builder;
  for (int rep = 0; rep < reps; ++rep) {
    for (const PayloadAbi& a : kPayloadAbis) {
      for (std::uint32_t size : sizes) {
        auto fresh = fresh_instance(**module);
        if (!fresh) return tl::unexpected(fresh.error());
        Instance& inst = *fresh->instance;
        auto handles = resolve_payload_handles(inst);
        if (!handles) return tl::unexpected(handles.error());
        handles->builder = &builder;
        const std::span<const std::uint8_t> payload(data.data(), size);
        const std::uint32_t want = checksum(payload.data(), payload.size());
        auto loop = [&](std::int64_t n) -> Status {
          for (std::int64_t c = 0; c < n; ++c) {
            auto r = a.call(inst, *handles, payload);
            if (!r) [[unlikely]] return tl::unexpected(r.error());
            if (*r != want) [[unlikely]]
              return fail(ErrorKind::internal, fmt::format("{}: checksum {} != {}", a.name, *r, want));
          }
          return {};
        };
        // At most the byte budget (and `calls` calls) per point, fewer on slow engines.
        const std::int64_t most = std::clamp<std::int64_t>(o.payload_bytes_budget / size, 10, std::max<std::int64_t>(o.calls, 10));
        auto timed = time_sweep_point(o, loop, most / 10, 10, most);
        if (!timed) return tl::unexpected(timed.error());
        const auto [calls, loop_s] = *timed;
        run::MicroRecord rec = base_record(engine.info(), o, "payload");
        rec.config = a.name;
        rec.abi = a.abi;
        rec.cached = true;
        rec.memory = a.memory;
        rec.replication = static_cast<std::uint32_t>(rep);
        rec.payload_bytes = size;
        set_times(rec, calls, loop_s, fresh->compile_s, fresh->instantiate_s);
        rec.checksum = want;
        rec.extra["bytes_per_s"] = static_cast<double>(size) * static_cast<double>(calls) / loop_s;
        if (auto st = sink(rec); !st) return st;
        progress(fmt::format("{} payload {} {} B", engine.info().id, a.name, size), ++done, total);
      }
    }
  }
  return {};
}

}  // namespace wasmhop::micro
