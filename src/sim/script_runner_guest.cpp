#include "sim/script_runner_guest.hpp"

#include <array>

#include <fmt/format.h>

namespace wasmhop::sim {

namespace exports = policy_script::exports;

tl::unexpected<Error> impossible_answer(const Instance& instance, std::string_view what) {
  return fail(ErrorKind::internal, fmt::format("module '{}': impossible answer from the guest: {}",
                                               instance.module_name(), what));
}

Result<PolicyGuest> PolicyGuest::open(std::shared_ptr<ScriptEngine> engine, const std::filesystem::path& wasm,
                                      const cache::CacheConfig& config) {
  auto instance = engine->instantiate(wasm);
  if (!instance) return tl::unexpected(instance.error());
  PolicyGuest guest;
  guest.engine_ = std::move(engine);
  guest.instance_ = std::move(*instance);
  auto init = guest.instance_->typed<std::int32_t(std::int64_t, std::int32_t, std::int32_t)>(exports::init);
  if (!init) return tl::unexpected(init.error());
  auto status = (*init)(static_cast<std::int64_t>(config.capacity), static_cast<std::int32_t>(config.size_change),
                        static_cast<std::int32_t>(config.cost));
  if (!status) return tl::unexpected(status.error());
  if (*status != static_cast<std::int32_t>(policy_script::InitStatus::ok)) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("module '{}': init(capacity {}, size-change {}, cost {}) refused with status {}",
                            guest.instance_->module_name(), config.capacity, cache::to_string(config.size_change),
                            cache::to_string(config.cost), *status));
  }
  return guest;
}

Result<cache::CacheStats> PolicyGuest::stats(const HostTally& tally) {
  constexpr std::array<std::string_view, 4> kNames{exports::stats_requests, exports::stats_hits,
                                                   exports::stats_bytes_requested, exports::stats_bytes_hit};
  std::array<std::uint64_t, 4> v{};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    auto r = instance_->call_by_name<std::int64_t>(kNames[i]);
    if (!r) return tl::unexpected(r.error());
    v[i] = static_cast<std::uint64_t>(*r);
  }
  const cache::CacheStats s{v[0], v[1], v[2], v[3]};
  if (s.hits > s.requests)
    return impossible_answer(*instance_, fmt::format("{} hits out of {} requests", s.hits, s.requests));
  if (s.bytes_hit > s.bytes_requested)
    return impossible_answer(*instance_, fmt::format("{} bytes hit out of {} bytes requested", s.bytes_hit,
                                                     s.bytes_requested));
  if (s.requests != tally.requests)
    return impossible_answer(*instance_, fmt::format("it counted {} requests, the host sent {}", s.requests,
                                                     tally.requests));
  if (s.hits != tally.hits)
    return impossible_answer(*instance_, fmt::format("it counted {} hits, its answers said {}", s.hits, tally.hits));
  return s;
}

}  // namespace wasmhop::sim
