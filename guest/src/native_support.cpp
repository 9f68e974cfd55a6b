// Linked into every native build of a guest: the export table, the host attachment, and the
// buffer pool over the host-provided arena (the native stand-in for linear memory), so that
// offsets mean the same thing as in the wasm build.
#include <cstdint>
#include <cstring>

#include "wasmhop/buffer_pool.hpp"
#include "wasmhop/guest.hpp"

extern "C" {
__attribute__((visibility("default"))) std::uint8_t* wasmhop_native_memory_base = nullptr;
#if defined(__x86_64__)
__attribute__((visibility("hidden"))) std::intptr_t wasmhop_native_frame_offset = 0;
#endif
}

#if defined(__x86_64__)
// wasmhop_native_guarded_direct(body, a0, a1, a2, a3): the host's trap frame on this stack (the
// jump buffer its longjmp restores: rbx rbp r12-r15, rsp, landing address; then the enclosing
// frame), linked as the thread's current one through the host's thread-local slot, then
// body(a0..a3); unlinked on the way out. A trap jumps to label 1 with the TrapKind in eax, which
// goes back as {0, kind}. Scratch registers are r10/r11: never an argument.
__asm__(".text\n.p2align 4\n.globl wasmhop_native_guarded_direct\n.hidden wasmhop_native_guarded_direct\n"
        ".type wasmhop_native_guarded_direct, @function\nwasmhop_native_guarded_direct:\n"
        "  subq $88, %rsp\n"  // frame: buf[8] at 0, prev at 64; 16-byte aligned for the call
        "  movq wasmhop_native_frame_offset(%rip), %r10\n"
        "  movq %rbx, 0(%rsp)\n"
        "  movq %rbp, 8(%rsp)\n"
        "  movq %r12, 16(%rsp)\n"
        "  movq %r13, 24(%rsp)\n"
        "  movq %r14, 32(%rsp)\n"
        "  movq %r15, 40(%rsp)\n"
        "  movq %rsp, 48(%rsp)\n"
        "  leaq 1f(%rip), %r11\n"
        "  movq %r11, 56(%rsp)\n"
        "  movq %fs:(%r10), %r11\n"
        "  movq %r11, 64(%rsp)\n"
        "  movq %rsp, %fs:(%r10)\n"
        "  movq %rdi, %r11\n"
        "  movq %rsi, %rdi\n"
        "  movq %rdx, %rsi\n"
        "  movq %rcx, %rdx\n"
        "  movq %r8, %rcx\n"
        "  call *%r11\n"
        "  movq wasmhop_native_frame_offset(%rip), %r10\n"
        "  movq 64(%rsp), %r11\n"
        "  movq %r11, %fs:(%r10)\n"
        "  addq $88, %rsp\n"
        "  ret\n"
        "1:\n"
        "  movq wasmhop_native_frame_offset(%rip), %r10\n"
        "  movq 64(%rsp), %r11\n"
        "  movq %r11, %fs:(%r10)\n"
        "  movl %eax, %edx\n"
        "  xorl %eax, %eax\n"
        "  addq $88, %rsp\n"
        "  ret\n"
        ".size wasmhop_native_guarded_direct, .-wasmhop_native_guarded_direct\n");
#endif

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
#if defined(__x86_64__)
  wasmhop_native_frame_offset = host->trap_frame_tls_offset;
#endif
  g_end = std::uint64_t{g_host.memory_pages(g_host.host_ctx)} * kPage;
  g_bump = 1024;  // offsets below stay unused, so 0 is never a valid buffer (like a null pointer)
  return 0;
}
}
