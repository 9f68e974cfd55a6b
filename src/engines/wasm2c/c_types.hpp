// The C spelling of wasm value types in wasm2c's output and in wasmhop's glue, by the type codes
// of the object's tables (i=i32 I=i64 f=f32 F=f64).
#pragma once

namespace wasmhop::wasm2c {

// The type wasm2c uses for a value (parameters, single results).
[[nodiscard]] inline const char* c_type(char c) noexcept {
  switch (c) {
    case 'i': return "u32";
    case 'I': return "u64";
    case 'f': return "f32";
    default: return "f64";
  }
}

// The letter of a value in wasm2c's multi-value result structs (struct wasm_multi_ji { u64 j0; u32 i1; }).
[[nodiscard]] inline char multi_code(char c) noexcept {
  switch (c) {
    case 'i': return 'i';
    case 'I': return 'j';
    case 'f': return 'f';
    default: return 'd';
  }
}

// The member of a wasmhop_w2c_val slot, and its type.
[[nodiscard]] inline const char* slot_field(char c) noexcept {
  switch (c) {
    case 'i': return "i32";
    case 'I': return "i64";
    case 'f': return "f32";
    default: return "f64";
  }
}
[[nodiscard]] inline const char* slot_type(char c) noexcept {
  switch (c) {
    case 'i': return "int32_t";
    case 'I': return "int64_t";
    case 'f': return "float";
    default: return "double";
  }
}

}  // namespace wasmhop::wasm2c
