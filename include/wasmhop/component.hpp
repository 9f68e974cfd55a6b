// The component model beside the core-module ABIs: an engine with Capabilities::component
// compiles a component binary (Engine::compile_component) into a Component, instantiates it, and
// reaches the exports of the study's WIT worlds (guest/component/wasmhop.wit) as typed calls whose
// data the engine lifts and lowers through the canonical ABI.
//
// Components are not modules: they have no linear memory of their own to view, no core exports,
// and their exports have WIT types, not wasm value types, so they stay out of Module/Instance/Func.
// Each world's exports are resolved and type-checked once (Wasmtime: component::TypedFunc) into a
// world object whose calls go straight to the engine through function pointers, as TypedFunc's do.
// Engine::compile refuses a component and compile_component a core module, on every engine.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wasmhop/result.hpp"

namespace wasmhop {

// From the preamble: "\0asm", a version, then layer 0 (a core module) or layer 1 (a component).
enum class BinaryKind : std::uint8_t { core_module, component, unknown };
[[nodiscard]] BinaryKind binary_kind(std::span<const std::uint8_t> bytes) noexcept;

class ComponentInstance;

namespace component_detail {
// What a plugin hands out for one world (the layout of plugin_abi.h's whp_*_world). Every call
// returns a TrapKind value (0: none).
struct MicroCalls {
  void* ctx = nullptr;
  std::uint8_t (*mul_scalars)(void* ctx, std::int32_t a, std::int32_t b, std::int32_t* out) = nullptr;
  std::uint8_t (*mul_record)(void* ctx, std::int32_t a, std::int32_t b, std::int32_t* out) = nullptr;
  std::uint8_t (*checksum)(void* ctx, const std::uint8_t* data, std::size_t len, std::uint32_t* out) = nullptr;
};
struct PolicyCalls {
  void* ctx = nullptr;
  std::uint8_t (*init)(void* ctx, std::uint64_t capacity, std::uint8_t size_change, std::uint8_t cost) = nullptr;
  std::uint8_t (*access)(void* ctx, std::uint64_t id, std::uint64_t size, std::uint8_t* hit) = nullptr;
  std::uint8_t (*stats)(void* ctx, std::uint64_t* out4) = nullptr;
};
}  // namespace component_detail

// World `micro`: the micro-benchmark's multiply (scalars, record) and the payload checksum.
class MicroWorld {
 public:
  [[nodiscard]] Result<std::int32_t> mul_scalars(std::int32_t a, std::int32_t b) const {
    std::int32_t r = 0;
    if (const auto t = calls_.mul_scalars(calls_.ctx, a, b, &r); t != 0) [[unlikely]] return trap("mul-scalars", t);
    return r;
  }
  // The record pair { a, b }.
  [[nodiscard]] Result<std::int32_t> mul_record(std::int32_t a, std::int32_t b) const {
    std::int32_t r = 0;
    if (const auto t = calls_.mul_record(calls_.ctx, a, b, &r); t != 0) [[unlikely]] return trap("mul-record", t);
    return r;
  }
  // A list<u8>: the engine copies the bytes into guest memory (cabi_realloc) for every call.
  [[nodiscard]] Result<std::uint32_t> checksum(std::span<const std::uint8_t> payload) const {
    std::uint32_t r = 0;
    if (const auto t = calls_.checksum(calls_.ctx, payload.data(), payload.size(), &r); t != 0) [[unlikely]]
      return trap("checksum", t);
    return r;
  }

 private:
  friend class ComponentInstance;
  MicroWorld(const ComponentInstance& owner, component_detail::MicroCalls calls) : owner_(&owner), calls_(calls) {}
  [[nodiscard]] tl::unexpected<Error> trap(std::string_view export_name, std::uint8_t trap) const;
  const ComponentInstance* owner_;
  component_detail::MicroCalls calls_;
};

// World `policy`: a cache policy. size_change and cost are cache::SizeChange and cache::Cost values
// (the WIT enums list the same cases in the same order); a value out of range traps in the lift.
class PolicyWorld {
 public:
  struct Stats {
    std::uint64_t requests = 0, hits = 0, bytes_requested = 0, bytes_hit = 0;
  };
  [[nodiscard]] Status init(std::uint64_t capacity, std::uint8_t size_change, std::uint8_t cost) const {
    if (const auto t = calls_.init(calls_.ctx, capacity, size_change, cost); t != 0) [[unlikely]] return trap("init", t);
    return {};
  }
  // The record request { id, size }; true on a hit.
  [[nodiscard]] Result<bool> access(std::uint64_t id, std::uint64_t size) const {
    std::uint8_t hit = 0;
    if (const auto t = calls_.access(calls_.ctx, id, size, &hit); t != 0) [[unlikely]] return trap("access", t);
    return hit != 0;
  }
  [[nodiscard]] Result<Stats> stats() const;

 private:
  friend class ComponentInstance;
  PolicyWorld(const ComponentInstance& owner, component_detail::PolicyCalls calls) : owner_(&owner), calls_(calls) {}
  [[nodiscard]] tl::unexpected<Error> trap(std::string_view export_name, std::uint8_t trap) const;
  const ComponentInstance* owner_;
  component_detail::PolicyCalls calls_;
};

enum class World : std::uint8_t { micro = 0, policy = 1 };
[[nodiscard]] std::string_view to_string(World world) noexcept;

// One instance of a component (its own store). A trap poisons it, as the component model says:
// later calls fail too; make a fresh instance.
class ComponentInstance {
 public:
  virtual ~ComponentInstance() = default;
  ComponentInstance(const ComponentInstance&) = delete;
  ComponentInstance& operator=(const ComponentInstance&) = delete;

  [[nodiscard]] const std::string& component_name() const noexcept { return name_; }
  [[nodiscard]] double instantiate_seconds() const noexcept { return instantiate_seconds_; }

  // The world's exports, resolved and type-checked once (missing_export, signature_mismatch when
  // the component does not export that world). Valid while the instance lives.
  [[nodiscard]] Result<MicroWorld> micro();
  [[nodiscard]] Result<PolicyWorld> policy();

  // Text for the last trapped or failed call that the engine captured ("" when none).
  [[nodiscard]] virtual std::string last_error_detail() const { return {}; }

 protected:
  explicit ComponentInstance(std::string name) : name_(std::move(name)) {}
  // Fills `calls` (a MicroCalls or PolicyCalls, by world).
  [[nodiscard]] virtual Status resolve(World world, void* calls) = 0;

 private:
  friend class Component;
  std::string name_;
  double instantiate_seconds_ = 0;
};

// A compiled component.
class Component {
 public:
  virtual ~Component() = default;
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] double compile_seconds() const noexcept { return compile_seconds_; }

  // A fresh instance (the reactor's _initialize, which wasm-tools made the component's start,
  // runs in it). Timed.
  [[nodiscard]] Result<std::unique_ptr<ComponentInstance>> instantiate();

 protected:
  explicit Component(std::string name) : name_(std::move(name)) {}
  [[nodiscard]] virtual Result<std::unique_ptr<ComponentInstance>> do_instantiate() = 0;

 private:
  friend class Engine;
  std::string name_;
  double compile_seconds_ = 0;
};

}  // namespace wasmhop
