// Linked into every guest component: cabi_realloc, where the canonical ABI asks the guest for
// memory for the data it lowers (a list<u8> payload). It takes buffers from the same pool as the
// hand-rolled ABIs' alloc export (wasmhop/buffer_pool.hpp, through wasm_support.cpp), so the
// comparison measures the ABI, not two allocators; the export that receives a list frees it with
// buffer_free. wit-bindgen's own cabi_realloc (over malloc) is weak: this one replaces it.
#include <cstddef>
#include <cstring>

#include <wasmhop/guest.hpp>

extern "C" __attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, std::size_t old_size,
                                                                            std::size_t align, std::size_t size) {
  if (align > 8) [[unlikely]] __builtin_trap();  // the pool aligns to 8; the study's WIT needs no more
  void* p = wasmhop::guest::buffer_alloc(size);
  if (p == nullptr) [[unlikely]] __builtin_trap();  // the canonical ABI has no way to say "no memory"
  if (old != nullptr) {
    std::memcpy(p, old, old_size < size ? old_size : size);
    wasmhop::guest::buffer_free(old);
  }
  return p;
}
