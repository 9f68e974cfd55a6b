// The canonical ABI's finding: what the component model's standard way costs beside the hand-rolled
// ABIs on each engine that ran it (micro records with abi "canonical"), from the summaries.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/findings.hpp"

namespace wasmhop::report {
namespace {

const GroupSummary* find(const SuiteData& d, const std::string& build, const std::string& engine,
                         const std::string& config, std::optional<std::uint64_t> payload = std::nullopt) {
  for (const auto& g : d.micro) {
    if (g.key.host_build == build && g.key.engine == engine && g.key.config == config &&
        g.key.payload_bytes == payload && !g.key.batch_size)
      return &g;
  }
  return nullptr;
}

double med(const GroupSummary* g) { return g == nullptr ? std::nan("") : g->ns_per_call.median; }

}  // namespace

std::optional<std::string> canonical_finding(const SuiteData& d, const std::string& build) {
  std::vector<std::string> engines;
  for (const auto& g : d.micro) {
    if (g.key.host_build == build && g.abi == "canonical" &&
        std::find(engines.begin(), engines.end(), g.key.engine) == engines.end())
      engines.push_back(g.key.engine);
  }
  if (engines.empty()) return std::nullopt;
  std::uint64_t largest = 0;
  for (const auto& g : d.micro) {
    if (g.key.host_build == build && g.key.config == "payload-canonical" && g.key.payload_bytes)
      largest = std::max(largest, *g.key.payload_bytes);
  }
  std::vector<std::string> parts;
  for (const auto& e : engines) {
    const double scalars = med(find(d, build, e, "canonical-scalars"));
    const double record = med(find(d, build, e, "canonical-record"));
    const double typed = med(find(d, build, e, "pair-typed"));
    const double pod = med(find(d, build, e, "pod-cached-static"));
    const double bincode = med(find(d, build, e, "bincode-cached"));
    std::string s = fmt::format("{}: scalars {} / record {} (typed core Pair {}, POD static {}, Bincode {})", e,
                                fmt_ns(scalars), fmt_ns(record), fmt_ns(typed), fmt_ns(pod), fmt_ns(bincode));
    if (largest) {
      const double c = med(find(d, build, e, "payload-canonical", largest));
      const double ps = med(find(d, build, e, "payload-pod-static", largest));
      const double bc = med(find(d, build, e, "payload-bincode", largest));
      s += fmt::format("; {} payload: canonical {}, POD static {}, Bincode {}", fmt_bytes(largest), fmt_ns(c),
                       fmt_ns(ps), fmt_ns(bc));
    }
    parts.push_back(s);
  }
  std::string out = "The component model's canonical ABI (typed component calls, median per call): ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out + ".";
}

}  // namespace wasmhop::report
