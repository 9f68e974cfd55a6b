#include "engines/wabt_interp/imports.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace wasmhop::wabt_interp {
namespace {

namespace wi = ::wabt::interp;

// The HostFunc callback of one import. RawVal and interp::Value both keep the value in their
// first bytes (little-endian), as for export calls: an 8-byte copy moves i32/i64/f32/f64.
struct HostCall {
  BoundImport bound;
  const CallerView* caller = nullptr;
  std::uint32_t nparams = 0;
  std::uint32_t nresults = 0;

  wabt::Result operator()(wi::Thread& thread, const wi::Values& params, wi::Values& results,
                          wi::Trap::Ptr* out_trap) const {
    constexpr std::uint32_t kInline = 8;
    RawVal inline_io[kInline]{};
    std::vector<RawVal> wide;  // only for functions with more than kInline params or results
    RawVal* io = inline_io;
    if (const std::uint32_t n = std::max(nparams, nresults); n > kInline) {
      wide.resize(n);
      io = wide.data();
    }
    for (std::uint32_t i = 0; i < nparams; ++i) io[i].bits = params[i].Get<wi::u64>();
    if (bound.call(bound.ctx, caller, io) != 0) [[unlikely]] {
      // Any trap will do: the core reports the host function's error, kept by call_bound.
      *out_trap = wi::Trap::New(thread.store(), "host function failed");
      return wabt::Result::Error;
    }
    for (std::uint32_t i = 0; i < nresults; ++i) results[i] = wi::Value::Make(static_cast<wi::u64>(io[i].bits));
    return wabt::Result::Ok;
  }
};

}  // namespace

void CallerMemory::read(void* opaque, std::uint8_t** base, std::uint64_t* size) noexcept {
  wi::Memory* m = static_cast<CallerMemory*>(opaque)->memory_;
  // Read now: memory.grow resizes wabt's buffer (a std::vector), which may move it.
  *base = m != nullptr ? m->UnsafeData() : nullptr;
  *size = m != nullptr ? m->ByteSize() : 0;
}

Result<std::vector<wi::HostFunc::Ptr>> make_host_funcs(wi::Store& store, const wi::ModuleDesc& desc,
                                                       std::span<const BoundImport> bound, const CallerMemory& caller,
                                                       std::string_view module_name) {
  std::vector<wi::HostFunc::Ptr> funcs;
  funcs.reserve(desc.imports.size());
  for (const wi::ImportDesc& imp : desc.imports) {
    const auto* type = wabt::dyn_cast<wi::FuncType>(imp.type.type.get());
    if (type == nullptr || funcs.size() >= bound.size()) {
      return fail(ErrorKind::internal, fmt::format("module '{}': import {}.{} has no bound host function",
                                                   module_name, imp.type.module, imp.type.name));
    }
    HostCall call{bound[funcs.size()], caller.view(), static_cast<std::uint32_t>(type->params.size()),
                  static_cast<std::uint32_t>(type->results.size())};
    funcs.push_back(wi::HostFunc::New(store, *type, std::move(call)));
  }
  return funcs;
}

}  // namespace wasmhop::wabt_interp
