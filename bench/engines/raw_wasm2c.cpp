// Raw loops for the wasm2c engine: wasm2c's own C API, the way a hand-written embedder uses it.
//
// The object is the one the wasm2c engine compiled (the cache entry), loaded again as a private
// copy with its own minimal runtime host (traps jump to this file's buffers, not to wasmhop's
// guard). Then wasm2c's generated export Z_mZ_x<i>(instance, a, b) is looked up and called:
//   - directly, no trap guard (a trap here would abort: not trap-safe);
//   - with wabt's default guard: sigsetjmp(buf, 1) per call, as wasm_rt_impl_try() does with
//     the signal-handler memory check (saves the signal mask: one rt_sigprocmask system call);
//   - with glibc's _setjmp per call (no mask, no system call);
//   - with wasmhop's own jump buffer (wasmhop_setjmp, x86-64), the guard the engine uses.
// Before each guarded loop a divide-by-zero proves that the guard catches a trap.
#include <unistd.h>

#include <wasm-rt.h>

#include <chrono>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "bench/engines/raw_pair.hpp"
#include "engines/common/guest_object.hpp"
#include "engines/common/linear_memory.hpp"
#include "engines/common/trap_guard.hpp"
#include "engines/wasm2c/w2c_abi.h"
#include "engines/wasm2c/wasm2c_engine.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// --- a minimal wasm-rt host for the private copy ------------------------------------------

enum class GuardKind { glibc, wasmhop };
struct RawGuard {
  GuardKind kind = GuardKind::glibc;
  sigjmp_buf glibc;  // filled by sigsetjmp(buf, 1) or _setjmp (glibc's siglongjmp serves both)
#if defined(__x86_64__)
  void* fast[8];     // filled by wasmhop_setjmp
#endif
};
thread_local RawGuard* t_raw_guard = nullptr;

[[noreturn]] void raw_trap(std::uint32_t code) {
  RawGuard* g = t_raw_guard;
  if (g == nullptr) std::abort();  // the unguarded loop never traps
#if defined(__x86_64__)
  if (g->kind == GuardKind::wasmhop) detail::wasmhop_longjmp(g->fast, static_cast<int>(code));
#endif
  siglongjmp(g->glibc, static_cast<int>(code));
}

std::map<std::uint8_t*, std::unique_ptr<detail::LinearMemory>>& raw_memories() {
  static std::map<std::uint8_t*, std::unique_ptr<detail::LinearMemory>> m;
  return m;
}

void raw_memory_allocate(void* memory, std::uint32_t initial, std::uint32_t max) {
  auto* mem = static_cast<wasm_rt_memory_t*>(memory);
  auto lm = detail::LinearMemory::create(initial, std::min<std::uint32_t>(max, 65535));
  if (!lm) std::abort();
  mem->data = (*lm)->base();
  mem->pages = (*lm)->pages();
  mem->max_pages = (*lm)->max_pages();
  mem->size = static_cast<std::uint32_t>((*lm)->size());
  raw_memories()[mem->data] = std::move(*lm);
}

std::uint32_t raw_memory_grow(void* memory, std::uint32_t delta) {
  auto* mem = static_cast<wasm_rt_memory_t*>(memory);
  auto& lm = raw_memories().at(mem->data);
  const std::int32_t old = lm->grow(delta);
  if (old < 0) return UINT32_MAX;
  mem->pages = lm->pages();
  mem->size = static_cast<std::uint32_t>(lm->size());
  return static_cast<std::uint32_t>(old);
}

void raw_memory_free(void* memory) {
  auto* mem = static_cast<wasm_rt_memory_t*>(memory);
  raw_memories().erase(mem->data);
  mem->data = nullptr;
}

// trap_frame_tls_offset 0: the object's guarded entries are wasmhop's, not used here.
constexpr wasmhop_w2c_host kRawHost = {WASMHOP_W2C_ABI_VERSION, &raw_trap, &raw_memory_allocate,
                                       &raw_memory_grow, &raw_memory_free, 0};

// --- the private copy --------------------------------------------------------------------

