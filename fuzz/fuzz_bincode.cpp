// The Bincode decoder (guest/include/wasmhop/abi/bincode.hpp) on arbitrary bytes, for the types
// the ABIs use and the containers a hostile peer could abuse: never reads outside the input,
// never allocates more than the input can justify, and whatever decodes re-encodes to the same
// bytes (for canonical types: no floats, whose NaN payloads are kept but compare unequal).
#include <array>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <wasmhop/abi/bincode.hpp>

#include "fuzz_util.hpp"
#include "micro/payload.hpp"
#include "wasmhop/cache/types.hpp"

namespace {

namespace bc = wasmhop::bincode;

// The types the ABIs decode: the micro-benchmark's payload and the policy scripts' request.
using Pair = wasmhop::micro::PairPod;
using Request = wasmhop::cache::Request;

struct Message {
  bool flag;
  char32_t letter;
  std::string name;
  std::optional<std::vector<Request>> batch;
  std::variant<std::monostate, std::uint8_t, std::string, Pair> choice;
  std::vector<std::pair<std::uint32_t, std::vector<std::string>>> index;  // (a map would merge duplicate keys)
  std::array<std::int16_t, 3> small;
  std::tuple<std::uint64_t, std::optional<bool>> tail;
  WASMHOP_BINCODE_FIELDS(flag, letter, name, batch, choice, index, small, tail)
};

template <class T>
void round_trip(std::span<const std::uint8_t> in) {
  T value{};
  if (bc::decode_exact(in, value) != bc::Error::none) {
    T prefix{};
    static_cast<void>(bc::decode(in, prefix));  // the lenient entry point on the same bytes
    return;
  }
  std::vector<std::uint8_t> again;
  const bc::Error e = bc::encode_append(again, value);
  WASMHOP_FUZZ_CHECK(e == bc::Error::none, "re-encoding failed: %s", std::string(bc::to_string(e)).c_str());
  WASMHOP_FUZZ_CHECK(again.size() == in.size() && std::equal(again.begin(), again.end(), in.begin()),
                     "%zu bytes decoded, re-encoded to %zu different bytes", in.size(), again.size());
  WASMHOP_FUZZ_CHECK(bc::size_of(value) == in.size(), "size_of %zu, encoding %zu", bc::size_of(value), in.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> in(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: round_trip<Pair>(in); break;
    case 1: round_trip<std::vector<Request>>(in); break;
    case 2: round_trip<std::string>(in); break;
    case 3: round_trip<Message>(in); break;
    case 4: round_trip<std::vector<std::vector<std::uint8_t>>>(in); break;
    default: {
      // Borrowing decoders: views into the input, never past it.
      std::tuple<std::string_view, std::span<const std::uint8_t>, std::u32string> v;
      if (bc::decode(in, v) == bc::Error::none) {
        const auto* lo = in.data();
        const auto* hi = in.data() + in.size();
        const auto* s = reinterpret_cast<const std::uint8_t*>(std::get<0>(v).data());
        WASMHOP_FUZZ_CHECK(std::get<0>(v).empty() || (s >= lo && s + std::get<0>(v).size() <= hi), "string_view escapes");
        const auto& sp = std::get<1>(v);
        WASMHOP_FUZZ_CHECK(sp.empty() || (sp.data() >= lo && sp.data() + sp.size() <= hi), "span escapes");
      }
      break;
    }
  }
  return 0;
}
