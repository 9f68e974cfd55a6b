// Scripted runner factories: engine x ABI x cached, and the plug-in point the CLI calls
// (make_script_runner_factories, declared in runner_selection.hpp).
#include "sim/script_runner.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "sim/policies.hpp"
#include "sim/script_runner_abis.hpp"
#include "sim/script_runner_canonical.hpp"
#include "sim/script_runner_guest.hpp"
#include "abi/abi_info.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::sim {
namespace {

std::string valid_abis() {
  return fmt::format("{}, and <batched ABI>:<n> (n = 1..{})", abi::abi_names(), policy_script::kMaxBatch);
}

std::vector<AbiChoice> every_abi() {
  std::vector<AbiChoice> out;
  for (const abi::AbiInfo* a : abi::abi_infos()) out.push_back(AbiChoice{a});
  return out;
}

}  // namespace

std::string AbiChoice::label() const {
  if (abi->batched && batch != policy_script::kDefaultBatch) return fmt::format("{}:{}", abi->name, batch);
  return std::string(abi->name);
}

Result<AbiChoice> parse_abi(std::string_view text) {
  const std::size_t colon = text.find(':');
  const abi::AbiInfo* found = abi::find_abi(text.substr(0, colon));
  if (found != nullptr) {
    AbiChoice choice{found};
    if (colon == std::string_view::npos) return choice;
    const std::string_view n = text.substr(colon + 1);
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
    if (found->batched && ec == std::errc{} && end == n.data() + n.size() && value != 0 &&
        value <= policy_script::kMaxBatch) {
      choice.batch = value;
      return choice;
    }
  }
  return fail(ErrorKind::invalid_argument, fmt::format("unknown ABI '{}' (valid: {})", text, valid_abis()));
}

Result<std::vector<AbiChoice>> parse_abi_list(const std::vector<std::string>& names) {
  if (names.empty()) return every_abi();
  std::vector<AbiChoice> out;
  for (const std::string& name : names) {
    if (name == "all") {
      for (const AbiChoice& c : every_abi()) out.push_back(c);
      continue;
    }
    auto choice = parse_abi(name);
    if (!choice) return tl::unexpected(choice.error());
    out.push_back(*choice);
  }
  return out;
}

ScriptEngine::ScriptEngine(std::unique_ptr<Engine> engine)
    : engine_(std::move(engine)), max_concurrency_(engine_->info().caps.any_thread ? 0u : 1u) {}

Result<std::shared_ptr<ScriptEngine>> ScriptEngine::create(std::string_view id) {
  auto engine = create_engine(id);
  if (!engine) return tl::unexpected(engine.error());
  return std::make_shared<ScriptEngine>(std::move(*engine));
}

Result<std::unique_ptr<Instance>> ScriptEngine::instantiate(const std::filesystem::path& wasm) {
  std::lock_guard lock(mutex_);
  auto it = modules_.find(wasm);
  if (it == modules_.end()) {
    auto module = engine_->load(wasm);
    if (!module) return tl::unexpected(module.error());
    it = modules_.emplace(wasm, std::move(*module)).first;
  }
  return it->second->instantiate(instance_options_);  // the instance keeps what it needs of the module
}

Result<std::unique_ptr<ComponentInstance>> ScriptEngine::instantiate_component(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  auto it = components_.find(path);
  if (it == components_.end()) {
    auto component = engine_->load_component(path);
    if (!component) return tl::unexpected(component.error());
    it = components_.emplace(path, std::move(*component)).first;
  }
  return it->second->instantiate();
}

