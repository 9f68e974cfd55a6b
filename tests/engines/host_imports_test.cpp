// Host functions on the built-in engines (wabt-interp, wasm2c, V8), beyond
// tests/host_functions_test.cpp: a start function that calls the host (and one that is a host
// function), the caller's memory after it grew and per instance, multi-value results, more
// parameters than the engines pass inline, a host function failing during instantiation.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "wasmhop/wasmhop.hpp"

namespace wasmhop {
namespace {

// (module
//   (import "env" "note" (func $note (param i32)))
//   (import "env" "pages" (func $pages (result i32)))
//   (import "env" "pair" (func $pair (param i32) (result i32 i64)))
//   (import "env" "many" (func $many (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i64)))
//   (import "env" "peek" (func $peek (param i32) (result i32)))
//   (memory (export "memory") 1)
//   (func $start (call $note (i32.const 7)) (call $note (call $pages)))
//   (start $start)
//   (func (export "grow_then_pages") (param i32) (result i32)
//     (drop (memory.grow (local.get 0))) (call $pages))
//   (func (export "pair_sum") (param i32) (result i64) (local $b i64)
//     (call $pair (local.get 0)) (local.set $b) (i64.extend_i32_s) (local.get $b) (i64.add))
//   (func (export "call_many") (result i64)
//     (call $many (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)
//                 (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i64.const 10)))
//   (func (export "poke_peek") (param i32 i32) (result i32)
//     (i32.store8 (local.get 0) (local.get 1)) (call $peek (local.get 0))))
const std::vector<std::uint8_t> kCalls = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x34, 0x09, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01,
    0x7f, 0x60, 0x01, 0x7f, 0x02, 0x7f, 0x7e, 0x60, 0x0a, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f,
    0x7e, 0x01, 0x7e, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60, 0x00,
    0x01, 0x7e, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x39, 0x05, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x6e, 0x6f,
    0x74, 0x65, 0x00, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x05, 0x70, 0x61, 0x67, 0x65, 0x73, 0x00, 0x01, 0x03, 0x65,
    0x6e, 0x76, 0x04, 0x70, 0x61, 0x69, 0x72, 0x00, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x6d, 0x61, 0x6e, 0x79,
    0x00, 0x03, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x04, 0x03, 0x06, 0x05, 0x05, 0x04,
    0x06, 0x07, 0x08, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x3f, 0x05, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79,
    0x02, 0x00, 0x0f, 0x67, 0x72, 0x6f, 0x77, 0x5f, 0x74, 0x68, 0x65, 0x6e, 0x5f, 0x70, 0x61, 0x67, 0x65, 0x73,
    0x00, 0x06, 0x08, 0x70, 0x61, 0x69, 0x72, 0x5f, 0x73, 0x75, 0x6d, 0x00, 0x07, 0x09, 0x63, 0x61, 0x6c, 0x6c,
    0x5f, 0x6d, 0x61, 0x6e, 0x79, 0x00, 0x08, 0x09, 0x70, 0x6f, 0x6b, 0x65, 0x5f, 0x70, 0x65, 0x65, 0x6b, 0x00,
    0x09, 0x08, 0x01, 0x05, 0x0a, 0x4c, 0x05, 0x0a, 0x00, 0x41, 0x07, 0x10, 0x00, 0x10, 0x01, 0x10, 0x00, 0x0b,
    0x09, 0x00, 0x20, 0x00, 0x40, 0x00, 0x1a, 0x10, 0x01, 0x0b, 0x0e, 0x01, 0x01, 0x7e, 0x20, 0x00, 0x10, 0x02,
    0x21, 0x01, 0xac, 0x20, 0x01, 0x7c, 0x0b, 0x18, 0x00, 0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x41, 0x04, 0x41,
    0x05, 0x41, 0x06, 0x41, 0x07, 0x41, 0x08, 0x41, 0x09, 0x42, 0x0a, 0x10, 0x03, 0x0b, 0x0d, 0x00, 0x20, 0x00,
    0x20, 0x01, 0x3a, 0x00, 0x00, 0x20, 0x00, 0x10, 0x04, 0x0b};

// (module (import "env" "ping" (func $ping)) (start $ping))
const std::vector<std::uint8_t> kStartIsImport = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01,
                                                  0x60, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x04,
                                                  0x70, 0x69, 0x6e, 0x67, 0x00, 0x00, 0x08, 0x01, 0x00};

