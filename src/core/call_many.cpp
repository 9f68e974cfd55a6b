// Instance::call_many: many calls of one export per host request, made by the engine when it can
// (Capabilities::call_many), else one by one here.
#include <algorithm>
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

TrapKind Instance::run_many(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                            std::size_t& done) noexcept {
  const std::size_t p = f.type->params.size();
  const std::size_t r = f.type->results.size();
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
