// Bad modules on every engine: random bytes, every truncation of a real module, and valid modules
// beyond what an engine (or the host's memory limit) accepts. Each load either works or fails with
// an error naming the module; the host never crashes and the engine loads the next module.
// (The basic malformed cases — empty, bad magic, bad version, three truncations — are in
// tests/engine_conformance_test.cpp.)
#include <fmt/format.h>

#include <map>
#include <random>

#include "engine_fixture.hpp"
#include "hostile/wasm_builder.hpp"

namespace wasmhop::testing {
namespace {

using HostileModule = EngineTest;
using wasm::Bytes;

// The engine is still fine: a real script loads and answers.
void expect_engine_alive(EngineTest& t, Engine& engine) {
  auto m = engine.load(guest_path("hostile"));
  ASSERT_TRUE(m) << m.error().describe();
  auto i = (*m)->instantiate();
  ASSERT_TRUE(i) << i.error().describe();
  EXPECT_EQ(*(*i)->call_by_name<std::int32_t>("ping", 1), 2);
  static_cast<void>(t);
}

TEST_P(HostileModule, RandomBytes) {
  std::mt19937_64 rng(20240607);
  std::map<std::string, int> outcomes;
  for (int n = 0; n < 200; ++n) {
    Bytes bytes;
    if (n % 2 == 0) bytes = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};  // a valid header half the time
    const std::size_t len = rng() % (n < 100 ? 64 : 4096);
    for (std::size_t i = 0; i < len; ++i) bytes.push_back(static_cast<std::uint8_t>(rng()));
    auto m = load_bytes(bytes);
    if (m) {
      ++outcomes["loaded"];
      continue;
    }
    ++outcomes[std::string(to_string(m.error().kind))];
    EXPECT_EQ(m.error().kind, ErrorKind::malformed_module) << m.error().describe();
    EXPECT_NE(m.error().message.find("bad"), std::string::npos) << m.error().message;  // names the module
  }
  std::string summary;
  for (const auto& [k, v] : outcomes) summary += fmt::format(" {} {}", k, v);
  std::printf("[   INFO   ] %s: 200 random blobs:%s\n", GetParam().c_str(), summary.c_str());
  expect_engine_alive(*this, engine());
}

// Every prefix of a real module (and the module with its last byte flipped): malformed, or — where a
// prefix happens to end on a section boundary — a smaller valid module.
TEST_P(HostileModule, EveryTruncation) {
  if (!caps().loads_wasm) GTEST_SKIP() << "the native engine loads shared objects (dlopen), not wasm bytes";
  auto good = read_file(guest_path("hostile_init_trap"));
  ASSERT_TRUE(good);
  int malformed = 0, loaded = 0;
  for (std::size_t cut = 0; cut < good->size(); ++cut) {
    Bytes prefix(good->begin(), good->begin() + static_cast<std::ptrdiff_t>(cut));
    auto m = load_bytes(prefix);
    if (m) {
      ++loaded;
      continue;
    }
    ++malformed;
    EXPECT_EQ(m.error().kind, ErrorKind::malformed_module) << cut << ": " << m.error().describe();
  }
  EXPECT_GT(malformed, static_cast<int>(good->size()) / 2);
  std::printf("[   INFO   ] %s: %zu prefixes: %d malformed, %d valid (section boundaries)\n", GetParam().c_str(),
              good->size(), malformed, loaded);
  expect_engine_alive(*this, engine());
}

// Found by fuzz_module_wasm2c: in a C++ guest, the stack pointer global's initializer `i32.const`
// turned into `nop` made wabt 1.0.32's IR reader (wasm2c's front end; Debian's wasm-validate too)
// fail an assertion, aborting the host. Every engine must reject the module instead.
TEST_P(HostileModule, NopInAGlobalInitializer) {
  if (!caps().loads_wasm) GTEST_SKIP() << "the native engine loads shared objects, not wasm bytes";
  auto bytes = read_file(guest_path("conformance"));
  ASSERT_TRUE(bytes);
  Bytes& b = *bytes;
  auto leb = [&](std::size_t& i) {
    std::uint64_t v = 0;
    for (unsigned shift = 0; i < b.size(); shift += 7) {
      const std::uint8_t byte = b[i++];
      v |= std::uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) break;
    }
    return v;
  };
  bool mutated = false;
  for (std::size_t i = 8; i < b.size() && !mutated;) {
    const std::uint8_t id = b[i++];
    const std::size_t size = leb(i);
    if (id == 6) {  // global section: count, then (type, mutability, init expr)
      std::size_t k = i;
      ASSERT_GE(leb(k), 1u);
      ASSERT_EQ(b.at(k + 2), 0x41) << "the first global's initializer is not i32.const";
      b[k + 2] = 0x01;  // nop
      mutated = true;
    }
    i += size;
  }
  ASSERT_TRUE(mutated) << "no global section in conformance.wasm";
  auto m = load_bytes(b);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::malformed_module) << m.error().describe();
  expect_engine_alive(*this, engine());
}

struct LimitCase {
  const char* what;
  Bytes bytes;
};

