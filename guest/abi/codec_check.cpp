// Compile-and-run check of both codecs inside a guest (wasm32 and native from this one source):
// the host writes an encoded value into a buffer from `alloc`, the guest decodes and answers.
//   decode_pair_bincode(ptr, len)       -> a + b (wrapping), or INT32_MIN if the bytes are invalid
//   decode_pair_flatbuffers(ptr, len)   -> same, after running the FlatBuffers Verifier
//   sum_bytes_bincode(ptr, len)         -> sum of a Vec<u8> payload's bytes, or -1
//   sum_bytes_flatbuffers(ptr, len)     -> sum of a Bytes table's payload, or -1
//   encode_pair_bincode(a, b)           -> (ptr << 32) | len of a fresh buffer holding Pair{a, b}
//   alloc(size) -> (ptr << 32) | size;  dealloc(ptr)
#include <cstdint>
#include <limits>

#include <wasmhop/abi/flatbuffers.hpp>  // first: sets the wasm-safe FLATBUFFERS_ASSERT
#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/guest.hpp>

namespace {

namespace bincode = wasmhop::bincode;
namespace flatbuf = wasmhop::flatbuf;
using wasmhop::guest::at;

struct Pair {
  std::int32_t a;
  std::int32_t b;
  WASMHOP_BINCODE_FIELDS(a, b)
};

constexpr std::int32_t kInvalid = std::numeric_limits<std::int32_t>::min();

std::int32_t wrapping_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}

const std::uint8_t* bytes_at(std::int32_t ptr) { return at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)); }

std::int32_t sum(std::span<const std::uint8_t> data) {
  std::uint32_t s = 0;
  for (std::uint8_t byte : data) s += byte;
  return static_cast<std::int32_t>(s & 0x7fffffffu);
}

}  // namespace

WASMHOP_EXPORT(std::int64_t, alloc, (std::int32_t size)) {
  void* p = wasmhop::guest::buffer_alloc(static_cast<std::size_t>(size));
  if (p == nullptr) return 0;
  return wasmhop::guest::pack_ptr_len(wasmhop::guest::offset_of(p), static_cast<std::uint32_t>(size));
}

WASMHOP_EXPORT(void, dealloc, (std::int32_t ptr)) {
  wasmhop::guest::buffer_free(at<std::uint8_t>(static_cast<std::uint32_t>(ptr)));
}

WASMHOP_EXPORT(std::int32_t, decode_pair_bincode, (std::int32_t ptr, std::int32_t len)) {
  Pair p{};
  if (bincode::decode_exact(std::span(bytes_at(ptr), static_cast<std::uint32_t>(len)), p) != bincode::Error::none)
    return kInvalid;
  return wrapping_add(p.a, p.b);
}

WASMHOP_EXPORT(std::int32_t, decode_pair_flatbuffers, (std::int32_t ptr, std::int32_t len)) {
  const auto* p = flatbuf::read_pair(bytes_at(ptr), static_cast<std::uint32_t>(len));
  if (p == nullptr) return kInvalid;
  return wrapping_add(p->a(), p->b());
}

WASMHOP_EXPORT(std::int32_t, sum_bytes_bincode, (std::int32_t ptr, std::int32_t len)) {
  bincode::Reader r(bytes_at(ptr), static_cast<std::uint32_t>(len));
  const std::span<const std::uint8_t> payload = r.read_bytes();  // borrowed, no copy
  if (!r.expect_end()) return -1;
  return sum(payload);
}

WASMHOP_EXPORT(std::int32_t, sum_bytes_flatbuffers, (std::int32_t ptr, std::int32_t len)) {
  const auto* b = flatbuf::read_bytes(bytes_at(ptr), static_cast<std::uint32_t>(len));
  if (b == nullptr) return -1;
  return sum(flatbuf::payload(*b));
}

WASMHOP_EXPORT(std::int64_t, encode_pair_bincode, (std::int32_t a, std::int32_t b)) {
  const Pair p{a, b};
  constexpr std::size_t size = bincode::size_of(Pair{});
  void* buf = wasmhop::guest::buffer_alloc(size);
  if (buf == nullptr) return 0;
  if (!bincode::encode(buf, size, p)) return 0;
  return wasmhop::guest::pack_ptr_len(wasmhop::guest::offset_of(buf), static_cast<std::uint32_t>(size));
}
