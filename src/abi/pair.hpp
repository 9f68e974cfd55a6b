// Pair: the record's two fields are the call's arguments, <prefix>_pair(a, b) -> i32; nothing
// crosses through memory. Records of two scalars (PairWire) only. Guest side:
// guest/include/wasmhop/abi/exports/pair.hpp.
#pragma once

#include "abi/abi_info.hpp"
#include "abi/export.hpp"
#include "wasmhop/abi/wire.hpp"

namespace wasmhop::abi {

struct Pair {
  static constexpr AbiInfo info{.name = "pair", .suffix = "pair", .family = "pair", .memory = "",
                                .micro_config = "", .summary = "the values are the call's arguments"};
  template <class Wire>
  static constexpr bool carries = PairWire<Wire>;

  template <class Wire, bool Cached>
  class Binding {
    using Call = Export<std::int32_t(arg_t<Wire, 0>, arg_t<Wire, 1>), Cached, ExportName<Wire, info>>;

   public:
    [[nodiscard]] Status bind(Instance& inst) {
      auto call = Call::resolve(inst);
      if (!call) return tl::unexpected(call.error());
      call_ = std::move(*call);
      return {};
    }
    [[nodiscard, gnu::always_inline]] Result<std::int32_t> send(Instance& inst, const typename Wire::Message& m) {
      const auto fields = fields_of(m);
      return call_(inst, static_cast<arg_t<Wire, 0>>(std::get<0>(fields)),
                   static_cast<arg_t<Wire, 1>>(std::get<1>(fields)));
    }

   private:
    Call call_;
  };
};

}  // namespace wasmhop::abi