Status ScriptEngine::set_limits(std::chrono::nanoseconds call_timeout, std::uint64_t memory_limit) {
  std::lock_guard lock(mutex_);
  if (call_timeout.count() < 0) return fail(ErrorKind::invalid_argument, "a call time limit cannot be negative");
  if (call_timeout.count() > 0 && !engine_->info().caps.interruptible) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine '{}' cannot stop a running call in-process, so it takes no call time limit; "
                            "run it in a process with a deadline instead (wasmhop suite: --step-timeout; or "
                            "`timeout`)",
                            engine_->info().id));
  }
  instance_options_.call_timeout = call_timeout;
  engine_->set_memory_limit(memory_limit);
  modules_.clear();  // compiled under the old memory limit
  if (call_timeout.count() > 0 || memory_limit > 0) components_.clear();
  return {};
}

ScriptRunnerFactory::ScriptRunnerFactory(std::shared_ptr<ScriptEngine> engine, ScriptRunnerConfig config)
    : engine_(std::move(engine)), config_(std::move(config)) {}

RunnerLabel ScriptRunnerFactory::label() const {
  return RunnerLabel{engine_->info().id, engine_->info().tier, config_.abi.label(), config_.cached};
}

Result<std::filesystem::path> policy_module_path(const std::filesystem::path& guest_dir, std::string_view policy) {
  const PolicyInfo* info = find_policy(policy);
  if (info == nullptr)
    return fail(ErrorKind::invalid_argument,
                fmt::format("unknown policy '{}' (valid: {})", policy, valid_policy_names()));
  return guest_dir / fmt::format("policy_{}.wasm", info->file);
}

Result<std::unique_ptr<PolicyRunner>> ScriptRunnerFactory::create(const RunSpec& spec) {
  if (config_.abi.abi->needs_component) {
    auto component = policy_component_path(config_.guest_dir, spec.policy);
    if (!component) return tl::unexpected(component.error());
    return make_canonical_runner(engine_, *component, spec.config);
  }
  auto path = policy_module_path(config_.guest_dir, spec.policy);
  if (!path) return tl::unexpected(path.error());
  auto guest = PolicyGuest::open(engine_, *path, spec.config);
  if (!guest) return tl::unexpected(guest.error());
  return make_abi_runner(std::move(*guest), config_.abi, config_.cached);
}

Result<std::vector<std::unique_ptr<RunnerFactory>>> make_script_runner_factories(
    std::shared_ptr<ScriptEngine> engine, const RunnerSelection& selection) {
  auto abis = parse_abi_list(selection.abis);
  if (!abis) return tl::unexpected(abis.error());
  if (selection.cached.empty()) return fail(ErrorKind::invalid_argument, "no cached/uncached choice selected");
  std::vector<std::unique_ptr<RunnerFactory>> out;
  for (const AbiChoice& abi : *abis) {
    if (const std::string why = abi::unavailable_reason(*abi.abi, engine->info()); !why.empty()) {
      const bool by_name = std::find(selection.abis.begin(), selection.abis.end(), abi.abi->name) != selection.abis.end();
      if (by_name) return fail(ErrorKind::engine_unavailable, why);
      if (selection.note) selection.note(why);
      continue;
    }
    for (bool cached : selection.cached) {
      if (!cached && abi.abi->needs_component) continue;  // a component's world is always resolved once
      out.push_back(std::make_unique<ScriptRunnerFactory>(
          engine, ScriptRunnerConfig{abi, cached, std::filesystem::path(selection.guest_dir)}));
    }
  }
  return out;
}

Result<std::vector<std::unique_ptr<RunnerFactory>>> make_script_runner_factories(std::string_view engine,
                                                                                 const RunnerSelection& selection) {
  // "native" on the command line means the direct baseline; the native engine (the scripts'
  // native builds called through the ABIs) is asked for as "native-engine".
  auto shared = ScriptEngine::create(engine == "native-engine" ? std::string_view("native") : engine);
  if (!shared) return tl::unexpected(shared.error());
  if (auto st = (*shared)->set_limits(selection.call_timeout, selection.memory_limit); !st) {
    return tl::unexpected(st.error());
  }
  return make_script_runner_factories(std::move(*shared), selection);
}

}  // namespace wasmhop::sim
