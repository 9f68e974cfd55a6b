// wasmhop guest SDK: write a script once, build it to wasm32 (for the engines) and natively
// (for the native engine) from the same source.
//
//   #include <wasmhop/guest.hpp>
//   WASMHOP_EXPORT(int32_t, add, (int32_t a, int32_t b)) { return a + b; }
//   WASMHOP_IMPORT(void, env, log, (uint32_t ptr, uint32_t len));   // a host function
//
// Guest "pointers" crossing the boundary are 32-bit offsets into linear memory. Use
// wasmhop::guest::at<T>(offset) and offset_of(ptr) to convert; in wasm they are plain casts, in
// the native build they are relative to the arena the host provides as linear memory.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__wasm__)
#define WASMHOP_GUEST_WASM 1
#elif defined(WASMHOP_GUEST_NATIVE)
#define WASMHOP_GUEST_WASM 0
#else
#error "build guests with the wasmhop_add_guest() CMake function (wasm32 or WASMHOP_GUEST_NATIVE)"
#endif

#if WASMHOP_GUEST_WASM

#define WASMHOP_EXPORT(ret, name, params) \
  extern "C" __attribute__((export_name(#name))) ret wasmhop_export_##name params

// A host function the script calls as `name(args...)`: the module imports module.name.
#define WASMHOP_IMPORT(ret, module, name, params) \
  extern "C" __attribute__((import_module(#module), import_name(#name))) ret name params

#else  // native build: the export registers its name, signature and a packed-call thunk.

#include "wasmhop/guest_native.hpp"

#define WASMHOP_EXPORT(ret, name, params)                                          \
  extern "C" __attribute__((visibility("default"))) ret wasmhop_export_##name params; \
  [[maybe_unused]] static const ::wasmhop::guest::native_export<&wasmhop_export_##name> \
      wasmhop_registration_##name{#name};                                          \
  extern "C" ret wasmhop_export_##name params

// Natively, `name` is an object that registers module.name and calls the host's binding.
#define WASMHOP_IMPORT(ret, module, name, params) \
  inline const ::wasmhop::guest::native_import<ret params> name{#module, #name}

#endif

namespace wasmhop::guest {

#if WASMHOP_GUEST_WASM
template <class T>
[[nodiscard]] inline T* at(std::uint32_t offset) noexcept {
  return reinterpret_cast<T*>(static_cast<std::uintptr_t>(offset));
}
[[nodiscard]] inline std::uint32_t offset_of(const void* p) noexcept {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}
[[nodiscard]] inline std::uint32_t memory_pages() noexcept {
  return static_cast<std::uint32_t>(__builtin_wasm_memory_size(0));
}
// Grows linear memory by `pages` (64 KiB each); returns the old page count or -1.
[[nodiscard]] inline std::int32_t memory_grow(std::uint32_t pages) noexcept {
  return static_cast<std::int32_t>(__builtin_wasm_memory_grow(0, pages));
}
#else
extern "C" std::uint8_t* wasmhop_native_memory_base;  // set by the host before any call
template <class T>
[[nodiscard]] inline T* at(std::uint32_t offset) noexcept {
  return reinterpret_cast<T*>(wasmhop_native_memory_base + offset);
}
[[nodiscard]] inline std::uint32_t offset_of(const void* p) noexcept {
  return static_cast<std::uint32_t>(static_cast<const std::uint8_t*>(p) -
                                    wasmhop_native_memory_base);
}
[[nodiscard]] std::uint32_t memory_pages() noexcept;
[[nodiscard]] std::int32_t memory_grow(std::uint32_t pages) noexcept;
#endif

// Buffers that the host reads or writes must live in linear memory: allocate them here
// (a size-class pool, wasmhop/buffer_pool.hpp: in wasm over malloc'd chunks, natively over the
// arena the host provides as linear memory).
[[nodiscard]] void* buffer_alloc(std::size_t size) noexcept;
void buffer_free(void* p) noexcept;

// The i64 that `alloc`-style exports return: (ptr << 32) | len.
[[nodiscard]] constexpr std::int64_t pack_ptr_len(std::uint32_t ptr, std::uint32_t len) noexcept {
  return static_cast<std::int64_t>((static_cast<std::uint64_t>(ptr) << 32) | len);
}

}  // namespace wasmhop::guest
