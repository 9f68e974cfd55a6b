// One wasm2c instance's bound imports as its object sees them (wasmhop_w2c_imports, which the
// generated import functions receive): the host's call and ctx per import, and the CallerView
// they pass on, which reads the instance's exported memory at each call.
#pragma once

#include <span>
#include <vector>

#include <wasm-rt.h>

#include "engines/wasm2c/w2c_abi.h"
#include "wasmhop/engine.hpp"

namespace wasmhop::wasm2c {

class ImportTable {
 public:
  // `memory`: the instance's exported memory (its address is fixed before instantiation, its
  // data and pages change as it is created and grows), or null.
  ImportTable(std::span<const BoundImport> bound, const wasm_rt_memory_t* memory);
  ImportTable(const ImportTable&) = delete;  // the object holds pointers into it
  ImportTable& operator=(const ImportTable&) = delete;

  [[nodiscard]] const wasmhop_w2c_imports* c() const noexcept { return &c_; }
  [[nodiscard]] std::size_t size() const noexcept { return funcs_.size(); }

 private:
  static void caller_memory(void* memory, std::uint8_t** base, std::uint64_t* size) noexcept;

  std::vector<wasmhop_w2c_import> funcs_;
  CallerView caller_;
  wasmhop_w2c_imports c_;
};

}  // namespace wasmhop::wasm2c