struct PrivateObject {
  std::unique_ptr<detail::GuestObject> object;
  const wasmhop_w2c_module_desc* desc = nullptr;
  void* block = nullptr;  // header + instance
  void* instance = nullptr;
  ~PrivateObject() {
    if (instance != nullptr) desc->free_instance(instance);
    std::free(block);
  }
};

Result<fs::path> compiled_object(const std::string& engine_id, const fs::path& wasm) {
  auto engine = create_engine(engine_id);
  if (!engine) return tl::unexpected(engine.error());
  auto module = (*engine)->load(wasm);  // a cache hit after wasmhop's own load
  if (!module) return tl::unexpected(module.error());
  const wasm2c::ModuleInfo* info = wasm2c::module_info(**module);
  if (info == nullptr || info->object.empty()) return fail(ErrorKind::internal, "no wasm2c object");
  return info->object;
}

Status open_private(const fs::path& object_path, PrivateObject& out) {
  // A load of its own (its own runtime host), placed where the wasm2c engine places its objects
  // (near the host's code, guest_object.hpp): the same placement on both sides of the comparison.
  auto object = detail::GuestObject::open(object_path, /*private_state=*/true);
  if (!object) return tl::unexpected(object.error());
  out.object = std::move(*object);
  auto attach = reinterpret_cast<wasmhop_w2c_attach_fn>(out.object->symbol(WASMHOP_W2C_ATTACH_SYMBOL));
  if (attach == nullptr || (out.desc = attach(&kRawHost)) == nullptr) {
    return fail(ErrorKind::internal, "not a wasmhop wasm2c object");
  }
  out.block = std::calloc(1, out.desc->instance_size);
  void* inst = static_cast<char*>(out.block) + out.desc->instance_offset;
  RawGuard guard;
  t_raw_guard = &guard;
  if (sigsetjmp(guard.glibc, 1) != 0) {
    t_raw_guard = nullptr;
    return fail(ErrorKind::trap, "instantiation trapped");
  }
  out.desc->instantiate(inst);
  t_raw_guard = nullptr;
  out.instance = inst;
  return {};
}

using PairFn = std::uint32_t (*)(void* instance, std::uint32_t, std::uint32_t);

Result<PairFn> symbol_of(const PrivateObject& obj, std::string_view export_name) {
  for (std::uint32_t i = 0; i < obj.desc->export_count; ++i) {
    const wasmhop_w2c_export& e = obj.desc->exports[i];
    if (std::string_view(e.name, e.name_len) == export_name) {
      if (void* f = obj.object->symbol(e.symbol); f != nullptr) return reinterpret_cast<PairFn>(f);
    }
  }
  return fail(ErrorKind::missing_export, fmt::format("no symbol for export '{}'", export_name));
}

void reset_depth(void* instance) {
  (static_cast<wasmhop_w2c_instance_header*>(instance) - 1)->call_depth = 0;
}


// Each timed loop is its own (non-inlined) function, so that a profile (callgrind) reports
// instructions per variant. Every loop checks every result and returns the checksum, or -1 on a
// wrong result or an unexpected trap.

[[gnu::noinline]] std::int64_t loop_unguarded(PairFn f, void* inst, std::int64_t calls) {
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    const auto r = static_cast<std::int32_t>(f(inst, static_cast<std::uint32_t>(a), 7));
    if (r != a + 7) [[unlikely]] return -1;
    sum += r;
  }
  return sum;
}

// wabt's default guard: wasm_rt_impl_try() is sigsetjmp(buf, 1) on one buffer, re-armed per call.
[[gnu::noinline]] std::int64_t loop_sigsetjmp(PairFn f, void* inst, std::int64_t calls, RawGuard& g) {
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    if (sigsetjmp(g.glibc, 1) != 0) [[unlikely]] return -1;
    const auto r = static_cast<std::int32_t>(f(inst, static_cast<std::uint32_t>(a), 7));
    if (r != a + 7) [[unlikely]] return -1;
    sum += r;
  }
  return sum;
}

