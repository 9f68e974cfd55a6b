// v8_entry: what entering V8 from C++ costs per wasm call, by way of entry (issue 15, item 5).
// micro.wasm's mul_pair(i, 7) is called `calls` times per variant and repetition, every result
// (or, where the JS side sums, every batch's sum) checked against the host's own product;
// the table gives each variant's median ns/call over the repetitions and its ratio to wasmhop's
// typed handle (the engine's per-call path). After timing, every variant runs conformance.wasm's
// div_s with a zero divisor at one call and must report that trap as an error.
//
//   taskset -c 1 build/release/bin/v8_entry --engine v8 --reps 15
//
// One V8 tier per process (V8's flags are process-global). WASMHOP_V8_FLAGS adds V8 flags, as
// for the engine (e.g. --turbo-inline-js-wasm-calls).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sched.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bench/engines/v8_entry_variants.hpp"
#include "engines/v8/v8_runtime.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::bench::v8entry {
namespace {

// Seconds of CPU time of this thread (default), or of wall time: on a shared machine the wall
// clock also counts the time this thread waited for its CPU, which varied here 1-5x from one
// repetition to the next.
bool g_wall_clock = false;
double now_seconds() {
  if (g_wall_clock) return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::int32_t mul(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}
std::int32_t div(std::int32_t a, std::int32_t b) { return b == 0 ? 0 : a / b; }

Result<V8Tier> tier_of(const std::string& id) {
  if (id == "v8") return V8Tier::dynamic;
  if (id == "v8-liftoff") return V8Tier::liftoff;
  if (id == "v8-turbofan") return V8Tier::turbofan;
  return fail(ErrorKind::invalid_argument, fmt::format("'{}' is not a V8 engine id", id));
}

// An export of a module compiled and instantiated with V8's own API (as bench/engines/raw_v8.cpp).
Result<v8::Local<v8::Function>> raw_export(v8::Isolate* iso, const std::filesystem::path& wasm, const char* name) {
  auto bytes = read_file(wasm);
  if (!bytes) return tl::unexpected(bytes.error());
  const v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  v8::TryCatch tc(iso);
  auto str = [&](const char* s) { return v8::String::NewFromUtf8(iso, s).ToLocalChecked(); };
  auto failed = [&] {
    return fail(ErrorKind::internal, fmt::format("{} of {}: {}", name, wasm.string(), v8engine::exception_text(iso, tc)));
  };
  v8::Local<v8::WasmModuleObject> module;
  v8::Local<v8::Value> ns, ctor, exports, fn;
  if (!v8::WasmModuleObject::Compile(iso, {bytes->data(), bytes->size()}).ToLocal(&module) ||
      !ctx->Global()->Get(ctx, str("WebAssembly")).ToLocal(&ns) ||
      !ns.As<v8::Object>()->Get(ctx, str("Instance")).ToLocal(&ctor)) {
    return failed();
  }
  v8::Local<v8::Value> argv[1] = {module};
  v8::Local<v8::Object> instance;
  if (!ctor.As<v8::Function>()->NewInstance(ctx, 1, argv).ToLocal(&instance) || tc.HasCaught() ||
      !instance->Get(ctx, str("exports")).ToLocal(&exports) ||
      !exports.As<v8::Object>()->Get(ctx, str(name)).ToLocal(&fn) || !fn->IsFunction()) {
    return failed();
  }
  return fn.As<v8::Function>();
}

// The same exports through wasmhop's engine (the same V8, the same tier).
struct EngineExports {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Module> micro, conformance;
  std::unique_ptr<Instance> micro_inst, conformance_inst;
  Func mul_pair, div_s;
};

Result<EngineExports> engine_exports(const std::string& id, const std::filesystem::path& dir) {
  EngineExports e;
  auto engine = create_engine(id);
  if (!engine) return tl::unexpected(engine.error());
  e.engine = std::move(*engine);
  auto micro = e.engine->load(dir / "micro.wasm");
  if (!micro) return tl::unexpected(micro.error());
  e.micro = std::move(*micro);
  auto conformance = e.engine->load(dir / "conformance.wasm");
  if (!conformance) return tl::unexpected(conformance.error());
  e.conformance = std::move(*conformance);
  auto mi = e.micro->instantiate();
  if (!mi) return tl::unexpected(mi.error());
  e.micro_inst = std::move(*mi);
  auto ci = e.conformance->instantiate();
  if (!ci) return tl::unexpected(ci.error());
  e.conformance_inst = std::move(*ci);
  auto mp = e.micro_inst->typed<std::int32_t(std::int32_t, std::int32_t)>("mul_pair");
  if (!mp) return tl::unexpected(mp.error());
  auto dv = e.conformance_inst->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
  if (!dv) return tl::unexpected(dv.error());
  e.mul_pair = mp->untyped();
  e.div_s = dv->untyped();
  return e;
}

// wasmhop's typed handle, one call at a time (what `wasmhop micro`'s pair-typed times).
Result<std::int64_t> engine_typed(const Work& w, std::int64_t calls) {
  const TypedFunc<std::int32_t(std::int32_t, std::int32_t)> f(w.engine_f);
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    auto r = f(a, w.b(i));
    if (!r) [[unlikely]] return fail(ErrorKind::trap, fmt::format("call {}: {}", i, r.error().message));
    if (*r != w.expect(a, w.b(i))) [[unlikely]] {
      return fail(ErrorKind::internal, fmt::format("call {}: got {}, expected {}", i, *r, w.expect(a, w.b(i))));
    }
    sum += *r;
  }
  return sum;
}

// Instance::call_many, N calls per request (V8: the engine's JS loop, v8_many.hpp).
template <std::int64_t N>
Result<std::int64_t> engine_many(const Work& w, std::int64_t calls) {
  Instance& inst = const_cast<Instance&>(*w.engine_f.owner);
  static std::vector<RawVal> args(2 * N), results(N);
  std::int64_t sum = 0;
  for (std::int64_t base = 0; base < calls; base += N) {
    const auto n = static_cast<std::size_t>(std::min(N, calls - base));
    for (std::size_t k = 0; k < n; ++k) {
      args[2 * k].i32 = static_cast<std::int32_t>(base + static_cast<std::int64_t>(k));
      args[2 * k + 1].i32 = w.b(base + static_cast<std::int64_t>(k));
    }
    if (auto st = inst.call_many(w.engine_f, std::span(args).first(2 * n), std::span(results).first(n), n); !st) {
      return fail(ErrorKind::trap, fmt::format("batch at call {}: {}", base, st.error().message));
    }
    for (std::size_t k = 0; k < n; ++k) {
      const std::int32_t want = w.expect(args[2 * k].i32, args[2 * k + 1].i32);
      if (results[k].i32 != want) [[unlikely]] {
        return fail(ErrorKind::internal, fmt::format("call {}: got {}, expected {}", base + static_cast<std::int64_t>(k),
                                                     results[k].i32, want));
      }
      sum += results[k].i32;
    }
  }
  return sum;
}

constexpr const char* kEnginePath = "wasmhop TypedFunc (the engine's per-call path)";

constexpr std::int64_t kTrapAt = 1500;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The trap check: a zero divisor at call `at` of `calls` must come back as an error naming a
// division by zero (and, printed, which call the variant says it was).
Status check_trap(const std::string& name, const Result<std::int64_t>& r) {
  if (r) return fail(ErrorKind::internal, fmt::format("{}: a division by zero did not surface", name));
  if (r.error().message.find("divide by zero") == std::string::npos) {
    return fail(ErrorKind::internal, fmt::format("{}: the trap came back as '{}'", name, r.error().message));
  }
  fmt::print("  trap ok: {:<52} {}\n", name, r.error().message);
  return {};
}

// Every variant warmed up (JIT tiers, JS and wasm, caches), then timed `reps` times in a rotating
// order (drift favours no variant): ns per call per variant, every sum checked against `want`.
Result<std::map<std::string, std::vector<double>>> time_variants(const std::vector<Variant>& variants, const Work& work,
                                                                 std::int64_t calls, int reps, std::int64_t want) {
  for (const Variant& v : variants) {
    if (auto r = v.run(work, calls); !r || *r != want) {
      return tl::unexpected(r ? Error{ErrorKind::internal, v.name + ": wrong sum"} : r.error());
    }
  }
  std::map<std::string, std::vector<double>> ns;
  const std::size_t nv = variants.size();
  for (int rep = 0; rep < reps; ++rep) {
    for (std::size_t k = 0; k < nv; ++k) {
      const Variant& v = variants[(k + static_cast<std::size_t>(rep)) % nv];
      const double t0 = now_seconds();
      auto r = v.run(work, calls);
      const double s = now_seconds() - t0;
      if (!r) return tl::unexpected(r.error());
      if (*r != want) return fail(ErrorKind::internal, fmt::format("{}: sum {}, expected {}", v.name, *r, want));
      ns[v.name].push_back(s * 1e9 / static_cast<double>(calls));
    }
  }
  return ns;
}

// The table: median and minimum ns per call of each variant, and its ratio to wasmhop's own path.
void print_table(const std::vector<Variant>& variants, std::map<std::string, std::vector<double>>& ns, int reps,
                 bool samples) {
  const double ref = median(ns[kEnginePath]);
  fmt::print("\n| {:<52} | {:>8} | {:>8} | {:>7} | {} |\n", "variant", "ns/call", "min", "ratio", "checked");
  fmt::print("|{:-<54}|{:->10}|{:->10}|{:->9}|{:-<9}|\n", "", "", "", "", "");
  for (const Variant& v : variants) {
    const auto& x = ns[v.name];
    const double med = median(x);
    fmt::print("| {:<52} | {:>8.2f} | {:>8.2f} | {:>7.3f} | {} |\n", v.name, med, *std::min_element(x.begin(), x.end()),
               med / ref, v.note);
  }
  if (samples) {
    for (const Variant& v : variants) fmt::print("{}: {:.2f}\n", v.name, fmt::join(ns[v.name], " "));
  }
  fmt::print("(ratio: to '{}'; median over {} repetitions; {} time)\n", kEnginePath, reps,
             g_wall_clock ? "wall" : "thread CPU");
}

int run(const std::string& id, std::int64_t calls, int reps, bool samples, const std::string& only) {
  auto die = [](const Error& e) {
    fmt::print(stderr, "v8_entry: {}\n", e.describe());
    return 1;
  };
  auto tier = tier_of(id);
  if (!tier) return die(tier.error());
  auto rt = v8engine::Runtime::acquire(*tier);
  if (!rt) return die(rt.error());
  v8::Isolate* iso = (*rt)->isolate();
  v8::HandleScope outer(iso);
  const std::filesystem::path dir = WASMHOP_GUEST_DIR;

  auto mul_pair = raw_export(iso, dir / "micro.wasm", "mul_pair");
  auto div_s = raw_export(iso, dir / "conformance.wasm", "div_s");
  auto variants = make_variants(iso);
  if (!mul_pair) return die(mul_pair.error());
  if (!div_s) return die(div_s.error());
  if (!variants) return die(variants.error());
  auto ours = engine_exports(id, dir);
  if (!ours) return die(ours.error());
  variants->insert(variants->begin(), Variant{kEnginePath, &engine_typed, "every result checked"});
  variants->push_back(Variant{"wasmhop Instance::call_many, 16 calls", &engine_many<16>, "every result checked"});
  variants->push_back(Variant{"wasmhop Instance::call_many, 128 calls", &engine_many<128>, "every result checked"});
  variants->push_back(Variant{"wasmhop Instance::call_many, 1024 calls", &engine_many<1024>, "every result checked"});
  if (!only.empty()) {  // one variant (and the reference), e.g. for a profiler
    std::erase_if(*variants, [&](const Variant& v) { return v.name != kEnginePath && v.name.find(only) == std::string::npos; });
  }

  std::int64_t want = 0;
  for (std::int64_t i = 0; i < calls; ++i) want += mul(static_cast<std::int32_t>(i), 7);
  const Work work{*mul_pair, ours->mul_pair, &mul, -1};
  auto ns = time_variants(*variants, work, calls, reps, want);
  if (!ns) return die(ns.error());
  // Traps last: the loops are optimized for mul_pair by now, and a trap must still surface from
  // them (V8 deoptimizes a loop whose call site sees another function or an exception).
  fmt::print("{} (V8 {}), {} calls x {} repetitions; traps (a zero divisor at call {}):\n", id,
             v8::V8::GetVersion(), calls, reps, kTrapAt);
  for (const Variant& v : *variants) {
    if (!v.calls_export) continue;
    if (auto st = check_trap(v.name, v.run(Work{*div_s, ours->div_s, &div, kTrapAt}, 4096)); !st) return die(st.error());
  }
  print_table(*variants, *ns, reps, samples);
  return 0;
}

}  // namespace
}  // namespace wasmhop::bench::v8entry

int main(int argc, char** argv) {
  CLI::App app{"What entering V8 from C++ costs per wasm call, by way of entry"};
  std::string engine = "v8";
  std::int64_t calls = 1 << 20;
  int reps = 15;
  int cpu = -1;
  bool samples = false;
  std::string only;
  app.add_option("--engine", engine, "v8, v8-liftoff or v8-turbofan");
  app.add_option("--calls", calls, "calls per variant and repetition")->check(CLI::Range(std::int64_t{4096}, std::int64_t{1} << 30));
  app.add_option("--reps", reps, "repetitions (the median is reported)")->check(CLI::Range(1, 1000));
  app.add_option("--cpu", cpu, "pin this process to one CPU");
  app.add_option("--only", only, "run only the variants whose name contains this (and the reference)");
  app.add_flag("--samples", samples, "also print every repetition's ns/call");
  app.add_flag("--wall", wasmhop::bench::v8entry::g_wall_clock, "time with the wall clock (default: this thread's CPU time)");
  CLI11_PARSE(app, argc, argv);
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
      std::perror("v8_entry: sched_setaffinity");
      return 1;
    }
  }
  return wasmhop::bench::v8entry::run(engine, calls, reps, samples, only);
}
