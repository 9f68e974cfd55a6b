// The canonical-ABI runner: every request is one call access(request) through the typed world;
// every answer is counted, and the guest's stats are checked against the host's tally as the
// other ABIs' are (script_runner_guest.cpp).
#include "sim/script_runner_canonical.hpp"

#include <fmt/format.h>

#include "sim/policies.hpp"
#include "wasmhop/component.hpp"

namespace wasmhop::sim {
namespace {

class CanonicalRunner final : public PolicyRunner {
 public:
  CanonicalRunner(std::shared_ptr<ScriptEngine> engine, std::unique_ptr<ComponentInstance> instance, PolicyWorld world)
      : engine_(std::move(engine)), instance_(std::move(instance)), world_(world) {}

  Status access_batch(std::span<const Request> requests) override {
    std::uint64_t hits = 0;
    for (const Request& r : requests) {
      auto hit = world_.access(r.id, r.size);
      if (!hit) [[unlikely]] return tl::unexpected(hit.error());
      hits += *hit ? 1 : 0;
    }
    tally_requests_ += requests.size();
    tally_hits_ += hits;
    return {};
  }

  Result<cache::CacheStats> stats() override {
    auto s = world_.stats();
    if (!s) return tl::unexpected(s.error());
    const cache::CacheStats out{s->requests, s->hits, s->bytes_requested, s->bytes_hit};
    if (out.hits > out.requests || out.bytes_hit > out.bytes_requested || out.requests != tally_requests_ ||
        out.hits != tally_hits_) {
      return fail(ErrorKind::internal,
                  fmt::format("component '{}': impossible answer from the guest: stats {} hits / {} requests, "
                              "{} / {} bytes; its answers said {} hits of {} requests",
                              instance_->component_name(), out.hits, out.requests, out.bytes_hit,
                              out.bytes_requested, tally_hits_, tally_requests_));
    }
    return out;
  }

 private:
  std::shared_ptr<ScriptEngine> engine_;  // first: destroyed after the instance
  std::unique_ptr<ComponentInstance> instance_;
  PolicyWorld world_;
  std::uint64_t tally_requests_ = 0;
  std::uint64_t tally_hits_ = 0;
};

}  // namespace

Result<std::filesystem::path> policy_component_path(const std::filesystem::path& guest_dir, std::string_view policy) {
  const PolicyInfo* info = find_policy(policy);
  if (info == nullptr)
    return fail(ErrorKind::invalid_argument, fmt::format("unknown policy '{}' (valid: {})", policy, valid_policy_names()));
  return guest_dir / fmt::format("policy_{}.component.wasm", info->file);
}

Result<std::unique_ptr<PolicyRunner>> make_canonical_runner(std::shared_ptr<ScriptEngine> engine,
                                                            const std::filesystem::path& component,
                                                            const cache::CacheConfig& config) {
  auto instance = engine->instantiate_component(component);
  if (!instance) return tl::unexpected(instance.error());
  auto world = (*instance)->policy();
  if (!world) return tl::unexpected(world.error());
  if (auto st = world->init(config.capacity, static_cast<std::uint8_t>(config.size_change),
                            static_cast<std::uint8_t>(config.cost));
      !st)
    return tl::unexpected(st.error());
  return std::make_unique<CanonicalRunner>(std::move(engine), std::move(*instance), *world);
}

}  // namespace wasmhop::sim
