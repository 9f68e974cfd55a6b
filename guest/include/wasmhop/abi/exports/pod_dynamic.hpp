// POD, dynamic, guest side: the host copied the message's bytes into a fresh alloc() buffer;
// <prefix>_pod_dynamic(ptr, len) reads them (a record must be exactly its size), hands the message
// on and frees the buffer. The host side is src/abi/pod_dynamic.hpp.
#pragma once

#include "wasmhop/abi/exports/receive.hpp"

#define WASMHOP_ABI_pod_dynamic_record(prefix, Wire, handle)                                      \
  WASMHOP_EXPORT(std::int32_t, prefix##_pod_dynamic, (std::int32_t ptr, std::int32_t len)) {      \
    return ::wasmhop::abi::receive::then_free(                                                    \
        ptr, ::wasmhop::abi::receive::pod_at<Wire::Message>(ptr, len),                            \
        [](const Wire::Message& m) { return handle(m); });                                        \
  }
#define WASMHOP_ABI_pod_dynamic_bytes WASMHOP_ABI_pod_dynamic_record
