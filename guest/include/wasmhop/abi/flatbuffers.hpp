// FlatBuffers payloads (guest/abi/wasmhop_payloads.fbs) for the host and for guests.
//
// Needs ${WASMHOP_FLATBUFFERS_INCLUDE} on the include path (the build-tree directory flatc
// generates into; see cmake/Flatbuffers.cmake): guests get it with
//   wasmhop_add_guest(x SOURCES x.cpp INCLUDES ${WASMHOP_GUEST_FLATBUFFERS_INCLUDE}
//                     DEPENDS ${WASMHOP_GUEST_FLATBUFFERS_DEPENDS})
// and host targets by linking $<BUILD_INTERFACE:wasmhop::codecs>.
//
// Reading untrusted bytes: always verify first. read_pair / read_request / read_bytes / read_pair_batch run the
// FlatBuffers Verifier and return nullptr unless the whole buffer is a well-formed table of that
// type (every offset, vector length and alignment checked against [data, data + size)).
//
// Building: FlatBuffers builds back to front inside its own buffer, so a writer builds, asks for
// a buffer of exactly the finished size and copies. The build_* helpers reuse one builder
// (cleared each time) and return a view of the finished buffer that stays valid until the builder
// is used again. They force default values to be stored, so a Pair always has the same size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

// In wasm32 the default FlatBuffers assert would pull WASI imports (stderr, exit) into an
// otherwise import-free module: make a failed assertion trap instead.
#if defined(__wasm__)
#if defined(FLATBUFFERS_BASE_H_) && !defined(WASMHOP_FLATBUFFERS_ASSERT_SET)
#error "include <wasmhop/abi/flatbuffers.hpp> before any FlatBuffers header in a guest"
#endif
#if !defined(FLATBUFFERS_ASSERT)
#define FLATBUFFERS_ASSERT(x) ((x) ? static_cast<void>(0) : __builtin_trap())
#endif
#define WASMHOP_FLATBUFFERS_ASSERT_SET 1
#endif

#include <flatbuffers/flatbuffers.h>

#include "wasmhop/abi/wasmhop_payloads_generated.h"

namespace wasmhop::flatbuf {

namespace fbs = ::wasmhop::fbs;
using Builder = ::flatbuffers::FlatBufferBuilder;

// The root table of `data` if it verifies as a T buffer (no file identifier), else nullptr.
template <class Table>
[[nodiscard]] inline const Table* verified_root(const void* data, std::size_t size) noexcept {
  if (data == nullptr || size >= FLATBUFFERS_MAX_BUFFER_SIZE) return nullptr;
  const auto* p = static_cast<const std::uint8_t*>(data);
  ::flatbuffers::Verifier verifier(p, size);
  if (!verifier.VerifyBuffer<Table>(nullptr)) return nullptr;
  return ::flatbuffers::GetRoot<Table>(p);
}

[[nodiscard]] inline const fbs::Pair* read_pair(const void* data, std::size_t size) noexcept {
  return verified_root<fbs::Pair>(data, size);
}
[[nodiscard]] inline const fbs::Request* read_request(const void* data, std::size_t size) noexcept {
  return verified_root<fbs::Request>(data, size);
}
[[nodiscard]] inline const fbs::Bytes* read_bytes(const void* data, std::size_t size) noexcept {
  return verified_root<fbs::Bytes>(data, size);
}
[[nodiscard]] inline const fbs::PairBatch* read_pair_batch(const void* data, std::size_t size) noexcept {
  return verified_root<fbs::PairBatch>(data, size);
}

// The payload of a (verified) Bytes table; empty when the field is absent.
[[nodiscard]] inline std::span<const std::uint8_t> payload(const fbs::Bytes& bytes) noexcept {
  const auto* v = bytes.data();
  if (v == nullptr) return {};
  return {v->data(), v->size()};
}
// The items of a (verified) PairBatch; empty when the field is absent.
[[nodiscard]] inline std::span<const fbs::PairValue> items(const fbs::PairBatch& batch) noexcept {
  const auto* v = batch.items();
  if (v == nullptr) return {};
  // A vector of structs stores the structs inline (the Verifier checked size and alignment).
  return {reinterpret_cast<const fbs::PairValue*>(v->Data()), v->size()};
}

[[nodiscard]] inline std::span<const std::uint8_t> finished(const Builder& b) noexcept {
  return {b.GetBufferPointer(), b.GetSize()};
}

[[nodiscard]] inline std::span<const std::uint8_t> build_pair(Builder& b, std::int32_t a, std::int32_t second) {
  b.Clear();
  b.ForceDefaults(true);
  b.Finish(fbs::CreatePair(b, a, second));
  return finished(b);
}

[[nodiscard]] inline std::span<const std::uint8_t> build_request(Builder& b, std::uint64_t id, std::uint64_t size) {
  b.Clear();
  b.ForceDefaults(true);
  b.Finish(fbs::CreateRequest(b, id, size));
  return finished(b);
}

[[nodiscard]] inline std::span<const std::uint8_t> build_bytes(Builder& b, std::span<const std::uint8_t> data) {
  b.Clear();
  b.ForceDefaults(true);
  const auto vec = b.CreateVector(data.data(), data.size());
  b.Finish(fbs::CreateBytes(b, vec));
  return finished(b);
}

// The FlatBuffers ABI's messages (src/abi/flatbuffers.hpp, wasmhop/abi/exports/flatbuffers.hpp):
// flatbuffers_encode builds one, flatbuffers_decode verifies and reads one. A record type declares
// both beside itself (found by argument-dependent lookup); bytes travel as a Bytes table, read in place.
[[nodiscard]] inline std::span<const std::uint8_t> flatbuffers_encode(Builder& b, std::span<const std::uint8_t> data) {
  return build_bytes(b, data);
}
[[nodiscard]] inline bool flatbuffers_decode(std::span<const std::uint8_t> in, std::span<const std::uint8_t>& out) {
  const fbs::Bytes* table = read_bytes(in.data(), in.size());
  if (table == nullptr) return false;
  out = payload(*table);
  return true;
}

[[nodiscard]] inline std::span<const std::uint8_t> build_pair_batch(Builder& b,
                                                                    std::span<const fbs::PairValue> pairs) {
  b.Clear();
  b.ForceDefaults(true);
  const auto vec = b.CreateVectorOfStructs(pairs.data(), pairs.size());
  b.Finish(fbs::CreatePairBatch(b, vec));
  return finished(b);
}

}  // namespace wasmhop::flatbuf
