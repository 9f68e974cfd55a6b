// wabt-interp's host functions: every BoundImport as an interp::HostFunc of the import's exact
// type, whose callback packs wabt's Values into RawVal slots, calls the binding and unpacks the
// results. A failing host function returns a trap from the callback: the interpreter unwinds the
// guest call, and the core reports the host function's own error.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <wabt/interp/interp.h>

#include "wasmhop/engine.hpp"

namespace wasmhop::wabt_interp {

// What a host function of one instance sees of its caller: that instance's exported memory
// (known once the instance exists; null before, and for a module that exports none).
class CallerMemory {
 public:
  CallerMemory() noexcept : view_{this, &read} {}
  CallerMemory(const CallerMemory&) = delete;
  CallerMemory& operator=(const CallerMemory&) = delete;

  void set(::wabt::interp::Memory* memory) noexcept { memory_ = memory; }
  [[nodiscard]] const CallerView* view() const noexcept { return &view_; }

 private:
  static void read(void* opaque, std::uint8_t** base, std::uint64_t* size) noexcept;

  ::wabt::interp::Memory* memory_ = nullptr;  // a wabt object: its address is stable
  CallerView view_;
};

// The host functions of one instance, in the module's import order (its imports must all be
// functions, as the core checked when binding). They refer to `caller`, which must outlive them.
[[nodiscard]] Result<std::vector<::wabt::interp::HostFunc::Ptr>> make_host_funcs(
    ::wabt::interp::Store& store, const ::wabt::interp::ModuleDesc& desc, std::span<const BoundImport> bound,
    const CallerMemory& caller, std::string_view module_name);

}  // namespace wasmhop::wabt_interp
