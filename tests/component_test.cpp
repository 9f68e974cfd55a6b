// The component model on every engine (wasmhop/component.hpp): a component where a core module is
// expected, and the reverse, is a clear error everywhere; engines without the component
// capability refuse components with that reason; engines with it run the study's worlds.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "payload.hpp"  // guest/micro
#include "engine_fixture.hpp"
#include "wasmhop/component.hpp"

namespace wasmhop::testing {
namespace {

std::filesystem::path component_path(const std::string& name) {
  return std::filesystem::path(WASMHOP_GUEST_DIR) / (name + ".component.wasm");
}

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
  auto b = read_file(p);
  EXPECT_TRUE(b) << b.error().describe();
  return b ? *b : std::vector<std::uint8_t>{};
}

class ComponentTest : public EngineTest {
 protected:
  // A fresh instance of a guest component; skips on engines without components.
  std::unique_ptr<ComponentInstance> instantiate_component(const std::string& name) {
    auto c = engine().load_component(component_path(name));
    if (!caps().component) {
      EXPECT_FALSE(c);
      return nullptr;
    }
    EXPECT_TRUE(c) << c.error().describe();
    if (!c) return nullptr;
    auto inst = (*c)->instantiate();
    EXPECT_TRUE(inst) << inst.error().describe();
    return inst ? std::move(*inst) : nullptr;
  }
};

TEST(BinaryKind, TellsComponentsFromModules) {
  EXPECT_EQ(binary_kind(bytes_of(component_path("micro"))), BinaryKind::component);
  EXPECT_EQ(binary_kind(bytes_of(guest_path("micro"))), BinaryKind::core_module);
  const std::vector<std::uint8_t> junk{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00};
  EXPECT_EQ(binary_kind(junk), BinaryKind::unknown);
}

TEST_P(ComponentTest, ComponentWhereAModuleIsExpectedIsAClearError) {
  const auto bytes = bytes_of(component_path("micro"));
  auto m = engine().compile(bytes, "micro.component");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::malformed_module);
  EXPECT_NE(m.error().message.find("is a component"), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find("micro.component"), std::string::npos) << m.error().message;
  // Through a file too (native resolves its own build next to it): an error, never a crash.
  EXPECT_FALSE(load_bytes(bytes));
}

TEST_P(ComponentTest, ModuleWhereAComponentIsExpectedIsAClearError) {
  auto c = engine().compile_component(bytes_of(guest_path("micro")), "micro");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::malformed_module);
  EXPECT_NE(c.error().message.find("is a core module, not a component"), std::string::npos) << c.error().message;
  auto junk = engine().compile_component(std::vector<std::uint8_t>{1, 2, 3}, "junk");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().kind, ErrorKind::malformed_module);
}

TEST_P(ComponentTest, EnginesWithoutComponentsSaySo) {
  auto c = engine().load_component(component_path("micro"));
  if (caps().component) {
    EXPECT_TRUE(c) << c.error().describe();
    return;
  }
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::engine_unavailable);
  EXPECT_NE(c.error().message.find("component = false"), std::string::npos) << c.error().message;
}

TEST_P(ComponentTest, MicroWorldComputesWhatTheCoreModuleDoes) {
  auto inst = instantiate_component("micro");
  if (!caps().component) GTEST_SKIP() << "no component capability";
  ASSERT_NE(inst, nullptr);
  auto w = inst->micro();
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->mul_scalars(6, 7).value(), 42);
  EXPECT_EQ(w->mul_scalars(-3, 1 << 30).value(), micro::mul(-3, 1 << 30));
  EXPECT_EQ(w->mul_record(-6, 7).value(), -42);
  for (std::size_t n : {0u, 1u, 8u, 1000u, 65536u}) {
    std::vector<std::uint8_t> payload(n);
    for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<std::uint8_t>(i * 31 + 7);
    EXPECT_EQ(w->checksum(payload).value(), micro::checksum(payload.data(), n)) << n << " bytes";
  }
  // The other world is not exported by this component.
  auto p = inst->policy();
  ASSERT_FALSE(p);
  EXPECT_TRUE(p.error().kind == ErrorKind::missing_export || p.error().kind == ErrorKind::signature_mismatch)
      << p.error().describe();
}

TEST_P(ComponentTest, PolicyWorldTrapsBeforeInitAndCountsAfter) {
  auto inst = instantiate_component("policy_lru");
  if (!caps().component) GTEST_SKIP() << "no component capability";
  ASSERT_NE(inst, nullptr);
  auto w = inst->policy();
  ASSERT_TRUE(w) << w.error().describe();
  auto early = w->access(1, 10);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::trap);
  EXPECT_NE(early.error().message.find("policy_lru"), std::string::npos) << early.error().message;

  auto fresh = instantiate_component("policy_lru");
  ASSERT_NE(fresh, nullptr);
  auto lru = fresh->policy();
  ASSERT_TRUE(lru);
  ASSERT_TRUE(lru->init(100, 0, 0));
  EXPECT_FALSE(lru->access(1, 60).value());
  EXPECT_TRUE(lru->access(1, 60).value());
  EXPECT_FALSE(lru->access(2, 60).value());  // evicts 1
  EXPECT_FALSE(lru->access(1, 60).value());
  const auto s = lru->stats().value();
  EXPECT_EQ(s.requests, 4u);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.bytes_requested, 240u);
  EXPECT_EQ(s.bytes_hit, 60u);
  // An enum case out of range cannot be lifted: a trap, not a policy with a wrong mode.
  EXPECT_FALSE(lru->init(100, 7, 0));
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(ComponentTest);

}  // namespace
}  // namespace wasmhop::testing
