#include "engines/wasm2c/imports.hpp"

#include "engines/common/linear_memory.hpp"

namespace wasmhop::wasm2c {

static_assert(sizeof(wasmhop_w2c_val) == sizeof(RawVal));

ImportTable::ImportTable(std::span<const BoundImport> bound, const wasm_rt_memory_t* memory)
    : caller_{const_cast<wasm_rt_memory_t*>(memory), &caller_memory} {
  funcs_.reserve(bound.size());
  for (const BoundImport& b : bound) {
    // ImportCallFn and the object's import call are one function type in C terms (a context, the
    // caller the host passed in, 8-byte slots of RawVal's layout).
    funcs_.push_back({reinterpret_cast<std::uint8_t (*)(void*, const void*, wasmhop_w2c_val*)>(b.call), b.ctx});
  }
  c_ = {funcs_.data(), &caller_};
}

void ImportTable::caller_memory(void* memory, std::uint8_t** base, std::uint64_t* size) noexcept {
  const auto* m = static_cast<const wasm_rt_memory_t*>(memory);
  if (m == nullptr || m->data == nullptr) {
    *base = nullptr;
    *size = 0;
    return;
  }
  *base = m->data;
  *size = std::uint64_t{m->pages} * detail::LinearMemory::kPageSize;
}

}  // namespace wasmhop::wasm2c
