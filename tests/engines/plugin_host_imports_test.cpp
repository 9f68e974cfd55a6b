// Host functions on the plugins that link imports themselves (wasmi, wasm3, wamr-interp): what
// the shared guest (tests/host_functions_test.cpp) does not reach. Each instance calls its own
// host functions, even for one module (WAMR links imports per module, the plugin finds the
// instance); two modules importing one name with different types each get theirs; a start
// function calls imports (wasm3 and WAMR run it inside instantiation) or is one; an import
// imported twice and one reached through a table; the caller's memory after memory.grow; an
// import with two results (wasmi; wasm3 0.4.7 and the 2020 WAMR refuse it with an error).
#include <gtest/gtest.h>

#include "hostile/wasm_builder.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {
namespace {

using wasm::append;
using wasm::Bytes;
using wasm::leb;
using wasm::section;

constexpr std::uint8_t kI32 = 0x7F, kI64 = 0x7E;

Bytes vec(std::initializer_list<Bytes> items) {
  Bytes p;
  leb(p, items.size());
  for (const auto& i : items) append(p, i);
  return p;
}

Bytes functype(const Bytes& params, const Bytes& results) {
  Bytes t{0x60};
  leb(t, params.size());
  append(t, params);
  leb(t, results.size());
  append(t, results);
  return t;
}

Bytes import_func(std::string_view module, std::string_view field, std::uint32_t type) {
  Bytes p;
  wasm::name(p, module);
  wasm::name(p, field);
  p.push_back(0x00);
  leb(p, type);
  return p;
}

Bytes export_of(std::string_view name, std::uint8_t kind, std::uint32_t index) {
  Bytes p;
  wasm::name(p, name);
  p.push_back(kind);
  leb(p, index);
  return p;
}

Bytes body(const Bytes& code) {
  Bytes b{0x00};  // no locals
  append(b, code);
  b.push_back(0x0B);
  Bytes out;
  leb(out, b.size());
  append(out, b);
  return out;
}

// env.f () -> i32 imported twice, env.tick () -> () called by the start function; g returns
// f() + f() through both imports, via_table calls import 0 through a table.
Bytes twice_and_start() {
  return wasm::module({
      section(1, vec({functype({}, {kI32}), functype({}, {})})),
      section(2, vec({import_func("env", "f", 0), import_func("env", "f", 0), import_func("env", "tick", 1)})),
      section(3, {0x03, 0x00, 0x01, 0x00}),
      section(4, {0x01, 0x70, 0x00, 0x01}),
      section(7, vec({export_of("g", 0, 3), export_of("via_table", 0, 5)})),
      section(8, {0x04}),
      section(9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00}),  // table[0] = import 0
      section(10, vec({body({0x10, 0x00, 0x10, 0x01, 0x6A}), body({0x10, 0x02}), body({0x41, 0x00, 0x11, 0x00, 0x00})})),
  });
}

// env.f (i64) -> i64: the same name as above with another type; h(x) = f(x).
Bytes wide_f() {
  return wasm::module({
      section(1, vec({functype({kI64}, {kI64})})),
      section(2, vec({import_func("env", "f", 0)})),
      section(3, {0x01, 0x00}),
      section(7, vec({export_of("h", 0, 1)})),
      section(10, vec({body({0x20, 0x00, 0x10, 0x00})})),
  });
}

// env.pair () -> (i32, i64); sum() = i64(first) + second.
Bytes two_results() {
  Bytes code = {0x01, 0x01, kI64};  // one i64 local
  append(code, {0x10, 0x00, 0x21, 0x00, 0xAC, 0x20, 0x00, 0x7C, 0x0B});
  Bytes bodies{0x01};
  leb(bodies, code.size());
  append(bodies, code);
  return wasm::module({
      section(1, vec({functype({}, {kI32, kI64}), functype({}, {kI64})})),
      section(2, vec({import_func("env", "pair", 0)})),
      section(3, {0x01, 0x01}),
      section(7, vec({export_of("sum", 0, 1)})),
      section(10, bodies),
  });
}

// The start function is the import env.tick itself.
Bytes start_is_import() {
  return wasm::module({
      section(1, vec({functype({}, {})})),
      section(2, vec({import_func("env", "tick", 0)})),
      section(8, {0x00}),
  });
}

// One page of memory; grow_and_ask grows it by a page, then returns env.pages().
Bytes grows_memory() {
  return wasm::module({
      section(1, vec({functype({}, {kI32})})),
      section(2, vec({import_func("env", "pages", 0)})),
      section(3, {0x01, 0x00}),
      section(5, {0x01, 0x00, 0x01}),
      section(7, vec({export_of("grow_and_ask", 0, 1), export_of("memory", 2, 0)})),
      section(10, vec({body({0x41, 0x01, 0x40, 0x00, 0x1A, 0x10, 0x00})})),
  });
}

class PluginHostImports : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto e = create_engine(GetParam());
    if (!e) GTEST_SKIP() << e.error().describe();
    engine_ = std::move(*e);
    ASSERT_TRUE(engine_->info().caps.host_functions);
  }

  std::unique_ptr<Module> compile(const Bytes& bytes, std::string_view name) {
    auto m = engine_->compile(bytes, name);
    EXPECT_TRUE(m) << m.error().describe();
    return m ? std::move(*m) : nullptr;
  }

  std::unique_ptr<Engine> engine_;
};

