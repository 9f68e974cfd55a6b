#include "sim/policies.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "policies/fifo.hpp"
#include "policies/gds.hpp"
#include "policies/gdsf.hpp"
#include "policies/largest_first.hpp"
#include "policies/lfu.hpp"
#include "policies/lfuda.hpp"
#include "policies/lru.hpp"
#include "sim/native_runner.hpp"

namespace wasmhop::sim {
namespace {

template <class P>
std::unique_ptr<PolicyRunner> native(const cache::CacheConfig& config) {
  return std::make_unique<NativeRunner<P>>(config);
}

// One line per policy.
constexpr std::array<PolicyInfo, 7> kPolicies{{
    {"fifo", "fifo", "first in, first out", false, &native<cache::Fifo>},
    {"lru", "lru", "least recently used", false, &native<cache::Lru>},
    {"lfu", "lfu", "least frequently used (in-cache counts, ties LRU)", false, &native<cache::Lfu>},
    {"gds", "gds", "GreedyDual-Size (Cao & Irani), cost one|packets|size", true, &native<cache::Gds>},
    {"gdsf", "gdsf", "GreedyDual-Size with frequency, cost one|packets|size", true, &native<cache::Gdsf>},
    {"lfuda", "lfuda", "LFU with dynamic aging", false, &native<cache::Lfuda>},
    {"largest-first", "largest_first", "evict the largest object (the paper's 'GD-Size')", false,
     &native<cache::LargestFirst>},
}};

struct Alias {
  std::string_view alias, name;
};
constexpr std::array<Alias, 6> kAliases{{
    {"largest_first", "largest-first"}, {"gd-size", "gds"}, {"gdsize", "gds"},
    {"greedydual-size", "gds"}, {"lfu-da", "lfuda"}, {"lfu_da", "lfuda"},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const PolicyInfo> policy_catalogue() noexcept { return kPolicies; }

const PolicyInfo* find_policy(std::string_view name) noexcept {
  std::string key = lower(trim(name));
  for (const Alias& a : kAliases)
    if (a.alias == key) key = std::string(a.name);
  for (const PolicyInfo& p : kPolicies)
    if (p.name == key) return &p;
  return nullptr;
}

std::string valid_policy_names() {
  std::string out;
  for (const PolicyInfo& p : kPolicies) {
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out;
}

Result<cache::Cost> parse_cost(std::string_view text) {
  std::string t = lower(trim(text));
  if (t == "one" || t == "1") return cache::Cost::one;
  if (t == "packets") return cache::Cost::packets;
  if (t == "size") return cache::Cost::size;
  return fail(ErrorKind::invalid_argument, fmt::format("unknown cost '{}' (valid: one, packets, size)", text));
}

Result<cache::SizeChange> parse_size_change(std::string_view text) {
  std::string t = lower(trim(text));
  if (t == "first-size" || t == "first_size") return cache::SizeChange::first_size;
  if (t == "miss") return cache::SizeChange::miss;
  return fail(ErrorKind::invalid_argument,
              fmt::format("unknown size-change mode '{}' (valid: first-size, miss)", text));
}

Result<std::vector<PolicyChoice>> parse_policy_list(std::string_view text, cache::Cost default_cost) {
  std::vector<PolicyChoice> out;
  auto add = [&](PolicyChoice c) {
    auto same = [&](const PolicyChoice& o) { return o.info == c.info && o.cost == c.cost; };
    if (std::none_of(out.begin(), out.end(), same)) out.push_back(c);
  };
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    std::string_view item = trim(text.substr(start, comma == text.npos ? text.npos : comma - start));
    if (lower(item) == "all") {
      for (const PolicyInfo& p : kPolicies) add({&p, default_cost});
    } else {
      std::size_t colon = item.find(':');
      const PolicyInfo* info = find_policy(item.substr(0, colon));
      if (info == nullptr)
        return fail(ErrorKind::invalid_argument, fmt::format("unknown policy '{}' (valid: {}, all)",
                                                             item.substr(0, colon), valid_policy_names()));
      PolicyChoice choice{info, default_cost};
      if (colon != std::string_view::npos) {
        if (!info->uses_cost)
          return fail(ErrorKind::invalid_argument,
                      fmt::format("policy '{}' takes no cost (only gds and gdsf do)", info->name));
        auto cost = parse_cost(item.substr(colon + 1));
        if (!cost) return tl::unexpected(cost.error());
        choice.cost = *cost;
      }
      add(choice);
    }
    if (comma == text.npos) break;
    start = comma + 1;
  }
  return out;
}

Result<std::unique_ptr<PolicyRunner>> NativeRunnerFactory::create(const RunSpec& spec) {
  const PolicyInfo* info = find_policy(spec.policy);
  if (info == nullptr)
    return fail(ErrorKind::invalid_argument,
                fmt::format("unknown policy '{}' (valid: {})", spec.policy, valid_policy_names()));
  return info->make_native(spec.config);
}

}  // namespace wasmhop::sim
