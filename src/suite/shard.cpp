#include "suite/shard.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace wasmhop::suite {

Result<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  auto number = [](std::string_view v, int& out) {
    const auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    return r.ec == std::errc() && r.ptr == v.data() + v.size();
  };
  const std::string_view t(text);
  if (slash == std::string::npos || !number(t.substr(0, slash), s.index) || !number(t.substr(slash + 1), s.count) ||
      s.count < 1 || s.index < 1 || s.index > s.count) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("--shard '{}': expected K/N with 1 <= K <= N, e.g. 2/4 (the second of four shards)", text));
  }
  return s;
}

std::string to_string(const Shard& s) { return fmt::format("{}/{}", s.index, s.count); }

std::vector<int> assign_shards(const Plan& plan, int count) {
  std::vector<int> shard(plan.steps.size(), 0);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].kind != StepKind::gen) order.push_back(i);
  }
  // Longest first; expected times compared in milliseconds so that no floating-point difference
  // between two machines' builds can reorder them.
  auto ms = [&](std::size_t i) { return std::llround(plan.steps[i].expected_s * 1000.0); };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return ms(a) != ms(b) ? ms(a) > ms(b) : plan.steps[a].id < plan.steps[b].id;
  });
  std::vector<long long> load(static_cast<std::size_t>(std::max(count, 1)), 0);
  for (std::size_t i : order) {
    const auto least = std::min_element(load.begin(), load.end()) - load.begin();  // first of the least loaded
    load[static_cast<std::size_t>(least)] += ms(i);
    shard[i] = static_cast<int>(least) + 1;
  }
  return shard;
}

std::vector<const Step*> shard_steps(const Plan& plan, const Shard& s) {
  const std::vector<int> shard = assign_shards(plan, s.count);
  std::vector<const Step*> out;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    if (shard[i] == 0 || shard[i] == s.index) out.push_back(&plan.steps[i]);
  }
  return out;
}

}  // namespace wasmhop::suite
