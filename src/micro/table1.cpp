// The loops of the paper's Table 1 (and wasmhop's additions), one function per configuration.
// Every call's result is compared with the host's own computation; a mismatch is an error. The
// memory-passing rows and the typed Pair call go through the ABIs' own host side (src/abi/).
#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "wires.hpp"  // guest/micro: shared with the script; first (FlatBuffers)
#include "abi/registry.hpp"
#include "micro/configs.hpp"

namespace wasmhop::micro {
namespace {

// Arguments of call i: (i, 7), so every call has a different result.
inline std::int32_t arg_a(std::int64_t i) noexcept { return static_cast<std::int32_t>(i); }
constexpr std::int32_t kArgB = 7;
// Preload: one argument array, built before the loop.
constexpr std::int32_t kPreloadA = 6;

// Out of line and cold: a flattened loop (abi_loop) keeps only its success path.
[[nodiscard, gnu::cold, gnu::noinline]] tl::unexpected<Error> wrong(std::int64_t call, std::int64_t got,
                                                                    std::int64_t want) {
  return fail(ErrorKind::internal, fmt::format("call {} returned {}, expected {}", call, got, want));
}

// ---- 0: native baseline: the same multiplication compiled into the host, called through a
// pointer the optimizer cannot see through (one real call per iteration, as for the engines).
using MulFn = std::int32_t (*)(std::int32_t, std::int32_t);
std::int32_t host_mul(std::int32_t a, std::int32_t b) { return mul(a, b); }
MulFn volatile g_host_mul = &host_mul;

Result<LoopResult> native_baseline(Instance*, std::int64_t calls) {
  const MulFn f = g_host_mul;
  LoopResult out;
  for (std::int64_t i = 0; i < calls; ++i) {
    const std::int32_t r = f(arg_a(i), kArgB);
    if (r != mul(arg_a(i), kArgB)) [[unlikely]] return wrong(i, r, mul(arg_a(i), kArgB));
    out.checksum += r;
  }
  return out;
}

// ---- 1-6: Pair. The paper calls through a dynamic Value array: here Instance::call with a
// RawVal array ("hotload": built on every call; "preload": built once before the loop).
template <bool Cached, bool Preload>
Result<LoopResult> pair_locals(Instance* inst, std::int64_t calls) {
  Func cached{};
  if constexpr (Cached) {
    auto f = inst->func("mul_pair");
    if (!f) return tl::unexpected(f.error());
    cached = *f;
  }
  const std::array<RawVal, 2> preloaded{RawVal{.i32 = kPreloadA}, RawVal{.i32 = kArgB}};
  LoopResult out;
  for (std::int64_t i = 0; i < calls; ++i) {
    Func f = cached;
    if constexpr (!Cached) {
      auto looked_up = inst->func("mul_pair");  // by name, every call
      if (!looked_up) return tl::unexpected(looked_up.error());
      f = *looked_up;
    }
    std::array<RawVal, 2> args;
    if constexpr (Preload) {
      args = preloaded;
    } else {
      args = {RawVal{.i32 = arg_a(i)}, RawVal{.i32 = kArgB}};
    }
    RawVal result[1];
    if (auto st = inst->call(f, args, result); !st) [[unlikely]] return tl::unexpected(st.error());
    const std::int32_t want = mul(args[0].i32, args[1].i32);
    if (result[0].i32 != want) [[unlikely]] return wrong(i, result[0].i32, want);
    out.checksum += result[0].i32;
  }
  return out;
}

// The "self-referential struct": an object that owns the instance's handles and exposes the
// script's function through an interface, as a host application would hold a loaded script.
class PairScript {
 public:
  virtual ~PairScript() = default;
  [[nodiscard]] virtual Status mul(std::span<const RawVal> args, RawVal* result) = 0;
};

class PairModule final : public PairScript {
 public:
  PairModule(Instance& inst, Func mul) : inst_(inst), mul_(mul) {}
  Status mul(std::span<const RawVal> args, RawVal* result) override {
    return inst_.call(mul_, args, std::span<RawVal>(result, 1));
  }

