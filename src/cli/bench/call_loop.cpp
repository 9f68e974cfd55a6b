#include "cli/bench/call_loop.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <utility>

#include "cli/bench/value_text.hpp"

namespace wasmhop::cli::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

template <std::size_t I>
using Arg = std::uint64_t;

// The direct entry of an export with sizeof...(I) parameters and at most one result, in a loop the
// compiler keeps tight: arguments in registers, the result masked to its width and folded.
template <std::size_t... I>
Batch direct_loop(const Func& f, const std::uint64_t* a, std::uint64_t mask, std::uint64_t expected,
                  std::int64_t calls, std::index_sequence<I...>) {
  const Func g = f;  // a local copy: entry and context stay in registers across the calls
  Batch b;
  std::uint64_t sum = 0;
  std::int64_t differing = 0;
  std::int64_t i = 0;
  const auto t0 = Clock::now();
  for (; i < calls; ++i) {
    // call_direct: a scoped_direct entry may unwind a trap when the caller runs under a TrapScope.
    const DirectResult r = detail::call_direct(g, a[I]...);
    if (r.trap != 0) [[unlikely]] {
      b.trap = static_cast<TrapKind>(r.trap);
      break;
    }
    const std::uint64_t v = r.value & mask;
    sum = std::rotl(sum, 1) ^ v;
    differing += v != expected;
  }
  b.seconds = since(t0);
  b.calls_done = i;
  b.checksum = sum;
  b.differing = differing;
  return b;
}

Batch packed_loop(const Func& f, std::span<const RawVal> args, std::span<const std::uint64_t> masks,
                  std::span<const std::uint64_t> expected, std::int64_t calls) {
  std::vector<RawVal> io(std::max<std::size_t>({1, args.size(), masks.size()}));
  Batch b;
  std::uint64_t sum = 0;
  std::int64_t differing = 0;
  std::int64_t i = 0;
  const auto t0 = Clock::now();
  for (; i < calls; ++i) {
    std::copy(args.begin(), args.end(), io.begin());  // results overwrite the arguments
    if (const TrapKind t = f.call(f.ctx, io.data()); t != TrapKind::none) [[unlikely]] {
      b.trap = t;
      break;
    }
    bool same = true;
    for (std::size_t r = 0; r < masks.size(); ++r) {
      const std::uint64_t v = io[r].bits & masks[r];
      sum = std::rotl(sum, 1) ^ v;
      same = same && v == expected[r];
    }
    differing += !same;
  }
  b.seconds = since(t0);
  b.calls_done = i;
  b.checksum = sum;
  b.differing = differing;
  return b;
}

}  // namespace

CallLoop::CallLoop(const Func& f, std::vector<RawVal> args, std::vector<std::uint64_t> expected)
    : f_(f), args_(std::move(args)), expected_(std::move(expected)) {
  for (std::size_t i = 0; i < args_.size(); ++i) args_bits_.push_back(value_bits(args_[i], f_.type->params[i]));
  for (ValType t : f_.type->results) masks_.push_back(width_mask(t));
  direct_ = f_.direct != nullptr && args_.size() <= kDirectMaxParams && masks_.size() <= 1;
}

Batch CallLoop::run(std::int64_t calls) const {
  if (!direct_) return packed_loop(f_, args_, masks_, expected_, calls);
  const std::uint64_t mask = masks_.empty() ? 0 : masks_[0];
  const std::uint64_t want = expected_.empty() ? 0 : expected_[0];
  const std::uint64_t* a = args_bits_.data();
  switch (args_bits_.size()) {
    case 0: return direct_loop(f_, a, mask, want, calls, std::make_index_sequence<0>());
    case 1: return direct_loop(f_, a, mask, want, calls, std::make_index_sequence<1>());
    case 2: return direct_loop(f_, a, mask, want, calls, std::make_index_sequence<2>());
    case 3: return direct_loop(f_, a, mask, want, calls, std::make_index_sequence<3>());
    default: return direct_loop(f_, a, mask, want, calls, std::make_index_sequence<4>());
  }
}

FirstCall first_call(const Func& f, std::span<const RawVal> args) {
  std::vector<RawVal> io(std::max<std::size_t>({1, args.size(), f.type->results.size()}));
  std::copy(args.begin(), args.end(), io.begin());
  FirstCall out;
  const auto t0 = Clock::now();
  out.trap = f.call(f.ctx, io.data());
  out.seconds = since(t0);
  if (out.trap == TrapKind::none) {
    for (std::size_t r = 0; r < f.type->results.size(); ++r) {
      out.results.push_back(value_bits(io[r], f.type->results[r]));
    }
  }
  return out;
}

Calibration calibrate(const CallLoop& loop, double target_s) {
  constexpr std::int64_t kMaxCalls = std::int64_t{1} << 40;
  Calibration c;
  for (;;) {
    c.last = loop.run(c.calls);
    if (c.last.trap != TrapKind::none || c.last.seconds >= target_s / 2 || c.calls >= kMaxCalls) return c;
    const double factor = c.last.seconds > 0 ? std::clamp(target_s / c.last.seconds, 2.0, 100.0) : 100.0;
    c.calls = std::min(kMaxCalls, static_cast<std::int64_t>(std::ceil(static_cast<double>(c.calls) * factor)));
  }
}

}  // namespace wasmhop::cli::bench
