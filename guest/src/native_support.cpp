// Linked into every native build of a guest: the export table, the host attachment, and the
// buffer pool over the host-provided arena (the native stand-in for linear memory), so that
// offsets mean the same thing as in the wasm build.
#include <cstdint>
#include <cstring>

#include "wasmhop/buffer_pool.hpp"
#include "wasmhop/guest.hpp"

extern "C" {
__attribute__((visibility("default"))) std::uint8_t* wasmhop_native_memory_base = nullptr;
}

namespace {

constexpr std::uint32_t kMaxExports = 256;
wasmhop_native_export_entry g_exports[kMaxExports];
std::uint32_t g_export_count = 0;
constexpr std::uint32_t kMaxImports = 256;
wasmhop_native_import_entry g_imports[kMaxImports];
std::uint32_t g_import_count = 0;
wasmhop_native_host g_host{};

// The arena is handed out to the buffer pool in chunks, bump-allocated from offset 1024 up
// (offsets below stay unused, so 0 is never a valid buffer, like a null pointer).
constexpr std::uint32_t kPage = 65536;
std::uint64_t g_bump = 0;  // next unused offset
std::uint64_t g_end = 0;   // bytes of arena currently committed

std::uint8_t* arena_chunk(std::size_t bytes) {
  const std::uint64_t start = g_bump;
  while (start + bytes > g_end) {
    const std::uint64_t need = start + bytes - g_end;
    const auto pages = static_cast<std::uint32_t>((need + kPage - 1) / kPage);
    if (g_host.memory_grow(g_host.host_ctx, pages) < 0) return nullptr;
    g_end = std::uint64_t{g_host.memory_pages(g_host.host_ctx)} * kPage;
  }
  g_bump = start + bytes;
  return wasmhop_native_memory_base + start;
}

wasmhop::guest::detail::BufferPool g_pool{&arena_chunk};

}  // namespace

namespace wasmhop::guest {

void register_native_export(const wasmhop_native_export_entry& e) noexcept {
  if (g_export_count < kMaxExports) g_exports[g_export_count++] = e;
}

std::uint32_t register_native_import(const wasmhop_native_import_entry& e) noexcept {
  if (g_import_count < kMaxImports) g_imports[g_import_count] = e;
  return g_import_count++;  // past kMaxImports: module info reports the overflow to the host
}

void call_native_import(std::uint32_t index, wasmhop_native_val* io) noexcept {
  const wasmhop_native_import_binding& b = g_host.imports[index];
  if (b.call(b.ctx, g_host.caller, io) != 0) [[unlikely]] g_host.trap(g_host.host_ctx, 9 /* host_error */);
}

std::uint32_t memory_pages() noexcept { return g_host.memory_pages(g_host.host_ctx); }

std::int32_t memory_grow(std::uint32_t pages) noexcept {
  const std::int32_t old = g_host.memory_grow(g_host.host_ctx, pages);
  if (old >= 0) g_end = std::uint64_t{g_host.memory_pages(g_host.host_ctx)} * kPage;
  return old;
}

void* buffer_alloc(std::size_t size) noexcept { return g_pool.alloc(size); }
void buffer_free(void* p) noexcept { g_pool.free(p); }

}  // namespace wasmhop::guest

extern "C" {

__attribute__((visibility("default"))) const wasmhop_native_module_desc*
wasmhop_native_module_info() {
  static wasmhop_native_module_desc desc;
  // More imports than the table holds: a count the host refuses rather than a short table.
  const std::uint32_t imports = g_import_count <= kMaxImports ? g_import_count : UINT32_MAX;
  desc = {WASMHOP_NATIVE_ABI_VERSION, g_export_count, g_exports, imports, g_imports};
  return &desc;
}

// Called once by the host after loading, before any export.
__attribute__((visibility("default"))) int wasmhop_native_attach(const wasmhop_native_host* host) {
  if (host == nullptr || host->abi_version != WASMHOP_NATIVE_ABI_VERSION) return -1;
  if (host->import_count != g_import_count) return -1;
  g_host = *host;
  wasmhop_native_memory_base = host->memory_base;
  g_end = std::uint64_t{g_host.memory_pages(g_host.host_ctx)} * kPage;
  g_bump = 1024;  // offsets below stay unused, so 0 is never a valid buffer (like a null pointer)
  return 0;
}
}
