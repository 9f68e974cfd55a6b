// Helpers shared by the policy tests: run any policy class or the reference over a trace.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "policies/fifo.hpp"
#include "policies/gds.hpp"
#include "policies/gdsf.hpp"
#include "policies/largest_first.hpp"
#include "policies/lfu.hpp"
#include "policies/lfuda.hpp"
#include "policies/lru.hpp"
#include "reference_cache.hpp"

namespace wasmhop::sim::testing {

using cache::CacheConfig;
using cache::CacheStats;
using cache::Request;

struct Outcome {
  std::string hits;  // one char per request: 'H' hit, '.' miss
  CacheStats stats;
};

template <class Policy>
Outcome run_policy(const CacheConfig& config, const std::vector<Request>& trace) {
  Policy p(config);
  Outcome out;
  for (const Request& r : trace) out.hits += p.access(r.id, r.size) ? 'H' : '.';
  out.stats = p.stats();
  return out;
}

inline Outcome run_reference(RefPolicy policy, const CacheConfig& config, const std::vector<Request>& trace) {
  ReferenceCache ref(policy, config);
  Outcome out;
  for (const Request& r : trace) out.hits += ref.access(r.id, r.size) ? 'H' : '.';
  out.stats = ref.stats();
  return out;
}

struct PolicyCase {
  std::string name;
  RefPolicy ref;
  std::function<Outcome(const CacheConfig&, const std::vector<Request>&)> run;
};

inline std::vector<PolicyCase> all_policy_cases() {
  return {
      {"fifo", RefPolicy::fifo, run_policy<cache::Fifo>},
      {"lru", RefPolicy::lru, run_policy<cache::Lru>},
      {"lfu", RefPolicy::lfu, run_policy<cache::Lfu>},
      {"gds", RefPolicy::gds, run_policy<cache::Gds>},
      {"gdsf", RefPolicy::gdsf, run_policy<cache::Gdsf>},
      {"lfuda", RefPolicy::lfuda, run_policy<cache::Lfuda>},
      {"largest-first", RefPolicy::largest_first, run_policy<cache::LargestFirst>},
  };
}

struct TraceShape {
  std::size_t requests = 2000;
  std::uint64_t ids = 60;             // id space
  double size_change_prob = 0.0;      // chance a request carries a new size for its id
  std::vector<std::uint64_t> sizes{0, 1, 1, 2, 3, 4, 4, 8, 8, 16, 30, 64, 200};  // drawn per id; repeats = ties
};

// Skewed ids (squared uniform), a size per id drawn from `sizes`, optional size changes.
inline std::vector<Request> random_trace(std::uint64_t seed, const TraceShape& shape) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::uint64_t> size_of(shape.ids);
  auto draw_size = [&] { return shape.sizes[rng() % shape.sizes.size()]; };
  for (auto& s : size_of) s = draw_size();
  std::vector<Request> trace;
  trace.reserve(shape.requests);
  for (std::size_t i = 0; i < shape.requests; ++i) {
    double x = u(rng);
    std::uint64_t id = static_cast<std::uint64_t>(x * x * static_cast<double>(shape.ids));
    if (id >= shape.ids) id = shape.ids - 1;
    if (shape.size_change_prob > 0 && u(rng) < shape.size_change_prob) size_of[id] = draw_size();
    trace.push_back({id * 7919 + 3, size_of[id]});  // spread the ids a little
  }
  return trace;
}

}  // namespace wasmhop::sim::testing
