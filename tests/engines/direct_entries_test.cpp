// The direct entries of plugin engines (plugin_abi.h's func_direct): every plugin offers them for
// the Pair shape (so typed calls do not fall back to the packed io array unnoticed), and a typed
// call through one gives what the packed call of the same export gives, traps included. The same
// for the tail entries (func_tail) of the plugins that have them.
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "wasmhop/wasmhop.hpp"

namespace wasmhop {
namespace {

const std::filesystem::path kConformance = std::filesystem::path(WASMHOP_GUEST_DIR) / "conformance.wasm";

// conformance.wasm instantiated on one engine, and the typed handles both tests call.
struct Handles {
  std::unique_ptr<Module> module;
  std::unique_ptr<Instance> inst;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> add32;
  TypedFunc<std::int64_t(std::int64_t, std::int64_t)> add64;
  TypedFunc<float(float, float)> mulf;
  TypedFunc<double(double, double)> muld;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> div;
  TypedFunc<void()> noop;

  static Result<Handles> make(Engine& engine) {
    auto module = engine.load(kConformance);
    if (!module) return tl::unexpected(module.error());
    auto inst = (*module)->instantiate();
    if (!inst) return tl::unexpected(inst.error());
    Instance& in = **inst;
    auto add32 = in.typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
    auto add64 = in.typed<std::int64_t(std::int64_t, std::int64_t)>("add_i64");
    auto mulf = in.typed<float(float, float)>("mul_f32");
    auto muld = in.typed<double(double, double)>("mul_f64");
    auto div = in.typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
    auto noop = in.typed<void()>("noop");
    if (!add32) return tl::unexpected(add32.error());
    if (!add64) return tl::unexpected(add64.error());
    if (!mulf) return tl::unexpected(mulf.error());
    if (!muld) return tl::unexpected(muld.error());
    if (!div) return tl::unexpected(div.error());
    if (!noop) return tl::unexpected(noop.error());
    return Handles{std::move(*module), std::move(*inst), *add32, *add64, *mulf, *muld, *div, *noop};
  }
};

// The untyped (packed) call of the export behind a typed handle, one result.
template <class Sig>
RawVal packed(Instance& inst, const TypedFunc<Sig>& f, std::initializer_list<RawVal> args) {
  RawVal out{};
  auto st = inst.call(f.untyped(), std::span<const RawVal>(args.begin(), args.size()), std::span<RawVal>(&out, 1));
  EXPECT_TRUE(st) << st.error().describe();
  return out;
}

// Runs `test(entry, handles)` on every plugin engine built here; returns how many it ran on.
template <class Test>
int for_each_plugin(Test&& test) {
  int ran = 0;
  for (const auto& entry : engine_registry()) {
    if (entry.plugin.empty()) continue;
    auto engine = entry.create();
    if (!engine) continue;  // not built here
    SCOPED_TRACE(entry.id);
    auto handles = Handles::make(**engine);
    EXPECT_TRUE(handles) << handles.error().describe();
    if (!handles) continue;
    test(entry, *handles);
    ++ran;
  }
  return ran;
}

TEST(DirectEntries, EveryPluginHasThemAndTheyAgreeWithThePackedCalls) {
  const int tested = for_each_plugin([](const EngineEntry& entry, Handles& h) {
    auto& [module, inst, add32, add64, mulf, muld, div, noop] = h;
    Instance& in = *inst;
    // 32-bit values everywhere; WAMR (two cells per 64-bit value) has none for 64-bit ones, whose
    // typed calls then go through the packed call: compared below either way.
    for (const Func* f : {&add32.untyped(), &mulf.untyped(), &div.untyped(), &noop.untyped()}) {
      EXPECT_NE(f->direct, nullptr) << f->name << " has no direct entry";
    }
    if (entry.plugin != "wamr") {
      EXPECT_NE(add64.untyped().direct, nullptr);
      EXPECT_NE(muld.untyped().direct, nullptr);
    }

    // Negative i32 (upper bits of the register), i64 past 32 bits, negative and fractional floats.
    EXPECT_EQ(*add32(-5, 2), -3);
    EXPECT_EQ(packed(in, add32, {RawVal{.i32 = -5}, RawVal{.i32 = 2}}).i32, -3);
    EXPECT_EQ(*add64(-(std::int64_t{1} << 40), 1), -(std::int64_t{1} << 40) + 1);
    EXPECT_EQ(packed(in, add64, {RawVal{.i64 = -(std::int64_t{1} << 40)}, RawVal{.i64 = 1}}).i64,
              -(std::int64_t{1} << 40) + 1);
    EXPECT_EQ(*mulf(-1.5f, 0.25f), -0.375f);
    EXPECT_EQ(packed(in, mulf, {RawVal{.f32 = -1.5f}, RawVal{.f32 = 0.25f}}).f32, -0.375f);
    EXPECT_EQ(*muld(-0.1, 3.0), -0.1 * 3.0);
    EXPECT_EQ(packed(in, muld, {RawVal{.f64 = -0.1}, RawVal{.f64 = 3.0}}).f64, -0.1 * 3.0);
    EXPECT_TRUE(std::isnan(*mulf(NAN, 1.0f)));
    EXPECT_TRUE(noop().has_value());

    // A trap through the direct entry: an error naming the export, and the instance carries on.
    auto trapped = div(1, 0);
    ASSERT_FALSE(trapped);
    EXPECT_EQ(trapped.error().kind, ErrorKind::trap);
    EXPECT_EQ(trapped.error().trap, TrapKind::integer_divide_by_zero);
    EXPECT_NE(trapped.error().message.find("div_s"), std::string::npos) << trapped.error().message;
    auto overflow = div(INT32_MIN, -1);
    ASSERT_FALSE(overflow);
    EXPECT_EQ(overflow.error().trap, TrapKind::integer_overflow);
    EXPECT_EQ(*div(-9, 2), -4);
  });
  if (tested == 0) GTEST_SKIP() << "no plugin engine was built here";
}

// The same handle with its tail entry, or its tail and direct entries, taken away: the paths a
// typed call takes on an engine that lacks them.
template <class Sig>
TypedFunc<Sig> without(const TypedFunc<Sig>& h, bool tail, bool direct) {
  Func f = h.untyped();
  if (tail) f.tail = nullptr;
  if (direct) f.direct = nullptr;
  return TypedFunc<Sig>(f);
}

// The tail entries (plugin_abi.h's func_tail; wasm3 has them for every export of at most 4
// parameters and one result): a typed call through one gives what the direct entry and the packed
// call give, traps included, with the same error.
TEST(TailEntries, WhereAPluginHasThemTheyAgreeWithTheDirectEntriesAndThePackedCalls) {
  int tested = 0;
  for_each_plugin([&](const EngineEntry& entry, Handles& h) {
    auto& [module, inst, add32, add64, mulf, muld, div, noop] = h;
    const Func* all[] = {&add32.untyped(), &add64.untyped(), &mulf.untyped(),
                         &muld.untyped(), &div.untyped(),   &noop.untyped()};
    if (entry.plugin == "wasm3") {
      for (const Func* f : all) EXPECT_NE(f->tail, nullptr) << f->name << " has no tail entry";
    }
    if (add32.untyped().tail == nullptr) return;
    for (const Func* f : all) {
      if (f->tail == nullptr) continue;
      EXPECT_NE(f->tail_slot, nullptr) << f->name;
      EXPECT_NE(f->tail_trap, nullptr) << f->name;
    }

    for (bool tail : {false, true}) {  // with it, and through the direct entry / packed call
      SCOPED_TRACE(tail ? "tail entry" : "without it");
      const auto a32 = tail ? add32 : without(add32, true, false);
      const auto a64 = tail ? add64 : without(add64, true, true);
      const auto mf = tail ? mulf : without(mulf, true, false);
      const auto md = tail ? muld : without(muld, true, true);
      EXPECT_EQ(*a32(-5, 2), -3);
      EXPECT_EQ(*a32(INT32_MAX, 1), INT32_MIN);
      EXPECT_EQ(*a64(-(std::int64_t{1} << 40), 1), -(std::int64_t{1} << 40) + 1);
      EXPECT_EQ(*mf(-1.5f, 0.25f), -0.375f);
      EXPECT_EQ(*md(-0.1, 3.0), -0.1 * 3.0);
      EXPECT_TRUE(std::isnan(*mf(NAN, 1.0f)));
      EXPECT_TRUE((tail ? noop : without(noop, true, false))().has_value());
    }
    // A trap through the tail entry: the error the direct entry gives, and the instance carries on.
    auto through_tail = div(1, 0);
    auto through_direct = without(div, true, false)(1, 0);
    ASSERT_FALSE(through_tail);
    ASSERT_FALSE(through_direct);
    EXPECT_EQ(through_tail.error().kind, ErrorKind::trap);
    EXPECT_EQ(through_tail.error().trap, TrapKind::integer_divide_by_zero);
    EXPECT_EQ(through_tail.error().message, through_direct.error().message);
    auto overflow = div(INT32_MIN, -1);
    ASSERT_FALSE(overflow);
    EXPECT_EQ(overflow.error().trap, TrapKind::integer_overflow);
    EXPECT_EQ(*div(-9, 2), -4);
    ++tested;
  });
  if (tested == 0) GTEST_SKIP() << "no plugin engine with tail entries was built here";
}

}  // namespace
}  // namespace wasmhop
