// FlatBuffers: the message built as a FlatBuffers table on the host (one builder reused per
// binding), copied into a fresh alloc() buffer; <prefix>_flatbuffers(ptr, len) verifies it, reads it
// and frees it. A message type maps to its table (guest/abi/wasmhop_payloads.fbs) with
// flatbuffers_encode / flatbuffers_decode beside the type. Guest side:
// guest/include/wasmhop/abi/exports/flatbuffers.hpp.
#pragma once

#include "wasmhop/abi/flatbuffers.hpp"  // first: the codec sets FlatBuffers' assertion for guests

#include "abi/abi_info.hpp"
#include "abi/buffers.hpp"
#include "wasmhop/abi/wire.hpp"

namespace wasmhop::abi {

namespace detail {
using flatbuf::flatbuffers_encode;
template <class M>
concept FlatBuffersMessage = requires(flatbuf::Builder& b, const M& m) { flatbuffers_encode(b, m); };
}  // namespace detail

struct FlatBuffers {
  static constexpr AbiInfo info{.name = "flatbuffers", .suffix = "flatbuffers", .family = "flatbuffers",
                                .memory = "dynamic", .micro_config = "flatbuffers-cached",
                                .summary = "a FlatBuffers table in a fresh alloc() buffer the guest verifies, reads "
                                           "and frees"};
  template <class Wire>
  static constexpr bool carries = detail::FlatBuffersMessage<typename Wire::Message>;

  template <class Wire, bool Cached>
  class Binding {
   public:
    [[nodiscard]] Status bind(Instance& inst) { return buffer_.bind(inst); }
    [[nodiscard, gnu::always_inline]] Result<std::int32_t> send(Instance& inst, const typename Wire::Message& m) {
      using detail::flatbuffers_encode;
      const std::span<const std::uint8_t> bytes = flatbuffers_encode(builder_, m);
      return buffer_.call(inst, static_cast<std::uint32_t>(bytes.size()),
                          [&](const GuestMemory& mem, GuestSpan span) { return mem.write_bytes(span.ptr, bytes); });
    }

   private:
    FreshBuffer<Cached, ExportName<Wire, info>> buffer_;
    flatbuf::Builder builder_;
  };
};

}  // namespace wasmhop::abi