TEST_P(PluginHostImports, EachInstanceCallsItsOwnHostFunctions) {
  auto m = compile(twice_and_start(), "twice");
  ASSERT_TRUE(m);
  int ticks_a = 0, ticks_b = 0;
  Imports a, b;
  a.func("env", "f", [] { return std::int32_t{1}; }).func("env", "tick", [&ticks_a] { ++ticks_a; });
  b.func("env", "f", [] { return std::int32_t{100}; }).func("env", "tick", [&ticks_b] { ++ticks_b; });
  auto ia = m->instantiate({.imports = a});
  ASSERT_TRUE(ia) << ia.error().describe();
  auto ib = m->instantiate({.imports = b});
  ASSERT_TRUE(ib) << ib.error().describe();
  EXPECT_EQ(ticks_a, 1);  // the start function ran, with its imports
  EXPECT_EQ(ticks_b, 1);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(*(*ia)->call_by_name<std::int32_t>("g"), 2);
    EXPECT_EQ(*(*ib)->call_by_name<std::int32_t>("g"), 200);
    EXPECT_EQ(*(*ia)->call_by_name<std::int32_t>("via_table"), 1);
    EXPECT_EQ(*(*ib)->call_by_name<std::int32_t>("via_table"), 100);
  }
  ia->reset();  // the other instance keeps its bindings
  EXPECT_EQ(*(*ib)->call_by_name<std::int32_t>("g"), 200);
}

TEST_P(PluginHostImports, ModulesImportingOneNameWithOtherTypesEachGetTheirs) {
  auto narrow = compile(twice_and_start(), "narrow");
  auto wide = compile(wide_f(), "wide");
  ASSERT_TRUE(narrow && wide);
  Imports n, w;
  n.func("env", "f", [] { return std::int32_t{7}; }).func("env", "tick", [] {});
  w.func("env", "f", [](std::int64_t x) { return x * 2; });
  auto in = narrow->instantiate({.imports = n});
  ASSERT_TRUE(in) << in.error().describe();
  auto iw = wide->instantiate({.imports = w});
  ASSERT_TRUE(iw) << iw.error().describe();
  EXPECT_EQ(*(*iw)->call_by_name<std::int64_t>("h", std::int64_t{1} << 40), std::int64_t{1} << 41);
  EXPECT_EQ(*(*in)->call_by_name<std::int32_t>("g"), 14);
  EXPECT_EQ(*(*iw)->call_by_name<std::int64_t>("h", std::int64_t{-21}), -42);
}

TEST_P(PluginHostImports, AFailingImportInTheStartFunctionFailsInstantiation) {
  auto m = compile(twice_and_start(), "start_fails");
  ASSERT_TRUE(m);
  Imports im;
  im.func("env", "f", [] { return std::int32_t{1}; });
  im.func("env", "tick", []() -> Status { return fail(ErrorKind::invalid_argument, "no ticks today"); });
  auto inst = m->instantiate({.imports = im});
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("env.tick"), std::string::npos) << inst.error().describe();
  EXPECT_NE(inst.error().message.find("no ticks today"), std::string::npos) << inst.error().describe();
  im.func("env", "tick", [] {});
  EXPECT_TRUE(m->instantiate({.imports = im}));  // the module is still good
}

TEST_P(PluginHostImports, TheStartFunctionMayBeAHostFunction) {
  auto m = compile(start_is_import(), "start_import");
  ASSERT_TRUE(m);
  int ticks = 0;
  Imports im;
  im.func("env", "tick", [&ticks] { ++ticks; });
  auto inst = m->instantiate({.imports = im});
  ASSERT_TRUE(inst) << inst.error().describe();
  EXPECT_EQ(ticks, 1);
  im.func("env", "tick", []() -> Status { return fail(ErrorKind::invalid_argument, "not now"); });
  auto failed = m->instantiate({.imports = im});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("not now"), std::string::npos) << failed.error().describe();
}

TEST_P(PluginHostImports, TheCallersMemoryIsTheOneOfNow) {
  auto m = compile(grows_memory(), "grows");
  ASSERT_TRUE(m);
  Imports im;
  im.func("env", "pages", [](Caller& c) { return static_cast<std::int32_t>(c.memory().size() / 65536); });
  auto inst = m->instantiate({.imports = im});
  ASSERT_TRUE(inst) << inst.error().describe();
  EXPECT_EQ(*(*inst)->call_by_name<std::int32_t>("grow_and_ask"), 2);
  EXPECT_EQ(*(*inst)->call_by_name<std::int32_t>("grow_and_ask"), 3);
}

TEST_P(PluginHostImports, AnImportWithTwoResults) {
  auto m = engine_->compile(two_results(), "two_results");
  Imports im;
  im.add("env", "pair", FuncType{{}, {ValType::i32, ValType::i64}},
         [](void*, Caller&, RawVal* io) -> Status {
           io[0].i32 = -2;
           io[1].i64 = std::int64_t{1} << 40;
           return {};
         },
         nullptr);
  auto inst = m ? (*m)->instantiate({.imports = im}) : Result<std::unique_ptr<Instance>>(tl::unexpected(m.error()));
  if (std::string_view(GetParam()) != "wasmi") {  // no multi-value: an error, named
    ASSERT_FALSE(inst);
    EXPECT_FALSE(inst.error().message.empty());
    return;
  }
  ASSERT_TRUE(inst) << inst.error().describe();
  EXPECT_EQ(*(*inst)->call_by_name<std::int64_t>("sum"), (std::int64_t{1} << 40) - 2);
}

INSTANTIATE_TEST_SUITE_P(Plugins, PluginHostImports, ::testing::Values("wasmi", "wasm3", "wamr-interp"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s) c = c == '-' ? '_' : c;
                           return s;
                         });

}  // namespace
}  // namespace wasmhop::testing
