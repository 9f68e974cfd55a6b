// A "policy" for tests/hostile, wrapped by the real policy script (guest/policies/script.cpp) and
// built for every engine: it counts like an honest policy (all misses) until it meets one of the
// ids below in the middle of a batch (a trap, or a loop that never ends).
#pragma once

#include <cstdint>

#include "wasmhop/cache/types.hpp"

namespace wasmhop::test {

class HostilePolicy {
 public:
  static constexpr std::uint64_t kUnreachable = 666;  // unreachable (ud2 natively)
  static constexpr std::uint64_t kDivide = 667;       // integer divide by zero
  static constexpr std::uint64_t kWildStore = 668;    // a store near the top of the 4 GiB address space
  static constexpr std::uint64_t kSpin = 669;         // never returns (a volatile store per iteration)

  explicit HostilePolicy(const cache::CacheConfig&) {}

  bool access(std::uint64_t id, std::uint64_t size) {
    ++stats_.requests;
    stats_.bytes_requested += size;
    switch (id) {
      case kUnreachable: __builtin_trap();
      case kDivide: sink_ = one_ / zero_; break;
      case kWildStore: *reinterpret_cast<volatile std::uint32_t*>(wild()) = 1; break;
      case kSpin:
        for (;;) sink_ = sink_ + 1;
      default: break;
    }
    return false;
  }

  const cache::CacheStats& stats() const { return stats_; }

 private:
  // Natively too the address is past the end of linear memory (guard pages): wasmhop's linear
  // memory base plus 4 GiB - 16.
  static std::uintptr_t wild();

  cache::CacheStats stats_;
  volatile std::int32_t one_ = 1, zero_ = 0, sink_ = 0;
};

}  // namespace wasmhop::test

#if defined(__wasm__)
inline std::uintptr_t wasmhop::test::HostilePolicy::wild() { return 0xFFFFFFF0u; }
#else
extern "C" std::uint8_t* wasmhop_native_memory_base;
inline std::uintptr_t wasmhop::test::HostilePolicy::wild() {
  return reinterpret_cast<std::uintptr_t>(wasmhop_native_memory_base) + 0xFFFFFFF0u;
}
#endif