// Valid (or almost valid) modules at and past the engines' own limits. Each outcome is printed.
TEST_P(HostileModule, BeyondTheEnginesLimits) {
  if (!caps().loads_wasm) GTEST_SKIP() << "the native engine loads shared objects, not wasm bytes";
  const Bytes seven = {0x41, 0x07};
  std::vector<LimitCase> cases;
  cases.push_back({"memory of 65537 pages (invalid: over 4 GiB)", wasm::returns_seven(wasm::memory(65537), seven)});
  cases.push_back({"memory maximum below its minimum", wasm::returns_seven(wasm::memory(10, 5), seven)});
  cases.push_back({"table of 10,000,001 entries (V8's limit is 10M)", wasm::returns_seven(wasm::table(10'000'001), seven)});
  cases.push_back({"60,000 locals in one function (V8's limit is 50,000)", wasm::returns_seven({}, seven, 60'000)});
  cases.push_back({"5,000 nested blocks", wasm::returns_seven({}, wasm::nested_blocks(5'000))});
  cases.push_back({"a 1 MiB export name", [] {
                     Bytes m = wasm::module({wasm::type_void_to_i32(), wasm::functions(1)});
                     wasm::append(m, wasm::export_func0(std::string(1 << 20, 'x')));
                     wasm::append(m, wasm::code({0x41, 0x07}));
                     return m;
                   }()});
  cases.push_back({"a section size past the end", [] {
                     Bytes m = wasm::returns_seven({}, {0x41, 0x07});
                     m[9] = 0xFF;  // the type section's size (one LEB byte) now claims 127 bytes... and more
                     m.insert(m.begin() + 10, {0xFF, 0xFF, 0xFF, 0x0F});
                     return m;
                   }()});
  for (const LimitCase& c : cases) {
    auto m = load_bytes(c.bytes);
    std::string outcome;
    if (!m) {
      outcome = m.error().describe();
      EXPECT_TRUE(m.error().kind == ErrorKind::malformed_module || m.error().kind == ErrorKind::resource_limit)
          << c.what << ": " << outcome;
      EXPECT_NE(m.error().message.find("bad"), std::string::npos) << c.what << ": " << outcome;
    } else {
      auto i = (*m)->instantiate();
      if (!i) {
        outcome = "instantiate: " + i.error().describe();
        EXPECT_TRUE(i.error().kind == ErrorKind::instantiation_failed || i.error().kind == ErrorKind::resource_limit)
            << c.what << ": " << outcome;
      } else {
        // The module's one function export, whatever its name.
        std::string fname;
        for (const auto& e : (*m)->exports()) {
          if (e.kind == ExportKind::function) fname = e.name;
        }
        auto r = (*i)->call_by_name<std::int32_t>(fname);
        outcome = r ? fmt::format("runs, returns {}", *r) : "call: " + r.error().describe();
        EXPECT_TRUE(r) << c.what << ": " << outcome;
        if (r) {
          EXPECT_EQ(*r, 7) << c.what;
        }
      }
    }
    if (outcome.size() > 160) outcome = outcome.substr(0, 160) + "...";
    std::printf("[   INFO   ] %s: %s -> %s\n", GetParam().c_str(), c.what, outcome.c_str());
  }
  expect_engine_alive(*this, engine());
}

// A module whose initial memory is the whole 4 GiB: under a memory limit it is refused before it is
// compiled (resource_limit naming the module) on every wasm engine.
TEST_P(HostileModule, FourGibibytesOfInitialMemory) {
  if (!caps().loads_wasm) GTEST_SKIP() << "the native engine's arena starts at two pages";
  // () -> i32 returning 7, and the memory exported as "memory".
  Bytes bytes = wasm::module({wasm::type_void_to_i32(), wasm::functions(1), wasm::memory(65536)});
  {
    Bytes exports{0x02};
    wasm::name(exports, "f");
    exports.insert(exports.end(), {0x00, 0x00});
    wasm::name(exports, "memory");
    exports.insert(exports.end(), {0x02, 0x00});
    wasm::append(bytes, wasm::section(7, exports));
    wasm::append(bytes, wasm::code({0x41, 0x07}));
  }
  engine().set_memory_limit(256ull << 20);
  auto limited = load_bytes(bytes);
  engine().set_memory_limit(0);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().kind, ErrorKind::resource_limit) << limited.error().describe();
  EXPECT_NE(limited.error().message.find("65536 pages"), std::string::npos) << limited.error().message;
  if (GetParam() != "wabt-interp") {  // wabt-interp would zero-fill 4 GiB of host memory: the limit is the answer
    auto m = load_bytes(bytes);
    ASSERT_TRUE(m) << m.error().describe();
    auto i = (*m)->instantiate();
    std::printf("[   INFO   ] %s: 4 GiB initial memory without a limit -> %s\n", GetParam().c_str(),
                i ? fmt::format("instantiated, {} bytes", (*i)->memory().size()).c_str() : i.error().describe().c_str());
    if (i) {
      EXPECT_EQ((*i)->memory().size(), 4ull << 30);
      EXPECT_EQ(*(*i)->call_by_name<std::int32_t>("f"), 7);
      auto mem = (*i)->memory();
      EXPECT_TRUE(mem.write<std::uint32_t>((4ull << 30) - 4, 1));  // the last word, from the host
      EXPECT_FALSE(mem.write<std::uint32_t>((4ull << 30) - 3, 1));
    } else {
      EXPECT_TRUE(i.error().kind == ErrorKind::instantiation_failed || i.error().kind == ErrorKind::resource_limit)
          << i.error().describe();
    }
  }
  expect_engine_alive(*this, engine());
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(HostileModule);

}  // namespace
}  // namespace wasmhop::testing
