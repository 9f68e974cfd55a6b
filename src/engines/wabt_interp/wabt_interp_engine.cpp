// wabt-interp: wabt's interpreter (libwabt 1.0.32), driven through its C++ API.
//
// compile      ReadBinaryInterp (decode + validate + translate to wabt's instruction stream)
//              into a ModuleDesc, shared read-only by the module and every instance made from it.
// instantiate  an instance of its own (interp::Store and interp::Thread) per instance, its start
//              function run on that Thread: wabt_instance.cpp, which also says how exports are
//              called, how imports are bound and how traps are reported.
//
// libwabt 1.0.32 has a call_indirect bug that lets the interpreter carry on after a failed call;
// guarded_call.hpp says what it is and how every call (wabt_instance.cpp) avoids it.
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <wabt/binary-reader.h>
#include <wabt/config.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include "engines/factories.hpp"
#include "engines/wabt_interp/wabt_instance.hpp"
#include "engines/wabt_interp/wabt_types.hpp"

namespace wasmhop {
namespace {

namespace wi = ::wabt::interp;
using wabt_interp::engine_features;
using wabt_interp::format_errors;
using wabt_interp::to_functype;

class WabtModule final : public Module {
 public:
  WabtModule(std::string name, std::shared_ptr<const wi::ModuleDesc> desc)
      : Module(std::move(name)), desc_(std::move(desc)) {
    for (const auto& e : desc_->exports) {
      ExportDesc d;
      d.name = e.type.name;
      switch (e.type.type->kind) {
        case wabt::ExternalKind::Func: {
          const auto* ft = wabt::cast<wi::FuncType>(e.type.type.get());
          d.kind = to_functype(*ft, d.type) ? ExportKind::function : ExportKind::other;
          break;
        }
        case wabt::ExternalKind::Memory: d.kind = ExportKind::memory; break;
        case wabt::ExternalKind::Table: d.kind = ExportKind::table; break;
        case wabt::ExternalKind::Global: d.kind = ExportKind::global; break;
        default: d.kind = ExportKind::other; break;
      }
      exports_.push_back(std::move(d));
    }
  }

 protected:
  Result<std::unique_ptr<Instance>> do_instantiate() override {
    return wabt_interp::instantiate(*desc_, bound_imports(), name(), instantiate_timeout());
  }

 private:
  std::shared_ptr<const wi::ModuleDesc> desc_;
};

class WabtEngine final : public Engine {
 public:
  WabtEngine() {
    info_.id = "wabt-interp";
    info_.name = "wabt";
    info_.version = WABT_VERSION_STRING;
    info_.tier = "interpreter";
    info_.description = "wabt's interpreter (libwabt): a stack machine over wabt's own instruction stream";
    info_.caps.interpreter = true;
    info_.caps.traps_recoverable = true;
    info_.caps.interruptible = true;  // a time limit checked between instruction slices
    info_.caps.any_thread = true;     // a store per instance
    info_.caps.host_functions = true;  // interp::HostFunc per import (imports.hpp)
  }

  const EngineInfo& info() const noexcept override { return info_; }

 protected:
  Result<std::unique_ptr<Module>> do_compile(std::span<const std::uint8_t> wasm,
                                             std::string_view name) override {
    try {
      const wabt::ReadBinaryOptions options(engine_features(), /*log_stream=*/nullptr,
                                            /*read_debug_names=*/false,
                                            /*stop_on_first_error=*/true,
                                            /*fail_on_custom_section_error=*/false);
      wabt::Errors errors;
      auto desc = std::make_shared<wi::ModuleDesc>();
      const std::string filename(name);
      // wabt's reader takes a pointer; an empty span may have none.
      static const std::uint8_t kEmpty = 0;
      const void* data = wasm.empty() ? static_cast<const void*>(&kEmpty) : wasm.data();
      if (wabt::Failed(wi::ReadBinaryInterp(filename, data, wasm.size(), options, &errors,
                                            desc.get()))) {
        return fail(ErrorKind::malformed_module,
                    fmt::format("module '{}': {}", name, format_errors(errors)));
      }
      return std::unique_ptr<Module>(
          std::make_unique<WabtModule>(std::string(name), std::move(desc)));
    } catch (const std::exception& e) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': wabt threw while reading it: {}", name, e.what()));
    }
  }

 private:
  EngineInfo info_;
};

}  // namespace

Result<std::unique_ptr<Engine>> make_wabt_interp_engine() {
  return std::unique_ptr<Engine>(std::make_unique<WabtEngine>());
}

}  // namespace wasmhop
