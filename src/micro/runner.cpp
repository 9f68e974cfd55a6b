#include "micro/runner.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "micro/canonical.hpp"
#include "micro/configs.hpp"
#include "micro/hostcall.hpp"
#include "micro/sweeps.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::micro {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

run::MicroRecord base_record(const EngineInfo& info, const MicroOptions& o, const char* experiment) {
  run::MicroRecord r;
  static_cast<run::RecordHeader&>(r) = run::make_header(o.run_id, o.step);
  r.experiment = experiment;
  r.engine = info.id;
  r.engine_name = info.name;
  r.engine_version = info.version;
  r.tier = info.tier;
  return r;
}

void set_times(run::MicroRecord& r, std::int64_t calls, double loop_s, double compile_s, double instantiate_s) {
  r.calls = static_cast<std::uint64_t>(calls);
  r.set_loop(loop_s);
  r.compile_s = compile_s;
  r.instantiate_s = instantiate_s;
}

Result<Fresh> fresh_instance(Engine& engine, const std::filesystem::path& wasm) {
  auto module = engine.load(wasm);
  if (!module) return tl::unexpected(module.error());
  return fresh_instance(**module);
}

Result<Fresh> fresh_instance(Module& module) {
  Fresh f;
  f.compile_s = module.compile_seconds();
  auto inst = module.instantiate();
  if (!inst) return tl::unexpected(inst.error());
  f.instantiate_s = (*inst)->instantiate_seconds();
  f.instance = std::move(*inst);
  return f;
}

namespace {

// One replication of one Table 1 configuration, on a fresh instance (none for the native
// baseline): its checked record.
Result<run::MicroRecord> table1_record(Engine& engine, const MicroOptions& o, const Config& c, int rep) {
  const EngineInfo& info = engine.info();
  Fresh f;
  if (c.index != 0) {
    auto fr = fresh_instance(engine, o.guest_dir / "micro.wasm");
    if (!fr) return tl::unexpected(fr.error());
    f = std::move(*fr);
  }
  auto failed = [&](const Error& e) { return fail(e.kind, fmt::format("{} on {}: {}", c.name, info.id, e.describe()), e.trap); };
  // Every call still returns its own Result under the scope (wasmhop/trap_scope.hpp).
  std::optional<TrapScope> scope;
  if (f.instance != nullptr && !c.per_call_guard) scope.emplace(*f.instance);
  // Warm-up on the same instance: tiering, caches, page faults.
  if (auto w = c.loop(f.instance.get(), std::max<std::int64_t>(o.calls / 10, 100)); !w) return failed(w.error());
  const auto t0 = Clock::now();
  auto r = c.loop(f.instance.get(), o.calls);
  const double loop_s = since(t0);
  const char* guard = f.instance == nullptr       ? "none"
                      : scope && scope->armed()   ? "scope"
                      : info.caps.trap_scope      ? "per-call"
                                                  : "engine";
  scope.reset();
  if (!r) return failed(r.error());
  run::MicroRecord rec = base_record(info, o, "table1");
  rec.config = c.name;
  rec.config_index = c.index;
  rec.abi = c.abi;
  rec.cached = c.cached;
  rec.loading = c.loading;
  rec.memory = c.memory;
  rec.replication = static_cast<std::uint32_t>(rep);
  set_times(rec, o.calls, loop_s, f.compile_s, f.instantiate_s);
  rec.checksum = r->checksum;
  if (c.srs >= 0) rec.srs = c.srs == 1;
  // none | scope | per-call | engine (the engine turns traps into codes); a key of its own beside
  // the record's fields (MicroRecord::extra)
  rec.extra["trap_guard"] = guard;
  return rec;
}

Status run_table1(Engine& engine, const MicroOptions& o, const std::vector<const Config*>& configs,
                  const RecordSink& sink, const ProgressFn& progress) {
  std::mt19937_64 rng(o.seed);
  const std::size_t total = configs.size() * static_cast<std::size_t>(o.reps);
  std::size_t done = 0;
  // Replication-major, configuration order shuffled in each: slow drift of the machine spreads
  // over all configurations instead of biasing the ones measured last.
  for (int rep = 0; rep < o.reps; ++rep) {
    std::vector<const Config*> order = configs;
    std::shuffle(order.begin(), order.end(), rng);
    for (const Config* c : order) {
      auto rec = table1_record(engine, o, *c, rep);
      if (!rec) return tl::unexpected(rec.error());
      if (auto st = sink(*rec); !st) return st;
      progress(fmt::format("{} table1 {}", engine.info().id, c->name), ++done, total);
    }
  }
  return {};
}

}  // namespace

Status run_micro(const MicroOptions& o, const RecordSink& sink, const ProgressFn& progress) {
  auto engine = create_engine(o.engine);
  if (!engine) return tl::unexpected(engine.error());
  const EngineInfo& info = (*engine)->info();

  std::vector<const Config*> configs;
  for (const Config& c : table1_configs()) {
    if (o.configs.empty() || std::find(o.configs.begin(), o.configs.end(), c.name) != o.configs.end())
      configs.push_back(&c);
  }
  const auto is_canonical = [](const std::string& n) { return n == "canonical-scalars" || n == "canonical-record"; };
  for (const auto& name : o.configs) {
    if (!is_canonical(name) &&
        std::none_of(configs.begin(), configs.end(), [&](const Config* c) { return name == c->name; })) {
      return fail(ErrorKind::invalid_argument, fmt::format("unknown micro configuration '{}'", name));
    }
  }

  if (o.table1) {
    if (auto st = run_table1(**engine, o, configs, sink, progress); !st) return st;
  }
  const bool canonical_asked =
      o.canonical && (o.configs.empty() || std::any_of(o.configs.begin(), o.configs.end(), is_canonical));
  if (canonical_asked) {
    if (const std::string why = canonical_skip_reason(info); !why.empty()) {
      if (o.note) o.note(why);
    } else if (auto st = run_canonical(**engine, o, sink, progress); !st) {
      return st;
    }
  }
  if (o.batch) {
    if (auto st = run_batch_sweep(**engine, o, sink, progress); !st) return st;
  }
  if (o.payload) {
    if (auto st = run_payload_sweep(**engine, o, sink, progress); !st) return st;
  }
  if (o.hostcall) {
    if (auto st = run_hostcall_sweep(**engine, o, sink, progress); !st) return st;
  }
  return {};
}

}  // namespace wasmhop::micro
