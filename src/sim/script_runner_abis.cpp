// Per-request ABIs (Pair, Bincode, POD dynamic, POD static) share one loop over "call objects"
// that pass one request and return the guest's answer; the batch ABI passes slices of the trace
// through the static buffer. Cached call objects hold typed handles resolved at creation;
// uncached ones look every export up by name on every call (the paper's uncached configurations).
// Every answer is checked: a hit is 0 or 1, a batch's hits lie in [0, n].
#include "sim/script_runner_abis.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "wasmhop/abi/guest_span.hpp"
#include "wasmhop/abi/pod.hpp"

namespace wasmhop::sim {
namespace {

namespace exports = policy_script::exports;

template <class Sig>
Result<TypedFunc<Sig>> resolve(PolicyGuest& guest, std::string_view name) {
  return guest.instance().typed<Sig>(name);
}

// ---- Pair: access(id, size).
template <bool Cached>
struct PairCall {
  TypedFunc<std::int32_t(std::int64_t, std::int64_t)> access;

  static Result<PairCall> bind(PolicyGuest& guest) {
    auto f = resolve<std::int32_t(std::int64_t, std::int64_t)>(guest, exports::access);
    if (!f) return tl::unexpected(f.error());
    return PairCall{*f};
  }
  Result<std::int32_t> operator()(Instance& inst, const Request& r) const {
    const auto id = static_cast<std::int64_t>(r.id);
    const auto size = static_cast<std::int64_t>(r.size);
    if constexpr (Cached) return access(id, size);
    else return inst.call_by_name<std::int32_t>(exports::access, id, size);
  }
};

// ---- A fresh alloc() buffer per request, filled by the host, consumed and freed by the guest.
// The codec decides the bytes.
struct PodCodec {
  static constexpr std::string_view export_name = exports::access_pod;
  static constexpr std::uint32_t size = sizeof(Request);
  static Status write(const GuestMemory& mem, abi::GuestSpan span, const Request& r) {
    return abi::write_pod(mem, span, r);
  }
};

struct BincodeCodec {
  static constexpr std::string_view export_name = exports::access_bincode;
  static constexpr auto size = static_cast<std::uint32_t>(bincode::size_of(policy_script::RequestBincode{}));
  static Status write(const GuestMemory& mem, abi::GuestSpan span, const Request& r) {
    auto out = mem.bytes(span.ptr, size);
    if (!out) return tl::unexpected(out.error());
    if (const auto e = bincode::encode(*out, policy_script::RequestBincode{r.id, r.size}); e.error != bincode::Error::none)
      [[unlikely]] return fail(ErrorKind::internal, fmt::format("bincode encode: {}", bincode::to_string(e.error)));
    return {};
  }
};

template <bool Cached, class Codec>
struct FreshBufferCall {
  TypedFunc<std::int64_t(std::int32_t)> alloc;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> consume;

  static Result<FreshBufferCall> bind(PolicyGuest& guest) {
    auto a = resolve<std::int64_t(std::int32_t)>(guest, exports::alloc);
    if (!a) return tl::unexpected(a.error());
    auto c = resolve<std::int32_t(std::int32_t, std::int32_t)>(guest, Codec::export_name);
    if (!c) return tl::unexpected(c.error());
    return FreshBufferCall{*a, *c};
  }
  Result<std::int32_t> operator()(Instance& inst, const Request& r) const {
    constexpr auto size = static_cast<std::int32_t>(Codec::size);
    Result<std::int64_t> packed;
    if constexpr (Cached) packed = alloc(size);
    else packed = inst.call_by_name<std::int64_t>(exports::alloc, size);
    if (!packed) [[unlikely]] return tl::unexpected(packed.error());
    const abi::GuestSpan span = abi::unpack_ptr_len(*packed);
    const GuestMemory mem = inst.memory();  // alloc may have grown memory
    if (auto st = abi::check_span(span, Codec::size, mem, exports::alloc); !st) [[unlikely]]
      return tl::unexpected(st.error());
    if (auto st = Codec::write(mem, span, r); !st) [[unlikely]] return tl::unexpected(st.error());
    const auto ptr = static_cast<std::int32_t>(span.ptr);
    if constexpr (Cached) return consume(ptr, size);
    else return inst.call_by_name<std::int32_t>(Codec::export_name, ptr, size);
  }
};

// ---- POD static: the request copied to the start of the static buffer.
template <bool Cached>
struct StaticBufferCall {
  abi::GuestSpan buffer;
  TypedFunc<std::int32_t()> access;

  static Result<StaticBufferCall> bind(PolicyGuest& guest) {
    auto buf = guest.static_buffer(sizeof(Request));
    if (!buf) return tl::unexpected(buf.error());
    auto f = resolve<std::int32_t()>(guest, exports::access_pod_static);
    if (!f) return tl::unexpected(f.error());
    return StaticBufferCall{*buf, *f};
  }
  Result<std::int32_t> operator()(Instance& inst, const Request& r) const {
    // A fresh view each call: the previous call may have grown (and on some engines moved) memory.
    if (auto st = abi::write_pod(inst.memory(), buffer, r); !st) [[unlikely]] return tl::unexpected(st.error());
    if constexpr (Cached) return access();
    else return inst.call_by_name<std::int32_t>(exports::access_pod_static);
  }
};

// One guest call per request.
template <class Call>
class PerCallRunner final : public PolicyRunner {
 public:
  PerCallRunner(PolicyGuest guest, Call call) : guest_(std::move(guest)), call_(call) {}

