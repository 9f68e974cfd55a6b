// A wire: what one kind of script call carries through the data-passing ABIs, written once for the
// host (src/abi/) and the guest (wasmhop/abi/exports.hpp). Every ABI moves a wire's message its own
// way; the guest hands it to one C++ function and the host gets that function's i32 back.
//
//   struct MulWire {
//     using Message = PairPod;                          // a record (WASMHOP_FIELDS) or wasmhop::abi::Bytes
//     static constexpr std::string_view prefix = "mul";  // its exports: mul_pair, mul_bincode, ...
//     static constexpr std::uint32_t static_capacity = 4096;  // the static buffer (static_buffer())
//     static constexpr std::uint32_t max_bytes = 8;      // the largest message, in bytes
//     static constexpr std::uint32_t max_batch = 1024;   // records per call of the batch ABI
//     static constexpr bool batch_results = true;        // batch: one i32 per record written after
//   };                                                   //   the records (else: the call returns their sum)
//
// A record's fields are POD (its bytes are its POD encoding: pin its layout with WASMHOP_POD_LAYOUT).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "wasmhop/abi/fields.hpp"

namespace wasmhop::abi {

// A variable-length message: the bytes themselves (a guest reads them in place, without a copy).
using Bytes = std::span<const std::uint8_t>;

template <class Wire>
concept RecordWire = Record<typename Wire::Message> && std::is_trivially_copyable_v<typename Wire::Message>;

template <class Wire>
concept BytesWire = std::is_same_v<typename Wire::Message, Bytes>;

// The wasm value type a record field crosses a call as: i32 or i64 (two's complement bits), f32, f64.
template <class T>
using wasm_scalar_t = std::conditional_t<
    std::is_floating_point_v<T>, T,
    std::conditional_t<sizeof(T) <= 4, std::int32_t, std::int64_t>>;

// The i-th field of a wire's record as a call argument.
template <class Wire, std::size_t I>
using arg_t = wasm_scalar_t<field_t<typename Wire::Message, I>>;

// Records that are two scalars, as the Pair ABI passes them.
template <class Wire>
concept PairWire = RecordWire<Wire> && field_count_v<typename Wire::Message> == 2 &&
                   std::is_arithmetic_v<field_t<typename Wire::Message, 0>> &&
                   std::is_arithmetic_v<field_t<typename Wire::Message, 1>>;

}  // namespace wasmhop::abi
