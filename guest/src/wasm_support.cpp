// Linked into every wasm build of a guest: buffer_alloc/free, and
//
// wasmhop_reset_stack: a trap unwinds the engine's call stack but not the C stack that clang keeps
// in linear memory (the mutable global __stack_pointer): each trap would leak the trapped call's
// C-stack frames until calls ran out of stack. The host calls this export after a trap, so an
// instance stays usable. Exports are only entered from the host, never re-entered, so between
// calls the C stack is empty and its pointer belongs at the top. Guests are linked with
// --stack-first: the stack occupies [0, __global_base) and its top is where the data begins.
#include <cstdint>
#include <cstdlib>

#include "wasmhop/buffer_pool.hpp"
#include "wasmhop/guest.hpp"

namespace {
std::uint8_t* malloc_chunk(std::size_t bytes) { return static_cast<std::uint8_t*>(std::malloc(bytes)); }
wasmhop::guest::detail::BufferPool g_pool{&malloc_chunk};
}  // namespace

namespace wasmhop::guest {
void* buffer_alloc(std::size_t size) noexcept { return g_pool.alloc(size); }
void buffer_free(void* p) noexcept { g_pool.free(p); }
}  // namespace wasmhop::guest

extern "C" char __global_base;

__asm__(".globaltype __stack_pointer, i32\n");

extern "C" __attribute__((export_name("wasmhop_reset_stack"))) void wasmhop_reset_stack() {
  const auto top = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(&__global_base));
  __asm__ volatile("local.get %0\n\tglobal.set __stack_pointer" ::"r"(top));
}
