// Wasm scalar values as text: the ARGS a user types, the results bench prints and compares.
#pragma once

#include <cstdint>
#include <string>

#include "wasmhop/result.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop::cli::bench {

// Parses `text` as a value of `type`: integers in decimal or 0x hex (a leading '-' allowed; i32
// takes -2^31 .. 2^32-1, i64 -2^63 .. 2^64-1, so unsigned spellings work too); floats as strtod
// reads them ("1.5", "-0", "1e10", "nan", "inf", "-inf", hex floats). `index` (0-based) names the
// argument in the error (invalid_argument).
[[nodiscard]] Result<RawVal> parse_value(const std::string& text, ValType type, std::size_t index);

// The value's bits as stored in a RawVal slot, only the type's width (i32/f32: the low 32 bits).
[[nodiscard]] std::uint64_t value_bits(RawVal v, ValType type) noexcept;

// The bits mask of a type's width.
[[nodiscard]] std::uint64_t width_mask(ValType type) noexcept;

// Bitwise equality, except that every NaN equals every NaN (engines may differ in NaN payloads,
// which wasm leaves nondeterministic).
[[nodiscard]] bool same_value(std::uint64_t a, std::uint64_t b, ValType type) noexcept;

// Text of a value given by its bits: integers signed decimal, floats shortest round-trip text.
[[nodiscard]] std::string format_bits(std::uint64_t bits, ValType type);

}  // namespace wasmhop::cli::bench
