// The host side of the buffer protocol the memory-passing ABIs share (the guest side is
// guest/include/wasmhop/abi/buffers.hpp): a fresh alloc() buffer per call, or the static buffer
// fetched once. Every span the guest hands out is checked before the host writes to it.
#pragma once

#include <cstdint>

#include "abi/export.hpp"
#include "wasmhop/abi/guest_span.hpp"

namespace wasmhop::abi {

// static_buffer() -> (ptr << 32) | capacity, fetched once and checked to hold min_len bytes.
[[nodiscard]] Result<GuestSpan> fetch_static_buffer(Instance& inst, std::uint64_t min_len);

struct AllocName {
  static constexpr std::string_view value = "alloc";
};

// A fresh buffer per call from alloc(size), consumed (and freed) by the export ConsumeName::value.
template <bool Cached, class ConsumeName>
class FreshBuffer {
 public:
  // Resolves alloc() and the export that consumes the buffer.
  [[nodiscard]] Status bind(Instance& inst) {
    auto alloc = Export<std::int64_t(std::int32_t), Cached, AllocName>::resolve(inst);
    if (!alloc) return tl::unexpected(alloc.error());
    auto consume = Export<std::int32_t(std::int32_t, std::int32_t), Cached, ConsumeName>::resolve(inst);
    if (!consume) return tl::unexpected(consume.error());
    alloc_ = std::move(*alloc);
    consume_ = std::move(*consume);
    return {};
  }

  // One call: alloc(size), the span checked, `fill(mem, span)` writes the message (a Status),
  // then consume(ptr, size) answers.
  template <class Fill>
  [[nodiscard, gnu::always_inline]] Result<std::int32_t> call(Instance& inst, std::uint32_t size, Fill&& fill) const {
    const auto len = static_cast<std::int32_t>(size);
    GuestSpan span;
    {  // alloc's Result ends here, before the guest calls below (its cleanup is then known to be a no-op)
      auto packed = alloc_(inst, len);
      if (!packed) [[unlikely]] return tl::unexpected(packed.error());
      span = unpack_ptr_len(*packed);
    }
    const GuestMemory mem = inst.memory();  // alloc may have grown memory
    if (auto st = check_span(span, size, mem, "alloc"); !st) [[unlikely]] return tl::unexpected(st.error());
    if (auto st = fill(mem, span); !st) [[unlikely]] return tl::unexpected(st.error());
    return consume_(inst, static_cast<std::int32_t>(span.ptr), len);
  }

 private:
  Export<std::int64_t(std::int32_t), Cached, AllocName> alloc_;
  Export<std::int32_t(std::int32_t, std::int32_t), Cached, ConsumeName> consume_;
};

}  // namespace wasmhop::abi
