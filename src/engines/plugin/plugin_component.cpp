// The adapter from a plugin's component entries to wasmhop::Component / ComponentInstance. The
// world tables the plugin fills are the call tables of the world objects (same layout): calls go
// straight to the plugin, as core exports do.
#include "engines/plugin/plugin_component.hpp"

#include <cstddef>
#include <string>

namespace wasmhop::plugin {
namespace {

static_assert(sizeof(component_detail::MicroCalls) == sizeof(whp_micro_world) &&
              offsetof(component_detail::MicroCalls, checksum) == offsetof(whp_micro_world, checksum));
static_assert(sizeof(component_detail::PolicyCalls) == sizeof(whp_policy_world) &&
              offsetof(component_detail::PolicyCalls, stats) == offsetof(whp_policy_world, stats));
static_assert(static_cast<int>(World::micro) == WHP_WORLD_MICRO && static_cast<int>(World::policy) == WHP_WORLD_POLICY);

struct ComponentHandle {
  ComponentHandle(std::shared_ptr<EngineHandle> e, void* handle) : engine(std::move(e)), h(handle) {}
  ComponentHandle(const ComponentHandle&) = delete;
  ComponentHandle& operator=(const ComponentHandle&) = delete;
  ~ComponentHandle() { engine->api->component_free(h); }
  std::shared_ptr<EngineHandle> engine;
  void* h;
};

class PluginComponentInstance final : public ComponentInstance {
 public:
  PluginComponentInstance(std::string name, std::shared_ptr<ComponentHandle> c, void* h)
      : ComponentInstance(std::move(name)), component_(std::move(c)), api_(component_->engine->api), h_(h) {}
  ~PluginComponentInstance() override { api_->component_instance_free(h_); }

  std::string last_error_detail() const override {
    const char* s = api_->component_last_error(h_);
    return s == nullptr ? std::string{} : std::string{s};
  }

 protected:
  Status resolve(World world, void* calls) override {
    whp_error err = blank_error();
    if (api_->component_world(h_, static_cast<std::uint32_t>(world), calls, &err) != 0)
      return tl::unexpected(to_error(err));
    return {};
  }

 private:
  std::shared_ptr<ComponentHandle> component_;
  const whp_plugin_v1* api_;
  void* h_;
};

class PluginComponent final : public Component {
 public:
  PluginComponent(std::string name, std::shared_ptr<ComponentHandle> handle)
      : Component(std::move(name)), handle_(std::move(handle)) {}

 protected:
  Result<std::unique_ptr<ComponentInstance>> do_instantiate() override {
    whp_error err = blank_error();
    void* h = handle_->engine->api->component_instance_new(handle_->h, &err);
    if (h == nullptr) return tl::unexpected(to_error(err));
    return std::make_unique<PluginComponentInstance>(name(), handle_, h);
  }

 private:
  std::shared_ptr<ComponentHandle> handle_;
};

}  // namespace

bool has_components(const whp_plugin_v1* api) noexcept {
  // component_last_error is the block's last field: a table that has it has them all.
  return WHP_PLUGIN_FIELD(api, component_last_error) != nullptr && api->component_new != nullptr &&
         api->component_free != nullptr && api->component_instance_new != nullptr &&
         api->component_instance_free != nullptr && api->component_world != nullptr;
}

Result<std::unique_ptr<Component>> compile_component(const std::shared_ptr<EngineHandle>& engine,
                                                     std::span<const std::uint8_t> bytes, std::string_view name) {
  if (!has_components(engine->api))
    return fail(ErrorKind::engine_unavailable, "this engine's plugin has no component entries");
  const std::string component_name(name);
  whp_error err = blank_error();
  void* h = engine->api->component_new(engine->h, bytes.data(), bytes.size(), component_name.c_str(), &err);
  if (h == nullptr) return tl::unexpected(to_error(err));
  return std::make_unique<PluginComponent>(component_name, std::make_shared<ComponentHandle>(engine, h));
}

}  // namespace wasmhop::plugin
