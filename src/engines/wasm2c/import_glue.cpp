#include "engines/wasm2c/import_glue.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engines/wasm2c/c_types.hpp"

namespace wasmhop::wasm2c {
namespace {

// The C return type of a function with these results (wasm2c's own spelling).
std::string return_type(const std::string& results) {
  if (results.empty()) return "void";
  if (results.size() == 1) return c_type(results[0]);
  std::string multi = "struct wasm_multi_";
  for (const char c : results) multi += multi_code(c);
  return multi;
}

// The statements after the host call: the results from the slots.
std::string return_statement(const std::string& results) {
  if (results.empty()) return "";
  if (results.size() == 1) return fmt::format("  return ({})io[0].{};\n", c_type(results[0]), slot_field(results[0]));
  std::string s = fmt::format("  {} r;\n", return_type(results));
  for (std::size_t i = 0; i < results.size(); ++i) {
    s += fmt::format("  r.{}{} = ({})io[{}].{};\n", multi_code(results[i]), i, c_type(results[i]), i,
                     slot_field(results[i]));
  }
  return s + "  return r;\n";
}

std::string one_import(std::size_t k, const GlueImport& imp) {
  std::string params = fmt::format("struct Z_{}_instance_t* h", kImportModule);
  std::string stores;
  for (std::size_t p = 0; p < imp.params.size(); ++p) {
    params += fmt::format(", {} a{}", c_type(imp.params[p]), p);
    stores += fmt::format("  io[{0}].{1} = ({2})a{0};\n", p, slot_field(imp.params[p]), slot_type(imp.params[p]));
  }
  const std::size_t slots = std::max<std::size_t>({1, imp.params.size(), imp.results.size()});
  return fmt::format(
      "{0} Z_{1}Z_i{2}({3}) {{\n"
      "  const wasmhop_w2c_imports* im = (const wasmhop_w2c_imports*)(const void*)h;\n"
      "  wasmhop_w2c_val io[{4}];\n"
      "{5}"
      "  if (__builtin_expect(im->funcs[{2}].call(im->funcs[{2}].ctx, im->caller, io) != 0, 0))\n"
      "    wasmhop_w2c_shim_host_function_failed();\n"
      "{6}}}\n",
      return_type(imp.results), kImportModule, k, params, slots, stores, return_statement(imp.results));
}

}  // namespace

std::string import_glue(const std::vector<GlueImport>& imports) {
  std::string g;
  for (std::size_t k = 0; k < imports.size(); ++k) g += one_import(k, imports[k]);
  return g;
}

}  // namespace wasmhop::wasm2c
