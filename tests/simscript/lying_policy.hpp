// A "policy" for the lying-guest tests, wrapped by the real script (guest/policies/script.cpp):
// it answers miss, or hit, and reports counters chosen by the capacity it is given.
#pragma once

#include <cstdint>

#include "wasmhop/cache/types.hpp"

namespace wasmhop::test {

class LyingPolicy {
 public:
  // The capacity picks the lie.
  enum Lie : std::uint64_t {
    none = 0,
    more_hits_than_requests = 1,
    more_bytes_hit_than_requested = 2,
    uncounted_request = 3,       // reports one request fewer than it was sent
    hits_it_did_not_answer = 4,  // answers hit every time, reports no hits
  };

  explicit LyingPolicy(const cache::CacheConfig& config) : lie_(config.capacity) {}

  bool access(std::uint64_t, std::uint64_t size) {
    ++honest_.requests;
    honest_.bytes_requested += size;
    return lie_ == hits_it_did_not_answer;
  }

  const cache::CacheStats& stats() const {
    reported_ = honest_;
    switch (lie_) {
      case more_hits_than_requests: reported_.hits = reported_.requests + 1; break;
      case more_bytes_hit_than_requested: reported_.bytes_hit = reported_.bytes_requested + 1; break;
      case uncounted_request: --reported_.requests; break;
      default: break;
    }
    return reported_;
  }

 private:
  std::uint64_t lie_;
  cache::CacheStats honest_;
  mutable cache::CacheStats reported_;
};

}  // namespace wasmhop::test
