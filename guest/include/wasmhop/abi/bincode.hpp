// Bincode 1.x (the Rust crate's legacy configuration, as used by `bincode::serialize`), for the
// host and for guests: the same header builds with g++ on the host and with clang for wasm32
// (no exceptions, no RTTI, no iostream, no allocation unless you decode into a container).
//
// Wire format (little-endian, fixed-width, no padding, not self-describing):
//   bool                1 byte, 0 or 1 (anything else is rejected on decode)
//   u8..u128, i8..i128  1/2/4/8/16 bytes, two's complement
//   f32, f64            IEEE 754 bits, 4/8 bytes
//   char (char32_t)     its UTF-8 encoding, 1..4 bytes, no prefix
//   String, Vec, slice  u64 element count, then the elements (a string's count is in bytes)
//   maps / sets         u64 entry count, then key, value, key, value ...
//   Option              u8 tag 0 (None) or 1 (Some) followed by the value
//   enum variant        u32 variant index (then the payload for std::variant alternatives)
//   struct, tuple, [T;N] the fields / elements one after the other, nothing else
//
// C++ mapping: bool, char32_t, fixed-width integers (plain `char` and std::byte are one byte),
// float/double, enums (as a u32 index), std::optional, std::variant (index + payload),
// std::monostate (unit), std::pair/std::tuple, std::array and T[N], std::string/std::string_view,
// std::span (as a slice), any sequence/map/set container, and structs that list their fields:
//
//   struct Pair {
//     std::int32_t a;
//     std::int32_t b;
//     WASMHOP_BINCODE_FIELDS(a, b)      // encode and decode both use this one list
//   };
//   std::uint8_t buf[wasmhop::bincode::size_of(Pair{})];          // 8, known at compile time
//   auto r = wasmhop::bincode::encode(buf, Pair{1, 2});            // r.error, r.size
//   Pair back; auto e = wasmhop::bincode::decode(buf, back);       // e == Error::none
//
// Decoding never reads outside the input and never trusts a length prefix: a count n of
// elements whose smallest encoding is m bytes is rejected unless n * max(m, 1) fits in the
// remaining input (so containers never grow beyond what the input can justify). Decoding into
// std::string_view or std::span<const std::uint8_t> borrows from the input (zero copy).
//
// `long`/`unsigned long`/`size_t` are 32-bit on wasm32 and 64-bit on the host; they are rejected
// on wasm32 at compile time so that host and guest can never disagree: use std::uint64_t.
//
// The codec's parts, in wasmhop/abi/bincode/: error.hpp (Error, codec<T>, variant_count_v),
// utf8.hpp, writers.hpp (Writer, BufferWriter, SizeCounter), reader.hpp (Reader), kinds.hpp (which
// kind of value a type is), sizes.hpp (min_size_v, fixed_size_v), encode.hpp (write, size_of,
// encode, encode_append) and decode.hpp (read, decode, decode_exact).
#pragma once

#include "wasmhop/abi/fields.hpp"

// Lists a struct's fields, in wire order, for encode, decode and size_of: the list every ABI
// reads (WASMHOP_FIELDS, wasmhop/abi/fields.hpp), under the name this codec documents.
#define WASMHOP_BINCODE_FIELDS(...) WASMHOP_FIELDS(__VA_ARGS__)

#include "wasmhop/abi/bincode/error.hpp"
#include "wasmhop/abi/bincode/utf8.hpp"
#include "wasmhop/abi/bincode/writers.hpp"
#include "wasmhop/abi/bincode/reader.hpp"
#include "wasmhop/abi/bincode/kinds.hpp"
#include "wasmhop/abi/bincode/sizes.hpp"
#include "wasmhop/abi/bincode/encode.hpp"
#include "wasmhop/abi/bincode/decode.hpp"