[[gnu::noinline]] std::int64_t loop_setjmp(PairFn f, void* inst, std::int64_t calls, RawGuard& g) {
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    if (_setjmp(g.glibc) != 0) [[unlikely]] return -1;
    const auto r = static_cast<std::int32_t>(f(inst, static_cast<std::uint32_t>(a), 7));
    if (r != a + 7) [[unlikely]] return -1;
    sum += r;
  }
  return sum;
}

#if defined(__x86_64__)
[[gnu::noinline]] std::int64_t loop_wasmhop_guard(PairFn f, void* inst, std::int64_t calls, RawGuard& g) {
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    if (detail::wasmhop_setjmp(g.fast) != 0) [[unlikely]] return -1;
    const auto r = static_cast<std::int32_t>(f(inst, static_cast<std::uint32_t>(a), 7));
    if (r != a + 7) [[unlikely]] return -1;
    sum += r;
  }
  return sum;
}
#endif

enum class Arm { sigsetjmp_mask, setjmp, wasmhop };

// Proof that a guard catches a trap: divide by zero under it, then reset the instance's call
// depth as wabt's wasm_rt_impl_try() restores its counter. (The jump buffer is armed in this
// frame, which is live when the trap jumps back.)
[[gnu::noinline]] bool catches_trap(PairFn div, void* inst, RawGuard& g, Arm arm) {
  if (arm == Arm::sigsetjmp_mask) {
    if (sigsetjmp(g.glibc, 1) != 0) goto trapped;
  } else if (arm == Arm::setjmp) {
    if (_setjmp(g.glibc) != 0) goto trapped;
  } else {
#if defined(__x86_64__)
    if (detail::wasmhop_setjmp(g.fast) != 0) goto trapped;
#endif
  }
  div(inst, 1, 0);
  return false;
trapped:
  reset_depth(inst);
  return true;
}

}  // namespace

Result<std::vector<RawVariant>> raw_pair_wasm2c(const std::string& engine_id, const fs::path& wasm,
                                                std::int64_t calls, int max_variants) {
  auto object = compiled_object(engine_id, wasm);
  if (!object) return tl::unexpected(object.error());
  PrivateObject obj;
  if (auto st = open_private(*object, obj); !st) return tl::unexpected(st.error());
  auto add_sym = symbol_of(obj, "add_i32");
  auto div_sym = symbol_of(obj, "div_s");
  if (!add_sym || !div_sym) return tl::unexpected(add_sym ? div_sym.error() : add_sym.error());
  const PairFn add = *add_sym;
  const PairFn div = *div_sym;
  void* const inst = obj.instance;

  std::vector<RawVariant> out;
  auto timed = [&](const char* name, auto&& loop) -> Status {
    const auto t0 = Clock::now();
    const std::int64_t sum = loop();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (sum < 0) return fail(ErrorKind::internal, fmt::format("{}: wrong result or unexpected trap", name));
    out.push_back({name, s, sum});
    return {};
  };
  auto guarded = [&](const char* name, GuardKind kind, Arm arm, auto loop) -> Status {
    RawGuard g;
    g.kind = kind;
    t_raw_guard = &g;
    Status st = catches_trap(div, inst, g, arm)
                    ? timed(name, [&] { return loop(add, inst, calls, g); })
                    : fail(ErrorKind::internal, fmt::format("{}: a divide by zero was not caught", name));
    t_raw_guard = nullptr;
    return st;
  };

  Status st = timed("direct call (no trap guard)", [&] { return loop_unguarded(add, inst, calls); });
  if (st && max_variants > 1) {
    st = guarded("direct call + glibc sigsetjmp(buf, 1) guard (wabt's default: saves the signal mask)",
                 GuardKind::glibc, Arm::sigsetjmp_mask, &loop_sigsetjmp);
  }
  if (st && max_variants > 1) {
    st = guarded("direct call + glibc _setjmp guard", GuardKind::glibc, Arm::setjmp, &loop_setjmp);
  }
#if defined(__x86_64__)
  if (st && max_variants > 1) {
    st = guarded("direct call + wasmhop guard (asm jump buffer)", GuardKind::wasmhop, Arm::wasmhop,
                 &loop_wasmhop_guard);
  }
#endif
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace wasmhop::bench
