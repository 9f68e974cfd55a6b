// GuestObject / NearImage (src/engines/common/guest_object.hpp, near_image.hpp): guest machine code
// that wasmhop built is mapped within reach of the host's code on x86-64, each load with globals
// of its own, its static constructors run, its symbols found; what is not an object fails.
#include <cstdint>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "engines/common/guest_object.hpp"
#include "engines/common/trap_guard.hpp"
#include "wasmhop/guest_native.hpp"

namespace wasmhop::detail {
namespace {

const std::filesystem::path kScript = std::filesystem::path(WASMHOP_GUEST_DIR) / "micro.native.so";

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
constexpr bool kNearExpected = true;
#else
constexpr bool kNearExpected = false;
#endif

std::uintptr_t distance(const void* a, const void* b) {
  const auto x = reinterpret_cast<std::uintptr_t>(a), y = reinterpret_cast<std::uintptr_t>(b);
  return x > y ? x - y : y - x;
}

TEST(GuestObject, MapsAScriptNearTheHostsCode) {
  auto object = GuestObject::open(kScript, /*private_state=*/true);
  ASSERT_TRUE(object) << object.error().describe();
  EXPECT_EQ((*object)->near(), kNearExpected) << (*object)->why_far();
  using Info = const wasmhop_native_module_desc* (*)();
  auto info = reinterpret_cast<Info>((*object)->symbol("wasmhop_native_module_info"));
  ASSERT_NE(info, nullptr);
  // The export table is filled by the script's static constructors: they ran.
  const wasmhop_native_module_desc* desc = info();
  ASSERT_NE(desc, nullptr);
  EXPECT_EQ(desc->abi_version, WASMHOP_NATIVE_ABI_VERSION);
  EXPECT_GT(desc->export_count, 5u);
  if (kNearExpected) {
    EXPECT_LT(distance(reinterpret_cast<const void*>(info), reinterpret_cast<const void*>(&raise_trap)),
              std::uintptr_t{1} << 31);
  }
  EXPECT_EQ((*object)->symbol("no_such_symbol"), nullptr);
}

TEST(GuestObject, EveryPrivateLoadHasItsOwnGlobals) {
  auto a = GuestObject::open(kScript, true);
  auto b = GuestObject::open(kScript, true);
  ASSERT_TRUE(a && b);
  auto* base_a = static_cast<std::uint8_t**>((*a)->symbol("wasmhop_native_memory_base"));
  auto* base_b = static_cast<std::uint8_t**>((*b)->symbol("wasmhop_native_memory_base"));
  ASSERT_NE(base_a, nullptr);
  ASSERT_NE(base_b, nullptr);
  EXPECT_NE(base_a, base_b);
  std::uint8_t byte = 0;
  *base_a = &byte;
  EXPECT_EQ(*base_b, nullptr);
}

// Loading and unloading many times reuses the room near the host's code.
TEST(GuestObject, ManyLoadsStayNear) {
  for (int i = 0; i < 300; ++i) {
    auto object = GuestObject::open(kScript, true);
    ASSERT_TRUE(object) << i << ": " << object.error().describe();
    ASSERT_EQ((*object)->near(), kNearExpected) << i << ": " << (*object)->why_far();
  }
}

TEST(GuestObject, WhatIsNotAnObjectFails) {
  const auto path = std::filesystem::temp_directory_path() / "wasmhop-guest-object-test.so";
  std::ofstream(path) << "not an ELF object\n";
  auto object = GuestObject::open(path, true);
  std::filesystem::remove(path);
  ASSERT_FALSE(object);
  EXPECT_NE(object.error().message.find("wasmhop-guest-object-test.so"), std::string::npos) << object.error().message;
  EXPECT_FALSE(GuestObject::open(std::filesystem::path(WASMHOP_GUEST_DIR) / "missing.so", true));
}

}  // namespace
}  // namespace wasmhop::detail
