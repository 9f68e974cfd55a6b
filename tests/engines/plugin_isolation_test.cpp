// Engines whose libraries export the same symbols (the wasm-c-api names of Wasmtime, Wasmer,
// WAMR and wasmi; V8's in libnode) live in one process: each plugin binds only to itself.
// Every available engine that can share a process is used here side by side, calls interleaved,
// traps included; and each plugin exports nothing but its entry point.
#include <elf.h>

#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engines/plugin/plugin_loader.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop {
namespace {

const std::filesystem::path kConformance = std::filesystem::path(WASMHOP_GUEST_DIR) / "conformance.wasm";

struct Loaded {
  std::string id;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Instance> inst;
  TypedFunc<std::int32_t(std::int32_t, std::int32_t)> add, div;
};

TEST(PluginIsolation, EveryEngineInOneProcess) {
  std::vector<Loaded> all;
  bool v8_taken = false;  // one V8 tier per process
  for (const auto& entry : engine_registry()) {
    if (entry.id.starts_with("v8")) {
      if (v8_taken) continue;
      v8_taken = true;
    }
    auto engine = entry.create();
    if (!engine) continue;  // not built here (registry_test checks that it says why)
    if (!(*engine)->info().caps.loads_wasm) continue;
    auto module = (*engine)->load(kConformance);
    ASSERT_TRUE(module) << entry.id << ": " << module.error().describe();
    auto inst = (*module)->instantiate();
    ASSERT_TRUE(inst) << entry.id << ": " << inst.error().describe();
    Loaded l{entry.id, std::move(*engine), std::move(*inst), {}, {}};
    auto add = l.inst->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
    auto div = l.inst->typed<std::int32_t(std::int32_t, std::int32_t)>("div_s");
    ASSERT_TRUE(add && div) << entry.id;
    l.add = *add;
    l.div = *div;
    all.push_back(std::move(l));
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& l : all) {
      auto sum = l.add(40 + round, 2);
      ASSERT_TRUE(sum) << l.id << ": " << sum.error().describe();
      EXPECT_EQ(*sum, 42 + round) << l.id;
      auto trapped = l.div(1, 0);
      ASSERT_FALSE(trapped) << l.id;
      EXPECT_EQ(trapped.error().trap, TrapKind::integer_divide_by_zero) << l.id;
      l.inst->recover_after_trap();
    }
  }
  RecordProperty("engines", static_cast<int>(all.size()));
}

// The dynamic symbols a shared object defines (its .dynsym, read directly: no tools needed).
std::set<std::string> defined_dynamic_symbols(const std::filesystem::path& so) {
  std::ifstream in(so, std::ios::binary);
  std::vector<char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::string> out;
  if (b.size() < sizeof(Elf64_Ehdr)) return out;
  Elf64_Ehdr eh;
  std::memcpy(&eh, b.data(), sizeof eh);
  auto shdr = [&](std::size_t i) {
    Elf64_Shdr s;
    std::memcpy(&s, b.data() + eh.e_shoff + i * eh.e_shentsize, sizeof s);
    return s;
  };
  for (std::size_t i = 0; i < eh.e_shnum; ++i) {
    const Elf64_Shdr sym = shdr(i);
    if (sym.sh_type != SHT_DYNSYM) continue;
    const Elf64_Shdr str = shdr(sym.sh_link);
    for (std::size_t off = sym.sh_offset; off + sizeof(Elf64_Sym) <= sym.sh_offset + sym.sh_size;
         off += sizeof(Elf64_Sym)) {
      Elf64_Sym s;
      std::memcpy(&s, b.data() + off, sizeof s);
      if (s.st_shndx == SHN_UNDEF || s.st_name == 0) continue;
      if (ELF64_ST_BIND(s.st_info) == STB_LOCAL) continue;
      out.insert(std::string(b.data() + str.sh_offset + s.st_name));
    }
  }
  return out;
}

TEST(PluginIsolation, PluginsExportOnlyTheirEntryPoint) {
  int checked = 0;
  for (const auto& dir : plugin::search_dirs()) {
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
      const std::string name = f.path().filename().string();
      if (f.path().extension() != ".so") continue;
      if (name == "wasmhop-v8.so") {  // the lazily loaded v8 engine: its entries and its runtime only
        for (const std::string& s : defined_dynamic_symbols(f.path()))
          EXPECT_TRUE(s.starts_with("wasmhop_v8_") || s.starts_with("_ZN7wasmhop8v8engine") ||
                      s.starts_with("_ZNK7wasmhop8v8engine"))
              << f.path() << " exports " << s;
        ++checked;
        continue;
      }
      // The raw baseline's entry, when bench/engines/ compiled one into the plugin, is the only other.
      auto exported = defined_dynamic_symbols(f.path());
      exported.erase("wasmhop_raw_pair_v1");
      EXPECT_EQ(exported, std::set<std::string>{"wasmhop_engine_plugin_v1"}) << f.path();
      ++checked;
    }
    if (checked > 0) break;  // the first directory that has plugins is the one in use
  }
  RecordProperty("plugins", checked);
}

}  // namespace
}  // namespace wasmhop
