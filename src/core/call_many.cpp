// Instance::call_many: many calls of one export per host request, made by the engine when it can
// (Capabilities::call_many), else one by one here.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "wasmhop/engine.hpp"

namespace wasmhop {

Status Instance::call_many(const Func& f, std::span<const RawVal> args, std::span<RawVal> results,
                           std::size_t count) {
  if (f.owner != this) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("module '{}': call_many was given export '{}' of another instance", module_name_, f.name));
  }
  const std::size_t p = f.type->params.size();
  const std::size_t r = f.type->results.size();
  // Division, not multiplication: a count near SIZE_MAX must not wrap into a match.
  const bool fits = (p == 0 ? args.empty() : args.size() % p == 0 && args.size() / p == count) &&
                    (r == 0 ? results.empty() : results.size() % r == 0 && results.size() / r == count);
  if (!fits) {
    return fail(ErrorKind::signature_mismatch,
                fmt::format("module '{}', export '{}' has type {}: call_many of {} calls was given {} argument(s) "
                            "and {} result slot(s)",
                            module_name_, f.name, f.type->to_string(), count, args.size(), results.size()));
  }
  if (count == 0) return {};
  std::size_t done = 0;
  const TrapKind t = run_many(f, args.data(), results.data(), count, done);
  if (t == TrapKind::none) [[likely]] return {};
  Error e = trap_error(f, t);
  e.message += fmt::format(" (call {} of {} in call_many, counted from 0)", done, count);
  return tl::unexpected(std::move(e));
}

namespace {

bool is_32bit(ValType t) noexcept { return t == ValType::i32 || t == ValType::f32; }

template <std::size_t>
using DirectArg = std::uint64_t;

// The calls through the export's direct entry (func.hpp), as TypedFunc makes them: arguments in
// registers (a 32-bit value zero-extended), result and trap kind back in two (or, under a TrapScope,
// a trap caught by call_direct). P parameters.
template <std::size_t P>
TrapKind many_direct(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                     std::size_t& done) noexcept {
  std::uint64_t mask[P > 0 ? P : 1] = {};
  for (std::size_t j = 0; j < P; ++j) mask[j] = is_32bit(f.type->params[j]) ? 0xFFFF'FFFFu : ~std::uint64_t{0};
  const bool has_result = !f.type->results.empty();
  const bool narrow = has_result && is_32bit(f.type->results[0]);
  for (std::size_t k = 0; k < count; ++k) {
    const RawVal* a = args + k * P;
    // call_direct: under a TrapScope a trap unwinds out of a scoped_direct entry to its catch.
    const DirectResult r = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return detail::call_direct(f, static_cast<DirectArg<I>>(a[I].bits & mask[I])...);
    }(std::make_index_sequence<P>{});
    if (r.trap != 0) [[unlikely]] {
      done = k;
      return static_cast<TrapKind>(r.trap);
    }
    if (narrow) {  // the low half, as a packed call writes it
      const auto v = static_cast<std::uint32_t>(r.value);
      std::memcpy(&results[k], &v, sizeof v);
    } else if (has_result) {
      results[k].bits = r.value;
    }
  }
  done = count;
  return TrapKind::none;
}

// The calls through the packed entry, P parameters and R results known here: the copies in and
// out are a few moves instead of two memcpy calls per call (wasm2c, pair-many: 92 -> 61
// instructions per call of mul_pair, callgrind; pair-typed: 55).
template <std::size_t P, std::size_t R>
TrapKind many_packed(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                     std::size_t& done) noexcept {
  static_assert(R <= 1);
  RawVal io[std::max<std::size_t>({1, P, R})];
  // A 32-bit result is read with its own width, as TypedFunc reads it: the engine may have stored
  // only 4 bytes, and an 8-byte load right after a 4-byte store waits for it (no store
  // forwarding): wasm2c's pair-many took 9.6 ns of CPU a call that way, 5.7 now, pair-typed 5.1
  // (61 instructions per call either way).
  const bool narrow = R == 1 && is_32bit(f.type->results[0]);
  for (std::size_t k = 0; k < count; ++k) {
    for (std::size_t j = 0; j < P; ++j) io[j] = args[k * P + j];
    if (const TrapKind t = f.call(f.ctx, io); t != TrapKind::none) [[unlikely]] {
      done = k;
      return t;
    }
    if constexpr (R == 1) {
      if (narrow) {  // the low half only, as the direct entries and V8's loop write it
        std::uint32_t v;
        std::memcpy(&v, &io[0], sizeof v);
        std::memcpy(&results[k], &v, sizeof v);
      } else {
        results[k] = io[0];
      }
    }
  }
  done = count;
  return TrapKind::none;
}

template <std::size_t R>
TrapKind many_packed_r(std::size_t p, const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                       std::size_t& done) noexcept {
  switch (p) {
    case 0: return many_packed<0, R>(f, args, results, count, done);
    case 1: return many_packed<1, R>(f, args, results, count, done);
    case 2: return many_packed<2, R>(f, args, results, count, done);
    case 3: return many_packed<3, R>(f, args, results, count, done);
    default: return many_packed<4, R>(f, args, results, count, done);
  }
}

}  // namespace

TrapKind Instance::run_many(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                            std::size_t& done) noexcept {
  const std::size_t p = f.type->params.size();
  const std::size_t r = f.type->results.size();
  // The direct entry when the engine has one (what a loop of TypedFunc calls would use).
  static_assert(kDirectMaxParams == 4, "many_direct is instantiated for 0..4 parameters");
  if (f.direct != nullptr && p <= kDirectMaxParams && r <= 1) {
    switch (p) {
      case 0: return many_direct<0>(f, args, results, count, done);
      case 1: return many_direct<1>(f, args, results, count, done);
      case 2: return many_direct<2>(f, args, results, count, done);
      case 3: return many_direct<3>(f, args, results, count, done);
      default: return many_direct<4>(f, args, results, count, done);
    }
  }
  if (p <= 4 && r <= 1) {
    return r == 0 ? many_packed_r<0>(p, f, args, results, count, done)
                  : many_packed_r<1>(p, f, args, results, count, done);
  }
  // Any other type: the values copied by count.
  constexpr std::size_t kInline = 8;
  RawVal inline_io[kInline];
  std::vector<RawVal> wide;
  RawVal* io = inline_io;
  if (std::max(p, r) > kInline) {
    try {
      wide.resize(std::max(p, r));
    } catch (...) {  // noexcept hook: a failed allocation is the host's error, no call made
      done = 0;
      return TrapKind::host_error;
    }
    io = wide.data();
  }
  for (std::size_t k = 0; k < count; ++k) {
    std::copy_n(args + k * p, p, io);
    if (const TrapKind t = f.call(f.ctx, io); t != TrapKind::none) [[unlikely]] {
      done = k;
      return t;
    }
    std::copy_n(io, r, results + k * r);
  }
  done = count;
  return TrapKind::none;
}

}  // namespace wasmhop
