// Raw loops for the native engine: the script's exported C function called directly.
#include <chrono>
#include <csetjmp>

#include <fmt/format.h>

#include "bench/engines/raw_pair.hpp"
#include "engines/common/guest_object.hpp"
#include "engines/common/trap_guard.hpp"

namespace wasmhop::bench {

// Long on purpose: a raw baseline reads top to bottom (set-up, then its timed loops), calling the script by pointer.
Result<std::vector<RawVariant>> raw_pair_native(const std::string&, const std::filesystem::path& wasm,
                                                std::int64_t calls, int max_variants) {
  const auto so = wasm.parent_path() / (wasm.stem().string() + ".native.so");
  // Loaded where the native engine loads it (near the host's code, guest_object.hpp): the same
  // placement on both sides of the comparison.
  auto object = detail::GuestObject::open(so, /*private_state=*/false);
  if (!object) return tl::unexpected(object.error());
  using Add = std::int32_t (*)(std::int32_t, std::int32_t);
  auto add = reinterpret_cast<Add>((*object)->symbol("wasmhop_export_add_i32"));
  if (add == nullptr) return fail(ErrorKind::missing_export, "wasmhop_export_add_i32 not found");
  // Opaque to the optimizer: the call is made through a pointer it cannot see through.
  Add volatile fn = add;
  std::vector<RawVariant> out;
  using Clock = std::chrono::steady_clock;
  {
    Add f = fn;
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      const std::int32_t r = f(a, 7);
      if (r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "wrong result");
      sum += r;
    }
    out.push_back({"direct call (no trap guard)", std::chrono::duration<double>(Clock::now() - t0).count(), sum});
  }
  if (max_variants <= 1) return out;
  {
    detail::prepare_thread_for_guarded_calls();
    Add f = fn;
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      std::int32_t r = 0;
      const TrapKind t = detail::guarded_call([&] { r = f(a, 7); });
      if (t != TrapKind::none || r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "wrong result");
      sum += r;
    }
    out.push_back({"direct call + wasmhop guard", std::chrono::duration<double>(Clock::now() - t0).count(), sum});
  }
  // The same guard built on glibc's jump functions, to show why wasmhop has its own.
  auto libc_guarded = [&](const char* name, bool save_mask) -> Status {
    Add f = fn;
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      std::int32_t r = 0;
      sigjmp_buf buf;
      if (sigsetjmp(buf, save_mask ? 1 : 0) != 0) return fail(ErrorKind::trap, "unexpected trap");
      r = f(a, 7);
      if (r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "wrong result");
      sum += r;
    }
    out.push_back({name, std::chrono::duration<double>(Clock::now() - t0).count(), sum});
    return {};
  };
  if (auto st = libc_guarded("direct call + glibc sigsetjmp(buf, 0)", false); !st) return tl::unexpected(st.error());
  if (auto st = libc_guarded("direct call + glibc sigsetjmp(buf, 1) (saves the signal mask)", true); !st)
    return tl::unexpected(st.error());
  return out;
}

}  // namespace wasmhop::bench