class HostImports : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto e = create_engine(GetParam());
    if (!e && e.error().kind == ErrorKind::engine_unavailable) GTEST_SKIP() << e.error().describe();
    ASSERT_TRUE(e) << e.error().describe();
    engine_ = std::move(*e);
  }

  // The host side of kCalls: `notes` records note's arguments.
  Imports imports() {
    Imports im;
    im.func("env", "note", [this](std::int32_t v) { notes_.push_back(v); });
    im.func("env", "pages", [](Caller& c) { return static_cast<std::int32_t>(c.memory().size() / 65536); });
    im.add("env", "pair", FuncType{{ValType::i32}, {ValType::i32, ValType::i64}},
           [](void*, Caller&, RawVal* io) -> Status {
             const std::int32_t v = io[0].i32;
             io[0].i32 = v * 2;
             io[1].i64 = std::int64_t{v} << 33;
             return {};
           },
           nullptr);
    im.func("env", "many", [](std::int32_t a, std::int32_t b, std::int32_t c, std::int32_t d, std::int32_t e,
                              std::int32_t f, std::int32_t g, std::int32_t h, std::int32_t i, std::int64_t j) {
      // Weighted, so that a swapped or dropped argument shows.
      return std::int64_t{a} + 10 * b + 100 * c + 1000 * d + 10000 * e + 100000 * f + 1000000 * g +
             10000000 * std::int64_t{h} + 100000000 * std::int64_t{i} + 1000000000 * j;
    });
    im.func("env", "peek", [](Caller& c, std::uint32_t ptr) -> Result<std::int32_t> {
      auto v = c.memory().read<std::uint8_t>(ptr);
      if (!v) return tl::unexpected(v.error());
      return *v;
    });
    return im;
  }

  std::unique_ptr<Instance> instantiate(const Imports& im) {
    auto m = engine_->compile(kCalls, "host_imports");
    EXPECT_TRUE(m) << m.error().describe();
    if (!m) return nullptr;
    auto i = (*m)->instantiate({.imports = im});
    EXPECT_TRUE(i) << i.error().describe();
    return i ? std::move(*i) : nullptr;
  }

  // V8 runs a start function inside WebAssembly.Instance, before the instance's exports (and so
  // its memory) reach wasmhop: host functions see no memory there.
  [[nodiscard]] bool start_sees_memory() const { return engine_->info().name != "V8"; }

  std::unique_ptr<Engine> engine_;
  std::vector<std::int32_t> notes_;
};

TEST_P(HostImports, TheStartFunctionCallsTheHost) {
  auto inst = instantiate(imports());
  ASSERT_TRUE(inst);
  EXPECT_EQ(notes_, (std::vector<std::int32_t>{7, start_sees_memory() ? 1 : 0}));
}

TEST_P(HostImports, AHostFunctionAsTheStartFunction) {
  int pings = 0;
  Imports im;
  im.func("env", "ping", [&pings] { ++pings; });
  auto m = engine_->compile(kStartIsImport, "start_is_import");
  ASSERT_TRUE(m) << m.error().describe();
  auto i = (*m)->instantiate({.imports = im});
  ASSERT_TRUE(i) << i.error().describe();
  EXPECT_EQ(pings, 1);
}

TEST_P(HostImports, AFailureInTheStartFunctionFailsInstantiation) {
  Imports im = imports();
  im.func("env", "note", [](std::int32_t) -> Status { return fail(ErrorKind::invalid_argument, "no notes today"); });
  auto m = engine_->compile(kCalls, "host_imports");
  ASSERT_TRUE(m) << m.error().describe();
  auto i = (*m)->instantiate({.imports = im});
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().kind, ErrorKind::invalid_argument) << i.error().describe();
  EXPECT_NE(i.error().message.find("no notes today"), std::string::npos) << i.error().message;
  EXPECT_NE(i.error().message.find("env.note"), std::string::npos) << i.error().message;
  auto again = (*m)->instantiate({.imports = imports()});  // the module is still good
  EXPECT_TRUE(again) << again.error().describe();
}

TEST_P(HostImports, TheCallersMemoryAfterItGrew) {
  auto inst = instantiate(imports());
  ASSERT_TRUE(inst);
  auto grow = inst->typed<std::int32_t(std::int32_t)>("grow_then_pages");
  ASSERT_TRUE(grow);
  EXPECT_EQ(*(*grow)(3), 4);
  EXPECT_EQ(*(*grow)(0), 4);
  EXPECT_EQ(*(*grow)(60), 64);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("poke_peek", 64 * 65536 - 1, 0xAB), 0xAB);
}

TEST_P(HostImports, EachInstanceIsItsOwnCaller) {
  auto a = instantiate(imports());
  auto b = instantiate(imports());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a->call_by_name<std::int32_t>("poke_peek", 100, 1), 1);
  EXPECT_EQ(*b->call_by_name<std::int32_t>("poke_peek", 100, 2), 2);
  EXPECT_EQ(*a->call_by_name<std::int32_t>("poke_peek", 100, 3), 3);
  EXPECT_EQ(*b->call_by_name<std::int32_t>("grow_then_pages", 1), 2);
  EXPECT_EQ(*a->call_by_name<std::int32_t>("grow_then_pages", 0), 1);
}

TEST_P(HostImports, MultiValueResultsAndManyParameters) {
  auto inst = instantiate(imports());
  ASSERT_TRUE(inst);
  EXPECT_EQ(*inst->call_by_name<std::int64_t>("pair_sum", 5), 10 + (std::int64_t{5} << 33));
  EXPECT_EQ(*inst->call_by_name<std::int64_t>("pair_sum", -3), -6 - (std::int64_t{3} << 33));
  EXPECT_EQ(*inst->call_by_name<std::int64_t>("call_many"), 10987654321);
}

INSTANTIATE_TEST_SUITE_P(Builtin, HostImports, ::testing::Values("wabt-interp", "wasm2c", "v8"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s) c = c == '-' ? '_' : c;
                           return s;
                         });

}  // namespace
}  // namespace wasmhop
