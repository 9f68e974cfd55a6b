#include "engines/wasm2c/host_runtime.hpp"

#include <wasm-rt.h>

#include <array>
#include <cstddef>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "engines/common/linear_memory.hpp"
#include "engines/common/trap_guard.hpp"

namespace wasmhop::wasm2c {
namespace {

using detail::LinearMemory;

// wasm_rt_memory_t.size is 32 bits: 65536 pages (4 GiB) would wrap it to 0 and make the
// generated bulk-memory range checks fail. One page less keeps size exact; memory.grow to the
// full 4 GiB answers -1, which wasm allows (growth may always fail).
constexpr std::uint32_t kMaxPages = LinearMemory::kMaxPages - 1;

thread_local std::string t_host_error;

// Live memories by base address. The generated code names a memory by its wasm_rt_memory_t,
// whose `data` is the reservation's base (it never moves). Lookups (memory.grow, called from
// guest code that may be unwound at any instruction by a trap) take no lock; insertion and
// removal (instantiation, instance destruction) do.
constexpr std::size_t kSlots = 4096;
std::array<std::atomic<std::uint8_t*>, kSlots> g_base{};
std::array<std::atomic<LinearMemory*>, kSlots> g_memory{};
std::atomic<std::size_t> g_high_water{0};
std::mutex g_slots_mutex;

LinearMemory* find(const std::uint8_t* base) noexcept {
  const std::size_t n = g_high_water.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < n; ++i) {
    if (g_base[i].load(std::memory_order_acquire) == base) return g_memory[i].load(std::memory_order_acquire);
  }
  return nullptr;
}

// Creates the memory; false (with t_host_error set) when it cannot.
bool allocate(wasm_rt_memory_t* mem, std::uint32_t initial, std::uint32_t max) {
  if (max > kMaxPages) max = kMaxPages;
  auto lm = LinearMemory::create(initial, max);
  if (!lm) {
    t_host_error = lm.error().message;
    return false;
  }
  std::lock_guard lock(g_slots_mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (g_base[i].load(std::memory_order_relaxed) != nullptr) continue;
    LinearMemory* m = lm->release();
    g_memory[i].store(m, std::memory_order_relaxed);
    g_base[i].store(m->base(), std::memory_order_release);
    if (g_high_water.load(std::memory_order_relaxed) <= i) g_high_water.store(i + 1, std::memory_order_release);
    mem->data = m->base();
    mem->pages = m->pages();
    mem->max_pages = m->max_pages();
    mem->size = static_cast<std::uint32_t>(m->size());
    return true;
  }
  t_host_error = fmt::format("more than {} live wasm2c memories in this process", kSlots);
  return false;
}

[[noreturn]] void host_trap(std::uint32_t code) { detail::raise_trap(map_trap(code)); }

void host_memory_allocate(void* memory, std::uint32_t initial, std::uint32_t max) {
  if (!allocate(static_cast<wasm_rt_memory_t*>(memory), initial, max)) {
    // Everything with a destructor is gone by now: unwinding skips no C++ cleanup.
    detail::raise_trap(TrapKind::host_error);
  }
}

std::uint32_t host_memory_grow(void* memory, std::uint32_t delta) {
  auto* mem = static_cast<wasm_rt_memory_t*>(memory);
  LinearMemory* m = find(mem->data);
  if (m == nullptr) return UINT32_MAX;
  const std::int32_t old = m->grow(delta);
  if (old < 0) return UINT32_MAX;
  mem->pages = m->pages();
  mem->size = static_cast<std::uint32_t>(m->size());
  return static_cast<std::uint32_t>(old);
}

void host_memory_free(void* memory) {
  auto* mem = static_cast<wasm_rt_memory_t*>(memory);
  if (mem->data == nullptr) return;
  LinearMemory* m = nullptr;
  {
    std::lock_guard lock(g_slots_mutex);
    const std::size_t n = g_high_water.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < n; ++i) {
      if (g_base[i].load(std::memory_order_relaxed) == mem->data) {
        m = g_memory[i].load(std::memory_order_relaxed);
        g_base[i].store(nullptr, std::memory_order_release);
        g_memory[i].store(nullptr, std::memory_order_relaxed);
        break;
      }
    }
  }
  delete m;  // unmaps the reservation and unregisters it from the trap guard
  mem->data = nullptr;
  mem->pages = 0;
  mem->size = 0;
}

#if defined(__x86_64__)
// The objects' guarded entries link their jump buffers into detail::t_trap_frame directly; they
// must agree with the host on the frame's layout.
static_assert(sizeof(detail::TrapFrame) == sizeof(wasmhop_w2c_trap_frame));
static_assert(offsetof(detail::TrapFrame, buf) == offsetof(wasmhop_w2c_trap_frame, buf));
static_assert(offsetof(detail::TrapFrame, prev) == offsetof(wasmhop_w2c_trap_frame, prev));

#endif

}  // namespace

const wasmhop_w2c_host* host_api() noexcept {
  static const wasmhop_w2c_host host = {WASMHOP_W2C_ABI_VERSION, &host_trap, &host_memory_allocate,
                                        &host_memory_grow, &host_memory_free, detail::trap_frame_tls_offset()};
  return &host;
}

TrapKind map_trap(std::uint32_t code) noexcept {
  switch (code) {
    case WASM_RT_TRAP_OOB: return TrapKind::out_of_bounds_memory;
    case WASM_RT_TRAP_INT_OVERFLOW: return TrapKind::integer_overflow;
    case WASM_RT_TRAP_DIV_BY_ZERO: return TrapKind::integer_divide_by_zero;
    case WASM_RT_TRAP_INVALID_CONVERSION: return TrapKind::invalid_conversion;
    case WASM_RT_TRAP_UNREACHABLE: return TrapKind::unreachable;
    case WASM_RT_TRAP_CALL_INDIRECT: return TrapKind::indirect_call_mismatch;
    case WASM_RT_TRAP_EXHAUSTION: return TrapKind::call_stack_exhausted;
    case WASMHOP_W2C_TRAP_RESOURCE: return TrapKind::host_error;
    case WASMHOP_W2C_TRAP_HOST_FUNCTION: return TrapKind::host_error;  // the core reports the host's error
    default: return TrapKind::unknown;  // never TrapKind::none: a trap must not look like success
  }
}

std::string take_host_error() { return std::exchange(t_host_error, {}); }

}  // namespace wasmhop::wasm2c
