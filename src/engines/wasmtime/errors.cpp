#include "engines/wasmtime/errors.hpp"

#include <cstdarg>
#include <cstdio>
#include <string_view>
#include <vector>

namespace wasmhop::wasmtime_plugin {

namespace {

// Wasmtime's text for an error or trap (a Rust error chain: a head, a blank line, "Caused by:"
// and the causes, one per line, numbered when several), made one line.
struct ErrorText {
  std::vector<std::string> head;
  std::vector<std::string> causes;
};

ErrorText split_chain(std::string_view text) {
  ErrorText out;
  bool in_causes = false;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\0')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line == "Caused by:") {
      in_causes = true;
      continue;
    }
    if (in_causes) {
      // "0: cause" when there are several; a line without a number continues the cause above
      // (a value printed over several lines).
      std::size_t digits = 0;
      while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
      const bool numbered = digits > 0 && line.substr(digits, 2) == ": ";
      if (numbered) line.remove_prefix(digits + 2);
      if (numbered || out.causes.empty()) {
        out.causes.emplace_back(line);
      } else {
        out.causes.back().append(" ").append(line);
      }
    } else {
      out.head.emplace_back(line);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::string message_of(wasmtime_error_t* e) {
  wasm_byte_vec_t msg;
  wasmtime_error_message(e, &msg);
  const ErrorText t = split_chain(std::string_view(msg.data, msg.size));
  wasm_byte_vec_delete(&msg);
  std::string out = join(t.head, "; ");
  if (!t.causes.empty()) out += (out.empty() ? "" : ": ") + join(t.causes, ": ");
  return out;
}

std::string message_of(const wasm_trap_t* trap) {
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  const ErrorText t = split_chain(std::string_view(msg.data, msg.size));
  wasm_byte_vec_delete(&msg);
  std::string where = join(t.head, " ");
  static constexpr std::string_view kAt = "error while executing at ";
  if (std::string_view(where).starts_with(kAt)) where.erase(0, kAt.size());
  if (t.causes.empty()) return where;
  std::string out = join(t.causes, ": ");
  if (!where.empty()) out += "; " + where;
  return out;
}

std::uint8_t whp_trap_of(const wasm_trap_t* trap) {
  wasmtime_trap_code_t code = 0;
  if (!wasmtime_trap_code(trap, &code)) return WHP_TRAP_UNKNOWN;
  switch (code) {
    case WASMTIME_TRAP_CODE_STACK_OVERFLOW: return WHP_TRAP_CALL_STACK_EXHAUSTED;
    case WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS: return WHP_TRAP_OUT_OF_BOUNDS_MEMORY;
    case WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS: return WHP_TRAP_OUT_OF_BOUNDS_TABLE;
    // call_indirect through a null slot: the other engines call it an indirect-call failure too.
    case WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL: return WHP_TRAP_INDIRECT_CALL_MISMATCH;
    case WASMTIME_TRAP_CODE_BAD_SIGNATURE: return WHP_TRAP_INDIRECT_CALL_MISMATCH;
    case WASMTIME_TRAP_CODE_INTEGER_OVERFLOW: return WHP_TRAP_INTEGER_OVERFLOW;
    case WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO: return WHP_TRAP_INTEGER_DIVIDE_BY_ZERO;
    case WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER: return WHP_TRAP_INVALID_CONVERSION;
    case WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED: return WHP_TRAP_UNREACHABLE;
    case WASMTIME_TRAP_CODE_INTERRUPT: return WHP_TRAP_TIMEOUT;
    default: return WHP_TRAP_UNKNOWN;
  }
}

const char* trap_name(std::uint8_t t) {
  switch (t) {
    case WHP_TRAP_UNREACHABLE: return "unreachable";
    case WHP_TRAP_INTEGER_DIVIDE_BY_ZERO: return "integer_divide_by_zero";
    case WHP_TRAP_INTEGER_OVERFLOW: return "integer_overflow";
    case WHP_TRAP_INVALID_CONVERSION: return "invalid_conversion";
    case WHP_TRAP_OUT_OF_BOUNDS_MEMORY: return "out_of_bounds_memory";
    case WHP_TRAP_OUT_OF_BOUNDS_TABLE: return "out_of_bounds_table";
    case WHP_TRAP_INDIRECT_CALL_MISMATCH: return "indirect_call_mismatch";
    case WHP_TRAP_CALL_STACK_EXHAUSTED: return "call_stack_exhausted";
    case WHP_TRAP_TIMEOUT: return "timeout";
    default: return "unknown trap";
  }
}

std::string describe_limit(std::int64_t ns) {
  char buf[64];
  if (ns % 1'000'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ns / 1'000'000'000));
  } else if (ns % 1'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ns / 1'000'000));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g s", static_cast<double>(ns) / 1e9);
  }
  return buf;
}

}  // namespace wasmhop::wasmtime_plugin
