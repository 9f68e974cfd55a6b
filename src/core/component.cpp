// The engine-independent half of wasmhop/component.hpp: telling components from core modules,
// timing compile and instantiate, resolving worlds, and the errors of a trapped component call.
#include "wasmhop/component.hpp"

#include <chrono>

#include <fmt/format.h>

#include "core/component_errors.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop {
namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

Error trap_error(const ComponentInstance& owner, std::string_view export_name, std::uint8_t trap) {
  const auto kind = static_cast<TrapKind>(trap);
  const std::string detail = owner.last_error_detail();
  return Error{kind == TrapKind::timeout ? ErrorKind::timeout : ErrorKind::trap,
               fmt::format("component '{}', export '{}'{}{}", owner.component_name(), export_name,
                           detail.empty() ? "" : ": ", detail),
               kind};
}
}  // namespace

BinaryKind binary_kind(std::span<const std::uint8_t> b) noexcept {
  if (b.size() < 8 || b[0] != 0x00 || b[1] != 'a' || b[2] != 's' || b[3] != 'm') return BinaryKind::unknown;
  // Bytes 4-5: the version; 6-7: the layer (0 core, 1 component).
  if (b[6] == 0x00 && b[7] == 0x00) return BinaryKind::core_module;
  if (b[6] == 0x01 && b[7] == 0x00) return BinaryKind::component;
  return BinaryKind::unknown;
}

std::string_view to_string(World world) noexcept { return world == World::micro ? "micro" : "policy"; }

namespace detail {
Error component_not_module(std::string_view name) {
  return Error{ErrorKind::malformed_module,
               fmt::format("'{}' is a component (component-model binary, layer 1), not a core module: "
                           "load it with Engine::compile_component on an engine with the component capability",
                           name)};
}
}  // namespace detail

tl::unexpected<Error> MicroWorld::trap(std::string_view export_name, std::uint8_t t) const {
  return tl::unexpected(trap_error(*owner_, export_name, t));
}
tl::unexpected<Error> PolicyWorld::trap(std::string_view export_name, std::uint8_t t) const {
  return tl::unexpected(trap_error(*owner_, export_name, t));
}

Result<PolicyWorld::Stats> PolicyWorld::stats() const {
  std::uint64_t out[4] = {};
  if (const auto t = calls_.stats(calls_.ctx, out); t != 0) [[unlikely]] return trap("stats", t);
  return Stats{out[0], out[1], out[2], out[3]};
}

Result<MicroWorld> ComponentInstance::micro() {
  component_detail::MicroCalls calls;
  if (auto st = resolve(World::micro, &calls); !st) return tl::unexpected(st.error());
  return MicroWorld(*this, calls);
}

Result<PolicyWorld> ComponentInstance::policy() {
  component_detail::PolicyCalls calls;
  if (auto st = resolve(World::policy, &calls); !st) return tl::unexpected(st.error());
  return PolicyWorld(*this, calls);
}

Result<std::unique_ptr<ComponentInstance>> Component::instantiate() {
  const auto t0 = Clock::now();
  auto inst = do_instantiate();
  if (inst) (*inst)->instantiate_seconds_ = seconds_since(t0);
  return inst;
}

Result<std::unique_ptr<Component>> Engine::compile_component(std::span<const std::uint8_t> bytes,
                                                             std::string_view name) {
  const auto t0 = Clock::now();
  switch (binary_kind(bytes)) {
    case BinaryKind::component: break;
    case BinaryKind::core_module:
      return fail(ErrorKind::malformed_module,
                  fmt::format("'{}' is a core module, not a component: load it with Engine::compile", name));
    case BinaryKind::unknown:
      return fail(ErrorKind::malformed_module,
                  fmt::format("'{}' is not a WebAssembly binary (no \\0asm preamble with a known layer)", name));
  }
  if (!info().caps.component)
    return fail(ErrorKind::engine_unavailable,
                fmt::format("component '{}': engine '{}' has no component-model support (capability component = false)",
                            name, info().id));
  auto c = do_compile_component(bytes, name);
  if (c) (*c)->compile_seconds_ = seconds_since(t0);
  return c;
}

Result<std::unique_ptr<Component>> Engine::load_component(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  std::string name = path.stem().string();  // foo.component.wasm -> foo.component
  return compile_component(*bytes, name);
}

Result<std::unique_ptr<Component>> Engine::do_compile_component(std::span<const std::uint8_t>, std::string_view name) {
  return fail(ErrorKind::engine_unavailable,
              fmt::format("component '{}': engine '{}' does not implement components", name, info().id));
}

}  // namespace wasmhop