  Status access_batch(std::span<const Request> requests) override {
    Instance& inst = guest_.instance();
    std::uint64_t hits = 0;
    std::size_t i = 0;
    Status st;
    for (; i < requests.size(); ++i) {
      const Result<std::int32_t> hit = call_(inst, requests[i]);
      if (!hit) [[unlikely]] {
        st = tl::unexpected(hit.error());
        break;
      }
      if (static_cast<std::uint32_t>(*hit) > 1u) [[unlikely]] {
        st = impossible_answer(inst, fmt::format("hit = {} for request {} (id {}): expected 0 or 1", *hit,
                                                 tally_.requests + i, requests[i].id));
        break;
      }
      hits += static_cast<std::uint64_t>(*hit);
    }
    tally_.requests += i;
    tally_.hits += hits;
    return st;
  }

  Result<cache::CacheStats> stats() override { return guest_.stats(tally_); }

 private:
  PolicyGuest guest_;
  Call call_;
  HostTally tally_;
};

// Batch: up to `batch` requests per call, copied into the static buffer as they are (16 bytes each).
template <bool Cached>
class BatchRunner final : public PolicyRunner {
 public:
  BatchRunner(PolicyGuest guest, abi::GuestSpan buffer, TypedFunc<std::int32_t(std::int32_t)> access,
              std::uint32_t batch)
      : guest_(std::move(guest)), buffer_(buffer), access_(access), batch_(batch) {}

  Status access_batch(std::span<const Request> requests) override {
    Instance& inst = guest_.instance();
    for (std::size_t offset = 0; offset < requests.size(); offset += batch_) {
      const auto part = requests.subspan(offset, std::min<std::size_t>(batch_, requests.size() - offset));
      const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(part.data()), part.size_bytes());
      if (auto st = inst.memory().write_bytes(buffer_.ptr, bytes); !st) [[unlikely]] return st;
      const auto n = static_cast<std::int32_t>(part.size());
      Result<std::int32_t> hits;
      if constexpr (Cached) hits = access_(n);
      else hits = inst.call_by_name<std::int32_t>(exports::access_batch, n);
      if (!hits) [[unlikely]] return tl::unexpected(hits.error());
      if (*hits < 0 || *hits > n) [[unlikely]] {
        return impossible_answer(inst, fmt::format("{} hits in a batch of {} (requests {}..{})", *hits, n,
                                                   tally_.requests, tally_.requests + part.size() - 1));
      }
      tally_.requests += part.size();
      tally_.hits += static_cast<std::uint64_t>(*hits);
    }
    return {};
  }

  Result<cache::CacheStats> stats() override { return guest_.stats(tally_); }

 private:
  PolicyGuest guest_;
  abi::GuestSpan buffer_;
  TypedFunc<std::int32_t(std::int32_t)> access_;
  std::uint32_t batch_;
  HostTally tally_;
};

template <class Call>
Result<std::unique_ptr<PolicyRunner>> per_call(PolicyGuest guest) {
  auto call = Call::bind(guest);  // resolves (and so checks) the exports, cached or not
  if (!call) return tl::unexpected(call.error());
  return std::unique_ptr<PolicyRunner>(std::make_unique<PerCallRunner<Call>>(std::move(guest), *call));
}

template <bool Cached>
Result<std::unique_ptr<PolicyRunner>> batched(PolicyGuest guest, std::uint32_t batch) {
  if (batch == 0 || batch > policy_script::kMaxBatch)
    return fail(ErrorKind::invalid_argument,
                fmt::format("batch size {} out of range (1..{})", batch, policy_script::kMaxBatch));
  auto buf = guest.static_buffer(std::uint64_t{batch} * sizeof(Request));
  if (!buf) return tl::unexpected(buf.error());
  auto f = resolve<std::int32_t(std::int32_t)>(guest, exports::access_batch);
  if (!f) return tl::unexpected(f.error());
  return std::unique_ptr<PolicyRunner>(std::make_unique<BatchRunner<Cached>>(std::move(guest), *buf, *f, batch));
}

template <bool Cached>
Result<std::unique_ptr<PolicyRunner>> make(PolicyGuest guest, const AbiChoice& abi) {
  switch (abi.abi) {
    case ScriptAbi::pair: return per_call<PairCall<Cached>>(std::move(guest));
    case ScriptAbi::bincode: return per_call<FreshBufferCall<Cached, BincodeCodec>>(std::move(guest));
    case ScriptAbi::pod_dynamic: return per_call<FreshBufferCall<Cached, PodCodec>>(std::move(guest));
    case ScriptAbi::pod_static: return per_call<StaticBufferCall<Cached>>(std::move(guest));
    case ScriptAbi::batch: return batched<Cached>(std::move(guest), abi.batch);
    case ScriptAbi::canonical: break;  // a component, not a core module: make_canonical_runner
  }
  return fail(ErrorKind::invalid_argument, "not an ABI of core modules");
}

}  // namespace

Result<std::unique_ptr<PolicyRunner>> make_abi_runner(PolicyGuest guest, const AbiChoice& abi, bool cached) {
  return cached ? make<true>(std::move(guest), abi) : make<false>(std::move(guest), abi);
}

}  // namespace wasmhop::sim
