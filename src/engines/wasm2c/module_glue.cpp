#include "engines/wasm2c/module_glue.hpp"

#include <fmt/format.h>

#include "engines/wasm2c/c_types.hpp"
#include "engines/wasm2c/translate.hpp"

namespace wasmhop::wasm2c {
namespace {

// At most this many parameters (and one result) get a direct entry: the host's kDirectMaxParams.
constexpr std::size_t kDirectMaxParams = 4;

// A C string literal for arbitrary bytes (octal escapes: never ambiguous, never a trigraph).
std::string c_literal(std::string_view bytes) {
  std::string out = "\"";
  for (const char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' ||
        b == '.' || b == '-' || b == ' ') {
      out += ch;
    } else {
      out += fmt::format("\\{:03o}", b);
    }
  }
  return out + "\"";
}

// The direct entry of export i (x86-64; Func::direct with scoped_direct, w2c_abi.h): a body that
// calls wasm2c's export with the arguments in registers, its per-call guard, and the entry that
// picks one of the two by the host's innermost trap frame.
std::string direct_entry(std::size_t i, const std::string& symbol, const std::string& params,
                         const std::string& results) {
  std::string decl = "void* instance";
  std::string pass = "instance";
  std::string args = fmt::format("(Z_{}_instance_t*)instance", kCModuleName);
  for (std::size_t p = 0; p < params.size(); ++p) {
    decl += fmt::format(", uint64_t a{}", p);
    pass += fmt::format(", a{}", p);
    args += fmt::format(", wasmhop_w2c_arg_{}(a{})", slot_field(params[p]), p);
  }
  std::string g = "#if defined(__x86_64__)\n";
  g += fmt::format("__attribute__((used)) static wasmhop_w2c_direct_result wasmhop_body_{}({}) {{\n", i, decl);
  if (kCountCallDepth) g += "  WASMHOP_W2C_HEADER(instance)->call_depth = 0; /* an entry from the host */\n";
  g += "  wasmhop_w2c_direct_result r = {0, 0};\n";
  if (results.empty()) {
    g += fmt::format("  {}({});\n", symbol, args);
  } else {
    g += fmt::format("  r.value = wasmhop_w2c_bits_{}({}({}));\n", slot_field(results[0]), symbol, args);
  }
  g += "  return r;\n}\n";
  g += fmt::format("__attribute__((visibility(\"hidden\"))) wasmhop_w2c_direct_result wasmhop_guarded_{}({});\n", i, decl);
  g += fmt::format("WASMHOP_GUARDED_DIRECT(wasmhop_guarded_{0}, wasmhop_body_{0})\n", i);
  // A sibling call into the guard, although the object is built without them (compiler.hpp).
  g += fmt::format("__attribute__((optimize(\"optimize-sibling-calls\"))) static wasmhop_w2c_direct_result "
                   "wasmhop_direct_{}({}) {{\n", i, decl);
  g += fmt::format("  if (__builtin_expect(wasmhop_w2c_in_scope(), 1)) return wasmhop_body_{}({});\n", i, pass);
  g += fmt::format("  return wasmhop_guarded_{}({});\n}}\n#endif\n", i, pass);
  return g;
}

// The packed wrapper of export i (Func::call's convention: arguments and results in an io array)
// and its guarded entry: unpack io, call wasm2c's export, store its results.
std::string packed_entry(std::size_t i, const std::string& symbol, const GlueExport& e) {
  std::string args = fmt::format("(Z_{}_instance_t*)instance", kCModuleName);
  for (std::size_t p = 0; p < e.params.size(); ++p) {
    args += fmt::format(", ({})io[{}].{}", c_type(e.params[p]), p, slot_field(e.params[p]));
  }
  std::string body;
  if (e.results.empty()) {
    body = fmt::format("{}({});", symbol, args);
  } else if (e.results.size() == 1) {
    body = fmt::format("io[0].{} = ({}){}({});", slot_field(e.results[0]), slot_type(e.results[0]), symbol, args);
  } else {
    std::string multi = "wasm_multi_";
    for (const char c : e.results) multi += multi_code(c);
    body = fmt::format("struct {} r = {}({});", multi, symbol, args);
    for (std::size_t r = 0; r < e.results.size(); ++r) {
      body += fmt::format(" io[{}].{} = ({})r.{}{};", r, slot_field(e.results[r]), slot_type(e.results[r]),
                          multi_code(e.results[r]), r);
    }
  }
  std::string g = fmt::format("__attribute__((used)) static void wasmhop_packed_{}(void* instance, void* io_) {{\n", i);
  g += "  wasmhop_w2c_val* io = (wasmhop_w2c_val*)io_;\n";
  if (kCountCallDepth) g += "  WASMHOP_W2C_HEADER(instance)->call_depth = 0; /* an entry from the host */\n";
  g += fmt::format("  {}\n}}\n", body);
  g += fmt::format("#if defined(__x86_64__)\nWASMHOP_GUARDED_ENTRY(wasmhop_call_{0}, wasmhop_packed_{0})\n#endif\n", i);
  return g;
}

// The shim (the object's own runtime), and the entries that exist on x86-64 only.
constexpr const char* kGluePreamble =
    "\n/* ---- wasmhop: runtime shim and glue (generated) ---- */\n"
    "#include \"wasmhop_w2c_shim.c\"\n\n"
    "#if defined(__x86_64__)\n#define WASMHOP_GUARDED(f) f\n#define WASMHOP_DIRECT(f) (wasmhop_w2c_direct_fn)f\n"
    "#else\n#define WASMHOP_GUARDED(f) NULL\n#define WASMHOP_DIRECT(f) NULL\n#endif\n\n";

// The entries of every callable export, then the export table (one row per export, in order).
std::string export_glue(const std::vector<GlueExport>& exports) {
  std::string g;
  std::string table;
  for (std::size_t i = 0; i < exports.size(); ++i) {
    const GlueExport& e = exports[i];
    const std::string symbol = fmt::format("Z_{}Z_x{}", kCModuleName, i);
    std::string packed = "NULL";
    std::string guarded = "NULL";
    std::string direct = "NULL";
    if (e.kind == 'f' && e.callable) {
      packed = fmt::format("wasmhop_packed_{}", i);
      guarded = fmt::format("WASMHOP_GUARDED(wasmhop_call_{})", i);
      g += packed_entry(i, symbol, e);
      if (e.params.size() <= kDirectMaxParams && e.results.size() <= 1) {
        direct = fmt::format("WASMHOP_DIRECT(wasmhop_direct_{})", i);
        g += direct_entry(i, symbol, e.params, e.results);
      }
    }
    table += fmt::format("  {{{}, {}u, '{}', {}, {}, {}, \"{}\", {}, {}}},\n", c_literal(e.name), e.name.size(),
                         e.kind, c_literal(e.params), c_literal(e.results), packed, symbol, guarded, direct);
  }
  if (!exports.empty()) {
    g += fmt::format("\nstatic const wasmhop_w2c_export wasmhop_exports[{}] = {{\n{}}};\n",
                     exports.size(), table);
  }
  return g;
}

// The first exported memory's index (the host reads guest memory through it); -1: none.
int first_memory_export(const std::vector<GlueExport>& exports) {
  for (std::size_t i = 0; i < exports.size(); ++i) {
    if (exports[i].kind == 'm') return static_cast<int>(i);
  }
  return -1;
}

// wasm2c's instantiate and free as the description calls them, and the exported memory.
std::string instance_glue(bool has_imports, int memory_export) {
  // With imports, Z_m_instantiate takes the imported module's instance: the header's imports.
  const std::string import_arg =
      !has_imports ? std::string()
                   : fmt::format(", (struct Z_{}_instance_t*)(void*)WASMHOP_W2C_HEADER(instance)->imports",
                                 kImportModule);
  std::string g = fmt::format(
      "\nstatic void wasmhop_instantiate(void* instance) {{ Z_{0}_instantiate((Z_{0}_instance_t*)instance{1}); }}\n"
      "static void wasmhop_free_instance(void* instance) {{ Z_{0}_free((Z_{0}_instance_t*)instance); }}\n",
      kCModuleName, import_arg);
  if (memory_export >= 0) {
    g += fmt::format(
        "static void* wasmhop_exported_memory(void* instance) {{ return Z_{0}Z_x{1}((Z_{0}_instance_t*)instance); }}\n",
        kCModuleName, memory_export);
  } else {
    g += "static void* wasmhop_exported_memory(void* instance) { (void)instance; return NULL; }\n";
  }
  return g;
}

// The module's description (w2c_abi.h) and the attach entry that hands it to the host.
std::string descriptor_glue(std::string_view key, std::size_t export_count, std::size_t import_count) {
  return fmt::format(
      "\nstatic const wasmhop_w2c_module_desc wasmhop_desc = {{\n"
      "  WASMHOP_W2C_ABI_VERSION, {}, sizeof(wasmhop_w2c_instance_header) + sizeof(Z_{}_instance_t),\n"
      "  sizeof(wasmhop_w2c_instance_header), {}u, {}u, {}, {}u,\n"
      "  wasmhop_instantiate, wasmhop_free_instance, wasmhop_exported_memory}};\n\n"
      "__attribute__((visibility(\"default\"))) const wasmhop_w2c_module_desc* wasmhop_w2c_attach(\n"
      "    const wasmhop_w2c_host* host) {{\n"
      "  return wasmhop_w2c_shim_attach(host, &wasmhop_desc, Z_{}_init_module);\n"
      "}}\n",
      c_literal(key), kCModuleName, kCountCallDepth ? kMaxCallDepth : 0u, export_count,
      export_count == 0 ? "NULL" : "wasmhop_exports", import_count, kCModuleName);
}

}  // namespace

std::string module_glue(const std::vector<GlueExport>& exports, const std::vector<GlueImport>& imports,
                        std::string_view key) {
  std::string g = kGluePreamble;
  g += export_glue(exports);
  g += import_glue(imports);
  g += instance_glue(!imports.empty(), first_memory_export(exports));
  g += descriptor_glue(key, exports.size(), imports.size());
  return g;
}

}  // namespace wasmhop::wasm2c
