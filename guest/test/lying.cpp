// A hostile script for the ABI tests: alloc() and static_buffer() return whatever lie the host
// asks for with set_lie(mode), so the host's checks are exercised on every engine.
#include <cstdint>
#include <cstring>

#include <wasmhop/guest.hpp>

namespace {
std::int32_t g_lie = 0;
std::uint8_t* g_static = nullptr;

std::int64_t lie(std::uint32_t ptr, std::uint32_t len) {
  switch (g_lie) {
    case 1: return wasmhop::guest::pack_ptr_len(wasmhop::guest::memory_pages() * 65536u, len);  // past the end
    case 2: return wasmhop::guest::pack_ptr_len(ptr, 4);                                          // too short
    case 3: return wasmhop::guest::pack_ptr_len(0xFFFFFFF0u, 0x100);                              // wraps 32 bits
    case 4: return 0;                                                                             // null
    case 5: return -1;                                                                            // all ones
    // Further lies for tests/hostile (lying_abi_test.cpp):
    case 6: return wasmhop::guest::pack_ptr_len(ptr, 0x80000000u | len);                           // negative length
    case 7: return wasmhop::guest::pack_ptr_len(wasmhop::guest::memory_pages() * 65536u - len + 1, len);  // 1 byte past
    case 8: return wasmhop::guest::pack_ptr_len(0xFFFFFFFFu, 1);                                 // ptr+len = 2^32
    case 9: return wasmhop::guest::pack_ptr_len(16, len);                                        // in the C stack
    default: return wasmhop::guest::pack_ptr_len(ptr, len);
  }
}
}  // namespace

WASMHOP_EXPORT(void, set_lie, (std::int32_t mode)) { g_lie = mode; }

WASMHOP_EXPORT(std::int64_t, alloc, (std::int32_t size)) {
  void* p = wasmhop::guest::buffer_alloc(static_cast<std::size_t>(size));
  return lie(wasmhop::guest::offset_of(p), static_cast<std::uint32_t>(size));
}

WASMHOP_EXPORT(std::int64_t, static_buffer, ()) {
  if (g_static == nullptr) g_static = static_cast<std::uint8_t*>(wasmhop::guest::buffer_alloc(64));
  return lie(wasmhop::guest::offset_of(g_static), 64);
}

// Consumers with the micro script's signatures: if the host ever calls them, the lie got through.
WASMHOP_EXPORT(std::int32_t, mul_pod_dynamic, (std::int32_t, std::int32_t)) { __builtin_trap(); }
WASMHOP_EXPORT(std::int32_t, mul_bincode, (std::int32_t, std::int32_t)) { __builtin_trap(); }
WASMHOP_EXPORT(std::int32_t, mul_pod_static, (std::int32_t, std::int32_t)) { __builtin_trap(); }
