// Host functions on every engine (and native mode): the same guest (guest/test/host_calls.cpp)
// calls the host with every value type, through the caller's memory, in a loop, and into host
// functions that fail; a module whose imports the host does not satisfy fails to instantiate
// with an error naming the import and its type.
#include <stdexcept>
#include <vector>

#include "engine_fixture.hpp"

namespace wasmhop::testing {
namespace {

// The host side of host_calls.cpp; `notes` records what call_note passed.
struct Host {
  std::vector<std::int32_t> notes;

  Imports imports() {
    Imports im;
    im.func("env", "add", [](std::int32_t a, std::int32_t b) { return a + b; });
    im.func("env", "mix", [](std::int32_t a, std::int64_t b, float c, double d) {
      return static_cast<double>(a) * 1000.0 + static_cast<double>(b) + static_cast<double>(c) + d;
    });
    im.func("env", "wide", [](std::int64_t a) { return a * 3; });
    im.func("env", "note", [this](std::int32_t v) { notes.push_back(v); });
    im.func("env", "sum_memory", [](Caller& c, std::uint32_t ptr, std::uint32_t len) -> Result<std::int32_t> {
      auto bytes = c.memory().bytes(ptr, len);
      if (!bytes) return tl::unexpected(bytes.error());
      std::int32_t s = 0;
      for (std::uint8_t b : *bytes) s += b;
      return s;
    });
    im.func("env", "fill_memory", [](Caller& c, std::uint32_t ptr, std::uint32_t len, std::int32_t value) -> Status {
      auto bytes = c.memory().bytes(ptr, len);
      if (!bytes) return tl::unexpected(bytes.error());
      for (std::uint32_t i = 0; i < len; ++i) (*bytes)[i] = static_cast<std::uint8_t>(value + static_cast<std::int32_t>(i));
      return {};
    });
    im.func("env", "checked", [](std::int32_t v) -> Result<std::int32_t> {
      if (v < 0) return fail(ErrorKind::invalid_argument, "a negative value");
      return v * 10;
    });
    return im;
  }
};

class HostFunctions : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_TRUE(caps().host_functions) << "every engine provides host functions";
  }

  std::unique_ptr<Instance> instantiate_with(const Imports& imports) {
    auto m = load("host_calls");
    if (!m) return nullptr;
    auto i = m->instantiate({.imports = imports});
    EXPECT_TRUE(i) << i.error().describe();
    return i ? std::move(*i) : nullptr;
  }

  Host host_;
};

TEST_P(HostFunctions, ScalarsOfEveryTypeBothWays) {
  auto inst = instantiate_with(host_.imports());
  ASSERT_TRUE(inst);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("call_add", 20, 1), 42);
  EXPECT_DOUBLE_EQ(*inst->call_by_name<double>("call_mix", 2, std::int64_t{1} << 40, 0.5f, 0.25),
                   2000.0 + 1099511627776.0 + 0.75);
  EXPECT_EQ(*inst->call_by_name<std::int64_t>("call_wide", std::int64_t{1} << 35), (std::int64_t{3} << 35) + 1);
  ASSERT_TRUE(inst->call_by_name<void>("call_note", -5));
  ASSERT_TRUE(inst->call_by_name<void>("call_note", 7));
  EXPECT_EQ(host_.notes, (std::vector<std::int32_t>{-5, 7}));
}

TEST_P(HostFunctions, ManyHostCallsInOneGuestCall) {
  auto inst = instantiate_with(host_.imports());
  ASSERT_TRUE(inst);
  auto loop = inst->typed<std::int32_t(std::int32_t)>("add_loop");
  ASSERT_TRUE(loop);
  EXPECT_EQ(*(*loop)(1000), 499500);
  EXPECT_EQ(*(*loop)(0), 0);
}

TEST_P(HostFunctions, HostReadsAndWritesTheCallersMemory) {
  auto inst = instantiate_with(host_.imports());
  ASSERT_TRUE(inst);
  std::int32_t want = 0;
  for (int k = 0; k < 300; ++k) want += static_cast<std::uint8_t>(k * 3 + 1);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("sum_via_host", 300), want);
  std::int32_t filled = 0;
  for (int k = 0; k < 50; ++k) filled += static_cast<std::uint8_t>(3 + k);
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("fill_via_host", 50, 3), filled);
}

TEST_P(HostFunctions, AFailingHostFunctionFailsTheGuestCallOnly) {
  auto inst = instantiate_with(host_.imports());
  ASSERT_TRUE(inst);
  auto checked = inst->typed<std::int32_t(std::int32_t)>("call_checked");
  ASSERT_TRUE(checked);
  EXPECT_EQ(*(*checked)(4), 41);
  for (int round = 0; round < 3; ++round) {
    auto r = (*checked)(-1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument) << r.error().describe();
    EXPECT_NE(r.error().message.find("env.checked"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("a negative value"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("call_checked"), std::string::npos) << r.error().message;
    EXPECT_EQ(*(*checked)(2), 21);  // the instance carries on
  }
  // The host's bounds check on the caller's memory is an error, not a crash.
  auto oob = inst->call_by_name<std::int32_t>("sum_out_of_bounds");
  ASSERT_FALSE(oob);
  EXPECT_EQ(oob.error().kind, ErrorKind::out_of_bounds) << oob.error().describe();
  EXPECT_NE(oob.error().message.find("env.sum_memory"), std::string::npos) << oob.error().message;
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("call_add", 1, 1), 4);
}

TEST_P(HostFunctions, AThrowingHostFunctionIsAnError) {
  Imports im = host_.imports();
  im.func("env", "checked", [](std::int32_t) -> std::int32_t { throw std::runtime_error("boom"); });
  auto inst = instantiate_with(im);
  ASSERT_TRUE(inst);
  auto r = inst->call_by_name<std::int32_t>("call_checked", 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::internal);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos) << r.error().message;
  EXPECT_EQ(*inst->call_by_name<std::int32_t>("call_add", 2, 2), 8);
}

TEST_P(HostFunctions, MissingAndMistypedImportsAreNamed) {
  auto m = load("host_calls");
  ASSERT_TRUE(m);
  Imports missing;
  const Imports all = host_.imports();
  for (const HostFunc& f : all.funcs()) {
    if (f.field != "mix") missing.add(f.module, f.field, f.type, f.call, f.ctx);
  }
  auto a = m->instantiate({.imports = missing});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, ErrorKind::instantiation_failed) << a.error().describe();
  EXPECT_NE(a.error().message.find("env.mix"), std::string::npos) << a.error().message;
  EXPECT_NE(a.error().message.find("(i32, i64, f32, f64) -> (f64)"), std::string::npos) << a.error().message;

  Imports mistyped = host_.imports();
  mistyped.func("env", "add", [](std::int64_t a, std::int64_t b) { return a + b; });
  auto b = m->instantiate({.imports = mistyped});
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, ErrorKind::signature_mismatch) << b.error().describe();
  EXPECT_NE(b.error().message.find("env.add"), std::string::npos) << b.error().message;
  EXPECT_NE(b.error().message.find("(i32, i32) -> (i32)"), std::string::npos) << b.error().message;
  EXPECT_NE(b.error().message.find("(i64, i64) -> (i64)"), std::string::npos) << b.error().message;

  auto fine = m->instantiate({.imports = host_.imports()});  // the module is still good
  ASSERT_TRUE(fine) << fine.error().describe();
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(HostFunctions);

}  // namespace
}  // namespace wasmhop::testing