 private:
  Instance& inst_;
  Func mul_;
};

[[gnu::noinline]] Result<std::unique_ptr<PairScript>> load_pair_script(Instance& inst) {
  auto f = inst.func("mul_pair");
  if (!f) return tl::unexpected(f.error());
  return std::unique_ptr<PairScript>(std::make_unique<PairModule>(inst, *f));
}

template <bool Preload>
Result<LoopResult> pair_srs(Instance* inst, std::int64_t calls) {
  auto script = load_pair_script(*inst);
  if (!script) return tl::unexpected(script.error());
  PairScript& s = **script;
  const std::array<RawVal, 2> preloaded{RawVal{.i32 = kPreloadA}, RawVal{.i32 = kArgB}};
  LoopResult out;
  for (std::int64_t i = 0; i < calls; ++i) {
    std::array<RawVal, 2> args;
    if constexpr (Preload) {
      args = preloaded;
    } else {
      args = {RawVal{.i32 = arg_a(i)}, RawVal{.i32 = kArgB}};
    }
    RawVal result[1];
    if (auto st = s.mul(args, result); !st) [[unlikely]] return tl::unexpected(st.error());
    const std::int32_t want = mul(args[0].i32, args[1].i32);
    if (result[0].i32 != want) [[unlikely]] return wrong(i, result[0].i32, want);
    out.checksum += result[0].i32;
  }
  return out;
}

// ---- 7-14: a Pair per call through an ABI of the registry (src/abi/): the same host-side
// sequence the simulator uses (allocate in the guest, write, call, check). Flattened: the ABI's
// sequence is inlined whole, as a hand-written loop's was, whatever else this file holds (GCC's
// unit-growth limit otherwise left the FlatBuffers builder's growth path out of line, so the
// builder counted as escaped and its bookkeeping was not folded: +60 instructions a call).
template <class Abi, bool Cached>
[[gnu::flatten]] Result<LoopResult> abi_loop(Instance* inst, std::int64_t calls) {
  // A plain local, bound in place: nothing else points into it, so the loop keeps its state in
  // registers (and the FlatBuffers builder's bookkeeping folded).
  typename Abi::template Binding<MulWire, Cached> abi;
  if (auto st = abi.bind(*inst); !st) return tl::unexpected(st.error());
  LoopResult out;
  for (std::int64_t i = 0; i < calls; ++i) {
    auto r = abi.send(*inst, PairPod{arg_a(i), kArgB});
    if (!r) [[unlikely]] return tl::unexpected(r.error());
    if (*r != mul(arg_a(i), kArgB)) [[unlikely]] return wrong(i, *r, mul(arg_a(i), kArgB));
    out.checksum += *r;
  }
  return out;
}

// A Table 1 row measured through ABI A: its records' "abi" and "memory" are the ABI's.
template <class A, bool Cached>
constexpr Config row(int index, std::string_view name, std::string_view paper_name, std::string_view description) {
  return {index, name, paper_name, A::info.family, Cached, "", -1, A::info.memory, description, &abi_loop<A, Cached>};
}

// ---- After the registry's rows (15 today): Pair, many calls per request: Instance::call_many
// hands kPerRequest calls of mul_pair to the engine at once (V8 makes them from a JS loop that it
// compiles, Capabilities::call_many; the other engines one by one in wasmhop's loop, through the
// direct entry a typed handle uses). The host writes each call's arguments and checks each result,
// as in the per-call loops.
constexpr std::int64_t kPerRequest = 1024;

Result<LoopResult> pair_many(Instance* inst, std::int64_t calls) {
  auto f = inst->typed<std::int32_t(std::int32_t, std::int32_t)>("mul_pair");
  if (!f) return tl::unexpected(f.error());
  std::vector<RawVal> args(2 * kPerRequest), results(kPerRequest);
  LoopResult out;
  for (std::int64_t base = 0; base < calls; base += kPerRequest) {
    const auto n = static_cast<std::size_t>(std::min(kPerRequest, calls - base));
    for (std::size_t k = 0; k < n; ++k) {
      args[2 * k].i32 = arg_a(base + static_cast<std::int64_t>(k));
      args[2 * k + 1].i32 = kArgB;
    }
    auto st = inst->call_many(f->untyped(), std::span(args).first(2 * n), std::span(results).first(n), n);
    if (!st) [[unlikely]] return tl::unexpected(st.error());
    for (std::size_t k = 0; k < n; ++k) {
      const std::int64_t i = base + static_cast<std::int64_t>(k);
      if (results[k].i32 != mul(arg_a(i), kArgB)) [[unlikely]] return wrong(i, results[k].i32, mul(arg_a(i), kArgB));
      out.checksum += results[k].i32;
    }
  }
  return out;
}

// The paper's Table 1 (1-12), the native baseline and the typed Pair call.
constexpr Config kPaperRows[] = {
    {0, "native", "Native (no WebAssembly)", "native", true, "", -1, "",
     "the multiplication compiled into the host, called through a function pointer", &native_baseline},
    {1, "pair-uncached-hotload", "Pair, not cached, hotload", "pair", false, "hotload", -1, "",
     "export looked up by name on every call; argument array built on every call", &pair_locals<false, false>},
    {2, "pair-uncached-preload", "Pair, not cached, preload", "pair", false, "preload", -1, "",
     "export looked up by name on every call; argument array built once before the loop", &pair_locals<false, true>},
    {3, "pair-cached-hotload", "Pair, cached, hotload", "pair", true, "hotload", 0, "",
     "export resolved once into a local handle; argument array built on every call", &pair_locals<true, false>},
    {4, "pair-cached-preload", "Pair, cached, preload", "pair", true, "preload", 0, "",
     "export resolved once into a local handle; argument array built once", &pair_locals<true, true>},
    {5, "pair-cached-hotload-srs", "Pair, cached, hotload, self-referential struct", "pair", true, "hotload", 1, "",
     "handle held by a module object used through an interface; argument array built on every call", &pair_srs<false>},
    {6, "pair-cached-preload-srs", "Pair, cached, preload, self-referential struct", "pair", true, "preload", 1, "",
     "handle held by a module object used through an interface; argument array built once", &pair_srs<true>},
    row<abi::Bincode, false>(7, "bincode-uncached", "Bincode, not cached, dynamic",
      "alloc() and the export looked up by name every call; Pair serialized (Bincode 1.x) into a fresh guest buffer the guest decodes and frees"),
    row<abi::Bincode, true>(8, "bincode-cached", "Bincode, cached, dynamic",
      "alloc() and the export resolved once; Pair serialized (Bincode 1.x) into a fresh guest buffer the guest decodes and frees"),
    row<abi::PodDynamic, false>(9, "pod-uncached-dynamic", "Bytemuck, not cached, dynamic",
      "alloc() and the export looked up by name every call; struct copied into a fresh guest buffer the guest frees"),
    row<abi::PodDynamic, true>(10, "pod-cached-dynamic", "Bytemuck, cached, dynamic",
      "alloc() and the export resolved once; struct copied into a fresh guest buffer the guest frees"),
    row<abi::PodStatic, false>(11, "pod-uncached-static", "Bytemuck, not cached, static",
      "static buffer fetched once; export looked up by name every call; struct copied into the buffer"),
    row<abi::PodStatic, true>(12, "pod-cached-static", "Bytemuck, cached, static",
      "static buffer fetched once; export resolved once; struct copied into the buffer"),
    row<abi::Pair, true>(13, "pair-typed", "(wasmhop) Pair through a typed handle",
      "TypedFunc<i32(i32,i32)> resolved once: arguments passed as C++ scalars, no value array"),
};

// Every other ABI of the registry that carries a Pair per call, cached, from 14 on in registry
// order (FlatBuffers is 14): adding an ABI adds its row here.
void add_registry_rows(std::vector<Config>& rows) {
  int index = 14;
  abi::for_each_abi([&]<class A>() {
    if constexpr (A::template carries<MulWire> && !A::info.batched) {
      if (A::info.micro_config.empty()) return;  // measured by the paper's rows
      rows.push_back({index++, A::info.micro_config, "", A::info.family, true, "", -1, A::info.memory,
                      A::info.summary, &abi_loop<A, true>});
    }
  });
}

// Beyond the ABIs: many calls per request. Numbered after the registry's rows.
constexpr Config kPairMany{0, "pair-many", "(wasmhop) Pair, 1024 calls per request", "pair", true, "", 0, "",
                           "Instance::call_many: 1024 calls of the export per request, arguments and results as value "
                           "arrays; V8 makes them from a JS loop it compiles (one entry into V8 per request), other "
                           "engines one by one",
                           &pair_many};

// pair-typed without the TrapScope the runner times loops under: on engines whose calls the host
// guards (wasm2c, native) every call saves its own jump target. Numbered after pair-many.
constexpr Config kPairTypedPerCallGuard{0, "pair-typed-per-call-guard",
                                        "(wasmhop) Pair through a typed handle, trap guard armed per call", "pair",
                                        true, "", 0, "",
                                        "as pair-typed, without a TrapScope: on engines whose calls the host guards "
                                        "(wasm2c, native) every call saves its own jump target",
                                        &abi_loop<abi::Pair, true>, true};

}  // namespace

std::span<const Config> table1_configs() {
  static const std::vector<Config> rows = [] {
    std::vector<Config> v(std::begin(kPaperRows), std::end(kPaperRows));
    add_registry_rows(v);
    Config many = kPairMany;
    many.index = v.back().index + 1;
    v.push_back(many);
    Config guarded = kPairTypedPerCallGuard;
    guarded.index = v.back().index + 1;
    v.push_back(guarded);
    return v;
  }();
  return rows;
}

}  // namespace wasmhop::micro
