// parallel_for: a tiny fork-join pool. Workers take indices from a shared counter, so uneven jobs
// balance; the calling thread works too. If a thread cannot be started the others finish the work.
#pragma once

#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

namespace wasmhop::sim {

template <class F>
void parallel_for(std::size_t count, unsigned threads, F&& body) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) body(i);
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < threads && t < count; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
}

}  // namespace wasmhop::sim
