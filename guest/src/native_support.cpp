// Linked into every native build of a guest: the export table, the host attachment, and a
// small allocator that hands out buffers inside the host-provided arena (the native stand-in
// for linear memory), so that offsets mean the same thing as in the wasm build.
#include <cstdint>
#include <cstring>

#include "wasmhop/guest.hpp"

extern "C" {
__attribute__((visibility("default"))) std::uint8_t* wasmhop_native_memory_base = nullptr;
}

namespace {

constexpr std::uint32_t kMaxExports = 256;
wasmhop_native_export_entry g_exports[kMaxExports];
std::uint32_t g_export_count = 0;
wasmhop_native_host g_host{};

// Size-class allocator over the arena: 2^k-byte blocks (k >= 4) with an 8-byte header holding k;
// freed blocks go on a per-class free list threaded through the blocks (as offsets).
constexpr std::uint32_t kHeader = 8;
constexpr std::uint32_t kPage = 65536;
std::uint32_t g_free[33];     // head offset per class, 0 = empty
std::uint32_t g_bump = 0;     // next unused offset
std::uint32_t g_end = 0;      // bytes of arena currently committed

bool ensure(std::uint64_t end) noexcept {
  while (end > g_end) {
    const std::uint64_t need = end - g_end;
    const auto pages = static_cast<std::uint32_t>((need + kPage - 1) / kPage);
    if (g_host.memory_grow(g_host.host_ctx, pages) < 0) return false;
    g_end = g_host.memory_pages(g_host.host_ctx) * kPage;
  }
  return true;
}

}  // namespace

namespace wasmhop::guest {

void register_native_export(const wasmhop_native_export_entry& e) noexcept {
  if (g_export_count < kMaxExports) g_exports[g_export_count++] = e;
}

std::uint32_t memory_pages() noexcept { return g_host.memory_pages(g_host.host_ctx); }

std::int32_t memory_grow(std::uint32_t pages) noexcept {
  const std::int32_t old = g_host.memory_grow(g_host.host_ctx, pages);
  if (old >= 0) g_end = g_host.memory_pages(g_host.host_ctx) * kPage;
  return old;
}

void* buffer_alloc(std::size_t size) noexcept {
  if (size > (std::size_t{1} << 31)) return nullptr;
  std::uint32_t k = 4;
  while ((std::size_t{1} << k) < size + kHeader) ++k;
  std::uint32_t block = g_free[k];
  if (block != 0) {
    std::memcpy(&g_free[k], wasmhop_native_memory_base + block + kHeader, sizeof(std::uint32_t));
  } else {
    block = g_bump;
    if (!ensure(std::uint64_t{block} + (std::uint64_t{1} << k))) return nullptr;
    g_bump = block + (1u << k);
  }
  std::memcpy(wasmhop_native_memory_base + block, &k, sizeof(k));
  return wasmhop_native_memory_base + block + kHeader;
}

void buffer_free(void* p) noexcept {
  if (p == nullptr) return;
  const std::uint32_t block = offset_of(p) - kHeader;
  std::uint32_t k;
  std::memcpy(&k, wasmhop_native_memory_base + block, sizeof(k));
  std::memcpy(wasmhop_native_memory_base + block + kHeader, &g_free[k], sizeof(std::uint32_t));
  g_free[k] = block;
}

}  // namespace wasmhop::guest

extern "C" {

__attribute__((visibility("default"))) const wasmhop_native_module_desc*
wasmhop_native_module_info() {
  static wasmhop_native_module_desc desc;
  desc = {WASMHOP_NATIVE_ABI_VERSION, g_export_count, g_exports};
  return &desc;
}

// Called once by the host after loading, before any export.
__attribute__((visibility("default"))) int wasmhop_native_attach(const wasmhop_native_host* host) {
  if (host == nullptr || host->abi_version != WASMHOP_NATIVE_ABI_VERSION) return -1;
  g_host = *host;
  wasmhop_native_memory_base = host->memory_base;
  g_end = g_host.memory_pages(g_host.host_ctx) * kPage;
  g_bump = 1024;  // offsets below stay unused, so 0 is never a valid buffer (like a null pointer)
  return 0;
}
}
