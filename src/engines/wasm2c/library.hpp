// One loaded wasm2c object: the shared object (engines/common/guest_object.hpp), the description
// its attach entry returned (w2c_abi.h), and its export table as the host calls it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engines/common/guest_object.hpp"
#include "engines/wasm2c/w2c_abi.h"
#include "wasmhop/engine.hpp"

namespace wasmhop::wasm2c {

struct ExportEntry {
  std::string name;
  ExportKind kind = ExportKind::other;
  FuncType type;
  wasmhop_w2c_packed_fn packed = nullptr;  // null: not a function, or uses reference types
  PackedCallFn guarded = nullptr;          // the object's own guarded entry (x86-64)
  DirectFn direct = nullptr;               // its direct entry (with guarded; Func::scoped_direct)
};

// Shared by its module and every instance (an instance outlives its module).
class Library {
 public:
  // Loads and attaches the object at `path`; fails when it is not a loadable object built for
  // `key` (a corrupt or foreign cache entry).
  [[nodiscard]] static Result<std::shared_ptr<Library>> open(const std::filesystem::path& path,
                                                             const std::string& key);

  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  [[nodiscard]] const wasmhop_w2c_module_desc& desc() const noexcept { return *desc_; }
  [[nodiscard]] const std::vector<ExportEntry>& exports() const noexcept { return exports_; }

 private:
  explicit Library(std::unique_ptr<detail::GuestObject> object) : object_(std::move(object)) {}
  std::unique_ptr<detail::GuestObject> object_;
  const wasmhop_w2c_module_desc* desc_ = nullptr;
  std::vector<ExportEntry> exports_;
};

}  // namespace wasmhop::wasm2c
