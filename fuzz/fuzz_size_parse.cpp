// The size parser ("4MiB", "1.5GiB", lists and doubling ranges): values or errors naming the text;
// a parsed size printed by format_size parses back to itself.
#include <string>

#include "fuzz_util.hpp"
#include "sim/size_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wasmhop;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto one = sim::parse_size(text)) {
    const std::string label = sim::format_size(*one);
    // "4 MiB (4194304 B)": the part before " (" is a size again.
    const std::string head = label.substr(0, label.find(" ("));
    auto back = sim::parse_size(head);
    WASMHOP_FUZZ_CHECK(back && *back == *one, "'%s' -> %llu -> '%s' does not parse back", text.c_str(),
                       static_cast<unsigned long long>(*one), label.c_str());
  } else {
    WASMHOP_FUZZ_CHECK(one.error().kind == ErrorKind::invalid_argument, "kind %d",
                       static_cast<int>(one.error().kind));
  }
  if (auto list = sim::parse_size_list(text)) {
    WASMHOP_FUZZ_CHECK(!list->empty(), "an empty list from '%s'", text.c_str());
    for (auto v : *list) WASMHOP_FUZZ_CHECK(v > 0, "a zero size in '%s'", text.c_str());
    WASMHOP_FUZZ_CHECK(list->size() <= 4096 + text.size(), "%zu sizes from '%s'", list->size(), text.c_str());
  }
  return 0;
}
