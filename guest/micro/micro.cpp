// The micro-benchmark script: one multiplication, reachable through every data-passing ABI.
// A malformed input traps (the host reports it), so a wrong ABI never passes silently.
#include <cstring>

#include <wasmhop/abi/flatbuffers.hpp>  // first: makes FlatBuffers assertions trap in wasm
#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/abi/buffers.hpp>
#include <wasmhop/guest.hpp>

#include "payload.hpp"

using wasmhop::guest::at;
using wasmhop::micro::PairPod;

WASMHOP_BUFFER_EXPORTS()
WASMHOP_STATIC_BUFFER_EXPORT(wasmhop::micro::kStaticCapacity)

namespace {
PairPod read_pair(std::int32_t ptr, std::int32_t len) {
  if (len != static_cast<std::int32_t>(sizeof(PairPod))) __builtin_trap();
  PairPod p;
  std::memcpy(&p, at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)), sizeof p);
  return p;
}
void release(std::int32_t ptr) { wasmhop::guest::buffer_free(at<std::uint8_t>(static_cast<std::uint32_t>(ptr))); }
}  // namespace

// Pair: the values are the call's arguments.
WASMHOP_EXPORT(std::int32_t, mul_pair, (std::int32_t a, std::int32_t b)) { return wasmhop::micro::mul(a, b); }

// Bincode: the host serialized a Pair into a buffer from alloc(); decode it (all of it) and free.
WASMHOP_EXPORT(std::int32_t, mul_bincode, (std::int32_t ptr, std::int32_t len)) {
  if (len < 0) __builtin_trap();
  wasmhop::micro::PairBincode p;
  const auto* bytes = at<const std::uint8_t>(static_cast<std::uint32_t>(ptr));
  if (wasmhop::bincode::decode_exact({bytes, static_cast<std::size_t>(len)}, p) != wasmhop::bincode::Error::none)
    __builtin_trap();
  release(ptr);
  return wasmhop::micro::mul(p.a, p.b);
}

// FlatBuffers: verify the untrusted buffer, read the Pair table, free.
WASMHOP_EXPORT(std::int32_t, mul_flatbuffers, (std::int32_t ptr, std::int32_t len)) {
  if (len < 0) __builtin_trap();
  const auto* pair = wasmhop::flatbuf::read_pair(at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)),
                                                 static_cast<std::size_t>(len));
  if (pair == nullptr) __builtin_trap();
  const std::int32_t r = wasmhop::micro::mul(pair->a(), pair->b());
  release(ptr);
  return r;
}

// POD, dynamic: the host copied the struct into a buffer from alloc(); read it and free it.
WASMHOP_EXPORT(std::int32_t, mul_pod_dynamic, (std::int32_t ptr, std::int32_t len)) {
  const PairPod p = read_pair(ptr, len);
  release(ptr);
  return wasmhop::micro::mul(p.a, p.b);
}

// POD, static: the host copied the struct into the static buffer, whose pointer it fetched once
// (static_buffer) and passes back with each call, as in the paper. Reading anywhere in its own
// memory cannot hurt the sandbox, so the only check is the length.
WASMHOP_EXPORT(std::int32_t, mul_pod_static, (std::int32_t ptr, std::int32_t len)) {
  if (len != static_cast<std::int32_t>(sizeof(PairPod))) __builtin_trap();
  PairPod p;
  std::memcpy(&p, at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)), sizeof p);
  return wasmhop::micro::mul(p.a, p.b);
}

// Batch: n records in the static buffer; one result per record written after them.
WASMHOP_EXPORT(std::int32_t, mul_batch, (std::int32_t n)) {
  if (n < 0 || static_cast<std::uint32_t>(n) > wasmhop::micro::kMaxBatch) __builtin_trap();
  std::uint8_t* buf = wasmhop::guest::static_buffer<wasmhop::micro::kStaticCapacity>();
  std::uint8_t* out = buf + static_cast<std::size_t>(n) * sizeof(PairPod);
  for (std::int32_t i = 0; i < n; ++i) {
    PairPod p;
    std::memcpy(&p, buf + static_cast<std::size_t>(i) * sizeof(PairPod), sizeof p);
    const std::int32_t r = wasmhop::micro::mul(p.a, p.b);
    std::memcpy(out + static_cast<std::size_t>(i) * sizeof(std::int32_t), &r, sizeof r);
  }
  return n;
}

// Variable-length payloads as raw bytes (POD of a byte array): checksum every byte.
WASMHOP_EXPORT(std::int32_t, checksum_pod_dynamic, (std::int32_t ptr, std::int32_t len)) {
  if (len < 0) __builtin_trap();
  const auto h = wasmhop::micro::checksum(at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)),
                                          static_cast<std::size_t>(len));
  release(ptr);
  return static_cast<std::int32_t>(h);
}
WASMHOP_EXPORT(std::int32_t, checksum_pod_static, (std::int32_t len)) {
  if (len < 0 || static_cast<std::uint32_t>(len) > wasmhop::micro::kMaxPayload) __builtin_trap();
  return static_cast<std::int32_t>(wasmhop::micro::checksum(
      wasmhop::guest::static_buffer<wasmhop::micro::kStaticCapacity>(), static_cast<std::size_t>(len)));
}

// Variable-length payloads, serialized: Bincode Vec<u8> (u64 length + bytes) and FlatBuffers Bytes.
WASMHOP_EXPORT(std::int32_t, checksum_bincode, (std::int32_t ptr, std::int32_t len)) {
  if (len < 0) __builtin_trap();
  wasmhop::bincode::Reader r(at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)), static_cast<std::size_t>(len));
  const auto bytes = r.read_bytes();
  if (!r.expect_end()) __builtin_trap();
  const auto h = wasmhop::micro::checksum(bytes.data(), bytes.size());
  release(ptr);
  return static_cast<std::int32_t>(h);
}
WASMHOP_EXPORT(std::int32_t, checksum_flatbuffers, (std::int32_t ptr, std::int32_t len)) {
  if (len < 0) __builtin_trap();
  const auto* b = wasmhop::flatbuf::read_bytes(at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)),
                                               static_cast<std::size_t>(len));
  if (b == nullptr) __builtin_trap();
  const auto data = wasmhop::flatbuf::payload(*b);
  const auto h = wasmhop::micro::checksum(data.data(), data.size());
  release(ptr);
  return static_cast<std::int32_t>(h);
}
