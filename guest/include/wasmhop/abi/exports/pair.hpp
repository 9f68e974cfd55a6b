// Pair, guest side: the record's two fields are the call's arguments (<prefix>_pair(a, b)).
// Records only; the host side is src/abi/pair.hpp.
#pragma once

#include "wasmhop/abi/exports/receive.hpp"

namespace wasmhop::abi::receive {

template <class Wire>
[[nodiscard]] inline typename Wire::Message from_args(arg_t<Wire, 0> a, arg_t<Wire, 1> b) noexcept {
  using M = typename Wire::Message;
  static_assert(PairWire<Wire>, "the Pair ABI passes records of two scalars");
  return M{static_cast<field_t<M, 0>>(a), static_cast<field_t<M, 1>>(b)};
}

}  // namespace wasmhop::abi::receive

#define WASMHOP_ABI_pair_record(prefix, Wire, handle)                                                 \
  WASMHOP_EXPORT(std::int32_t, prefix##_pair, (::wasmhop::abi::arg_t<Wire, 0> a, ::wasmhop::abi::arg_t<Wire, 1> b)) { \
    return handle(::wasmhop::abi::receive::from_args<Wire>(a, b));                                    \
  }
#define WASMHOP_ABI_pair_bytes(prefix, Wire, handle)
