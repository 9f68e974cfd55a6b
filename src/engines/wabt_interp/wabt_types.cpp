// wabt-interp: conversions from wabt's types, traps and errors (declared in wabt_types.hpp).
#include "engines/wabt_interp/wabt_types.hpp"

#include <fmt/format.h>

namespace wasmhop::wabt_interp {

namespace wi = ::wabt::interp;

wabt::Features engine_features() {
  return wabt::Features{};  // wabt 1.0.32's defaults: MVP + the finished post-MVP proposals
}

bool to_valtype(wabt::Type t, ValType& out) {
  switch (static_cast<wabt::Type::Enum>(t)) {
    case wabt::Type::I32: out = ValType::i32; return true;
    case wabt::Type::I64: out = ValType::i64; return true;
    case wabt::Type::F32: out = ValType::f32; return true;
    case wabt::Type::F64: out = ValType::f64; return true;
    default: return false;
  }
}

bool to_functype(const wi::FuncType& ft, FuncType& out) {
  FuncType t;
  ValType v{};
  for (const auto& p : ft.params) {
    if (!to_valtype(p, v)) return false;
    t.params.push_back(v);
  }
  for (const auto& r : ft.results) {
    if (!to_valtype(r, v)) return false;
    t.results.push_back(v);
  }
  out = std::move(t);
  return true;
}

TrapKind classify_trap(std::string_view msg) {
  struct Prefix {
    std::string_view text;
    TrapKind kind;
  };
  static constexpr Prefix kPrefixes[] = {
      {"unreachable executed", TrapKind::unreachable},
      {"integer divide by zero", TrapKind::integer_divide_by_zero},
      {"integer overflow", TrapKind::integer_overflow},  // also float->int out of range
      {"invalid conversion to integer", TrapKind::invalid_conversion},
      {"out of bounds memory access", TrapKind::out_of_bounds_memory},
      {"out of bounds table access", TrapKind::out_of_bounds_table},
      {"undefined table index", TrapKind::out_of_bounds_table},
      {"uninitialized table element", TrapKind::indirect_call_mismatch},  // call_indirect to null
      {"indirect call signature mismatch", TrapKind::indirect_call_mismatch},
      {"call stack exhausted", TrapKind::call_stack_exhausted},
  };
  for (const auto& p : kPrefixes) {
    if (msg.starts_with(p.text)) return p.kind;
  }
  return TrapKind::unknown;  // e.g. "uncaught exception", "invalid atomic access"
}

std::string format_errors(const wabt::Errors& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} at byte {}", e.message, e.loc.offset);
  }
  return out.empty() ? std::string("wabt could not read it") : out;
}

}  // namespace wasmhop::wabt_interp
