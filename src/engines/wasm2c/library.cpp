#include "engines/wasm2c/library.hpp"

#include <cstddef>
#include <mutex>

#include "engines/wasm2c/host_runtime.hpp"
#include "engines/wasm2c/translate.hpp"

namespace wasmhop::wasm2c {
namespace {

// The object's entries are called through the host's function types.
static_assert(sizeof(wasmhop_w2c_val) == sizeof(RawVal));
static_assert(sizeof(TrapKind) == sizeof(std::uint8_t));  // guarded entries return a uint8_t
// Direct entries return the host's DirectResult.
static_assert(sizeof(wasmhop_w2c_direct_result) == sizeof(DirectResult));
static_assert(offsetof(wasmhop_w2c_direct_result, trap) == offsetof(DirectResult, trap));

// One row of the object's export table (module_glue.cpp) as the host calls it.
ExportEntry to_entry(const wasmhop_w2c_export& e) {
  ExportEntry entry;
  entry.name.assign(e.name, e.name_len);
  switch (e.kind) {
    case 'f': {
      auto t = parse_type_codes(e.params, e.results);
      entry.kind = t && e.packed != nullptr ? ExportKind::function : ExportKind::other;
      if (t) entry.type = std::move(*t);
      entry.packed = e.packed;
      // Same convention as PackedCallFn: (ctx = instance, io) -> 0 or the TrapKind.
      if (host_api()->trap_frame_tls_offset != 0 && e.guarded != nullptr) {
        entry.guarded = reinterpret_cast<PackedCallFn>(e.guarded);
        // Same ctx as the guarded entry (the instance); only with it, so Func::ctx fits both.
        if (entry.kind == ExportKind::function) entry.direct = reinterpret_cast<DirectFn>(e.direct);
      }
      break;
    }
    case 'm': entry.kind = ExportKind::memory; break;
    case 't': entry.kind = ExportKind::table; break;
    case 'g': entry.kind = ExportKind::global; break;
    default: entry.kind = ExportKind::other; break;
  }
  return entry;
}

}  // namespace

Result<std::shared_ptr<Library>> Library::open(const std::filesystem::path& path, const std::string& key) {
  // Near the host's code where it can be (guest_object.hpp), which also registers its code for
  // the trap guard: its traps under a TrapScope are told from the host's own faults.
  auto object = detail::GuestObject::open(path, /*private_state=*/false);
  if (!object) return fail(ErrorKind::internal, object.error().message);
  auto lib = std::shared_ptr<Library>(new Library(std::move(*object)));
  auto attach = reinterpret_cast<wasmhop_w2c_attach_fn>(lib->object_->symbol(WASMHOP_W2C_ATTACH_SYMBOL));
  if (attach == nullptr) return fail(ErrorKind::internal, "not a wasmhop wasm2c object (no attach entry)");
  {
    static std::mutex attach_mutex;  // attach initialises the module's function types once
    std::lock_guard lock(attach_mutex);
    lib->desc_ = attach(host_api());
  }
  if (lib->desc_ == nullptr || lib->desc_->abi_version != WASMHOP_W2C_ABI_VERSION) {
    return fail(ErrorKind::internal, "built for another wasmhop wasm2c ABI");
  }
  if (lib->desc_->key == nullptr || key != lib->desc_->key) {
    return fail(ErrorKind::internal, "built for another cache key");
  }
  for (std::uint32_t i = 0; i < lib->desc_->export_count; ++i) lib->exports_.push_back(to_entry(lib->desc_->exports[i]));
  return lib;
}

}  // namespace wasmhop::wasm2c
