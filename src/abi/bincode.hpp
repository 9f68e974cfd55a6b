// Bincode: the message serialized (Bincode 1.x, guest/include/wasmhop/abi/bincode.hpp) straight
// into a fresh alloc() buffer, which <prefix>_bincode(ptr, len) decodes and frees: a record's
// fields, or bytes as a Vec<u8>. Guest side: guest/include/wasmhop/abi/exports/bincode.hpp.
#pragma once

#include <string>

#include "abi/abi_info.hpp"
#include "abi/buffers.hpp"
#include "wasmhop/abi/bincode.hpp"
#include "wasmhop/abi/wire.hpp"

namespace wasmhop::abi {

struct Bincode {
  static constexpr AbiInfo info{.name = "bincode", .suffix = "bincode", .family = "bincode", .memory = "dynamic",
                                .micro_config = "",
                                .summary = "Bincode bytes in a fresh alloc() buffer the guest decodes and frees"};
  template <class Wire>
  static constexpr bool carries = RecordWire<Wire> || BytesWire<Wire>;

  template <class Wire, bool Cached>
  class Binding {
    using M = typename Wire::Message;

   public:
    [[nodiscard]] Status bind(Instance& inst) { return buffer_.bind(inst); }
    [[nodiscard, gnu::always_inline]] Result<std::int32_t> send(Instance& inst, const M& m) {
      std::uint32_t size;
      if constexpr (bincode::is_fixed_size_v<M>) size = bincode::fixed_size_v<M>;
      else size = static_cast<std::uint32_t>(bincode::size_of(m));
      return buffer_.call(inst, size, [&](const GuestMemory& mem, GuestSpan span) -> Status {
        auto out = mem.bytes(span.ptr, size);
        if (!out) [[unlikely]] return tl::unexpected(out.error());
        if (const auto r = bincode::encode(*out, m); r.error != bincode::Error::none) [[unlikely]]
          return fail(ErrorKind::internal, std::string("bincode encode: ").append(bincode::to_string(r.error)));
        return {};
      });
    }

   private:
    FreshBuffer<Cached, ExportName<Wire, info>> buffer_;
  };
};

}  // namespace wasmhop::abi
