// The runners of the core-module ABIs: a request reaches the policy guest through the ABI's own host
// side (src/abi/, bound to the policy scripts' AccessWire, cached or by name on every call), one
// call per request, or slices of the trace per call for the batch ABIs. Every answer is checked: a
// hit is 0 or 1, a batch's hits lie in [0, n].
#include "sim/script_runner_abis.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "policies/script_abi.hpp"  // first: the wire (and FlatBuffers)
#include "abi/registry.hpp"

namespace wasmhop::sim {
namespace {

using policy_script::AccessWire;

// One guest call per request.
template <class Binding>
class PerCallRunner final : public PolicyRunner {
 public:
  PerCallRunner(PolicyGuest guest, Binding abi) : guest_(std::move(guest)), abi_(std::move(abi)) {}

  Status access_batch(std::span<const Request> requests) override {
    Instance& inst = guest_.instance();
    const TrapScope scope(inst);  // one arming of the trap guard for the slice; calls still fail one by one
    std::uint64_t hits = 0;
    std::size_t i = 0;
    Status st;
    for (; i < requests.size(); ++i) {
      const Result<std::int32_t> hit = abi_.send(inst, requests[i]);
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
  Binding abi_;
  HostTally tally_;
};

// Up to `batch` requests per call.
template <class Binding>
class BatchRunner final : public PolicyRunner {
 public:
  BatchRunner(PolicyGuest guest, Binding abi, std::uint32_t batch)
      : guest_(std::move(guest)), abi_(std::move(abi)), batch_(batch) {}

  Status access_batch(std::span<const Request> requests) override {
    Instance& inst = guest_.instance();
    const TrapScope scope(inst);
    for (std::size_t offset = 0; offset < requests.size(); offset += batch_) {
      const auto part = requests.subspan(offset, std::min<std::size_t>(batch_, requests.size() - offset));
      const Result<std::int32_t> hits = abi_.send(inst, part);
      if (!hits) [[unlikely]] return tl::unexpected(hits.error());
      const auto n = static_cast<std::int32_t>(part.size());
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
  Binding abi_;
  std::uint32_t batch_;
  HostTally tally_;
};

// The runner of ABI A: binds it (resolving, and so checking, the exports, cached or not).
template <class A, bool Cached>
Result<std::unique_ptr<PolicyRunner>> make_runner(PolicyGuest guest, const AbiChoice& choice) {
  using Binding = typename A::template Binding<AccessWire, Cached>;
  Binding abi;
  if constexpr (A::info.batched) {
    if (auto st = abi.bind(guest.instance(), choice.batch); !st) return tl::unexpected(st.error());
    return std::unique_ptr<PolicyRunner>(
        std::make_unique<BatchRunner<Binding>>(std::move(guest), std::move(abi), choice.batch));
  } else {
    if (auto st = abi.bind(guest.instance()); !st) return tl::unexpected(st.error());
    return std::unique_ptr<PolicyRunner>(std::make_unique<PerCallRunner<Binding>>(std::move(guest), std::move(abi)));
  }
}

template <bool Cached>
Result<std::unique_ptr<PolicyRunner>> make(PolicyGuest guest, const AbiChoice& choice) {
  Result<std::unique_ptr<PolicyRunner>> out =
      fail(ErrorKind::invalid_argument, fmt::format("ABI '{}' does not carry requests to a core module", choice.abi->name));
  abi::for_each_abi([&]<class A>() {
    if constexpr (A::template carries<AccessWire>) {
      if (&A::info == choice.abi) out = make_runner<A, Cached>(std::move(guest), choice);
    }
  });
  return out;
}

}  // namespace

Result<std::unique_ptr<PolicyRunner>> make_abi_runner(PolicyGuest guest, const AbiChoice& abi, bool cached) {
  return cached ? make<true>(std::move(guest), abi) : make<false>(std::move(guest), abi);
}

}  // namespace wasmhop::sim
