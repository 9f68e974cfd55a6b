// Compiled to wasm32-wasi by tests/sim/CMakeLists.txt (when clang can): every policy header must
// build for the guest target with -fno-exceptions -fno-rtti and link into an import-free module.
#include "policies/fifo.hpp"
#include "policies/gds.hpp"
#include "policies/gdsf.hpp"
#include "policies/largest_first.hpp"
#include "policies/lfu.hpp"
#include "policies/lfuda.hpp"
#include "policies/lru.hpp"

namespace {

template <class Policy>
unsigned long long exercise() {
  wasmhop::cache::CacheConfig config{1000, wasmhop::cache::SizeChange::miss, wasmhop::cache::Cost::packets};
  Policy p(config);
  for (unsigned i = 0; i < 1000; ++i) {
    unsigned id = i * 2654435761u % 97;
    p.access(id, (id * 7) % 300);
  }
  return p.stats().hits;
}

}  // namespace

extern "C" __attribute__((export_name("wasmhop_check"))) unsigned long long wasmhop_check() {
  using namespace wasmhop::cache;
  return exercise<Fifo>() + exercise<Lru>() + exercise<Lfu>() + exercise<Gds>() + exercise<Gdsf>() +
         exercise<Lfuda>() + exercise<LargestFirst>();
}
