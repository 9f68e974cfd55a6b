// Raw loops for wabt-interp: conformance.wasm's add_i32 through wabt's own interp API, no wasmhop.
// "baseline" is the fair comparison for wasmhop's typed handle (the same reuse of Thread and
// Values; it also sorts first, which engine_overhead's table relies on); the others show what
// wabt's convenience call costs.
#include <chrono>
#include <memory>
#include <string>

#include <fmt/format.h>

#include <wabt/binary-reader.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include "bench/engines/raw_pair.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop::bench {

namespace {
namespace wi = ::wabt::interp;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
}  // namespace

// Long on purpose: a raw baseline reads top to bottom against wabt's own API (set-up, then its timed loops).
Result<std::vector<RawVariant>> raw_pair_wabt_interp(const std::string&, const std::filesystem::path& wasm,
                                                     std::int64_t calls) {
  auto bytes = read_file(wasm);
  if (!bytes) return tl::unexpected(bytes.error());
  const wabt::Features features;
  const wabt::ReadBinaryOptions options(features, nullptr, false, true, false);
  wabt::Errors errors;
  wi::ModuleDesc desc;
  if (wabt::Failed(wi::ReadBinaryInterp(wasm.string(), bytes->data(), bytes->size(), options, &errors, &desc))) {
    return fail(ErrorKind::malformed_module, fmt::format("{}: wabt cannot read it", wasm.string()));
  }
  std::vector<RawVariant> out;
  {
    wi::Store store(features);
    wi::Module::Ptr mod = wi::Module::New(store, std::move(desc));
    wi::Trap::Ptr trap;
    wi::Instance::Ptr inst = wi::Instance::Instantiate(store, mod.ref(), {}, &trap);
    if (!inst) return fail(ErrorKind::instantiation_failed, trap ? trap->message() : "instantiate failed");
    wi::Func::Ptr add;
    const auto& exports = mod->export_types();
    for (std::size_t i = 0; i < exports.size(); ++i) {
      const std::string& name = exports[i].name;
      if (name != "add_i32" && name != "_initialize") continue;
      wi::Func::Ptr f(store, inst->exports()[i]);
      if (name == "add_i32") {
        add = f;
      } else {
        wi::Values none;
        if (wabt::Failed(f->Call(store, {}, none, &trap))) return fail(ErrorKind::trap, "_initialize trapped");
      }
    }
    if (!add) return fail(ErrorKind::missing_export, "add_i32 not found");
    wi::Func* fn = add.get();

    {  // The fair baseline: one Thread and one pair of Values for every call.
      wi::Thread thread(store);
      wi::Values params(2), results(1);
      std::int64_t sum = 0;
      const auto t0 = Clock::now();
      for (std::int64_t i = 0; i < calls; ++i) {
        const auto a = static_cast<std::int32_t>(i);
        params[0] = wi::Value::Make(static_cast<wi::u32>(a));
        params[1] = wi::Value::Make(wi::u32{7});
        wi::Trap::Ptr t;
        if (wabt::Failed(fn->Call(thread, params, results, &t))) [[unlikely]] {
          return fail(ErrorKind::trap, t ? t->message() : "call failed");
        }
        const auto r = static_cast<std::int32_t>(results[0].Get<wi::u32>());
        if (r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "wrong result");
        sum += r;
      }
      out.push_back({"baseline: Func::Call(Thread&), Thread and Values reused", since(t0), sum});
    }
    {  // wabt's convenience overload: a new Thread (two 64 KiB reservations) per call.
      wi::Values params(2), results(1);
      std::int64_t sum = 0;
      const auto t0 = Clock::now();
      for (std::int64_t i = 0; i < calls; ++i) {
        const auto a = static_cast<std::int32_t>(i);
        params[0] = wi::Value::Make(static_cast<wi::u32>(a));
        params[1] = wi::Value::Make(wi::u32{7});
        wi::Trap::Ptr t;
        if (wabt::Failed(fn->Call(store, params, results, &t))) [[unlikely]] {
          return fail(ErrorKind::trap, t ? t->message() : "call failed");
        }
        const auto r = static_cast<std::int32_t>(results[0].Get<wi::u32>());
        if (r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "wrong result");
        sum += r;
      }
      out.push_back({"convenience: Func::Call(Store&) (new Thread per call), Values reused", since(t0), sum});
    }
    {  // The naive loop: fresh Values and a new Thread per call.
      std::int64_t sum = 0;
      const auto t0 = Clock::now();
      for (std::int64_t i = 0; i < calls; ++i) {
        const auto a = static_cast<std::int32_t>(i);
        wi::Values params{wi::Value::Make(static_cast<wi::u32>(a)), wi::Value::Make(wi::u32{7})};
        wi::Values results;
        wi::Trap::Ptr t;
        if (wabt::Failed(fn->Call(store, params, results, &t))) [[unlikely]] {
          return fail(ErrorKind::trap, t ? t->message() : "call failed");
        }
        const auto r = static_cast<std::int32_t>(results[0].Get<wi::u32>());
        if (r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "wrong result");
        sum += r;
      }
      out.push_back({"naive: Func::Call(Store&), new Thread and fresh Values per call", since(t0), sum});
    }
  }
  return out;
}

}  // namespace wasmhop::bench
