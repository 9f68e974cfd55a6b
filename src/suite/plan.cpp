#include "suite/plan.hpp"

#include <algorithm>
#include <random>

#include <fmt/format.h>

namespace wasmhop::suite {
namespace {

// The cost model, only for the time-left estimate: seconds measured on this project's 2-core machine
// (a default run with all 15 engine configurations, load ~2), per replication of the Table 1 matrix at
// 100,000 calls, per sweep set, and per simulated run of 1,000,000 requests; the Debug host runs the
// host-side layer at -O0. Classes: native, AOT, JIT, interpreter.
enum class Cls { native, aot, jit, interp };
Cls classify(const EngineEntry& e) {
  if (!e.sandboxed) return Cls::native;
  if (e.interpreter) return Cls::interp;
  if (e.aot) return Cls::aot;
  return Cls::jit;
}
double micro_rep_cost(const EngineEntry& e, bool debug) {
  static constexpr double kRelease[] = {0.03, 0.05, 0.4, 0.53};
  static constexpr double kDebug[] = {0.3, 0.43, 1.0, 0.9};
  return (debug ? kDebug : kRelease)[static_cast<int>(classify(e))];
}
double micro_sweep_cost(const EngineEntry& e, bool debug, bool quick) {
  if (quick) return (e.interpreter ? 1.5 : 0.6) * (debug ? 1.5 : 1.0);
  return (e.interpreter ? 2.5 : 3.5) * (debug ? 2.0 : 1.0);
}
double sim_run_cost(const EngineEntry& e, bool debug) {
  static constexpr double kRelease[] = {0.025, 0.05, 0.26, 2.6};
  static constexpr double kDebug[] = {0.45, 0.35, 0.9, 7.5};
  if (e.direct) return debug ? 0.3 : 0.05;
  return (debug ? kDebug : kRelease)[static_cast<int>(classify(e))];
}

// The sim's direct baseline: the policies called in the host, no engine.
const EngineEntry kDirect{.id = "native-direct", .sandboxed = false, .direct = true};

}  // namespace

const char* to_string(StepKind k) noexcept {
  switch (k) {
    case StepKind::gen: return "gen";
    case StepKind::micro: return "micro";
    case StepKind::sim_time: return "sim-time";
    case StepKind::sim_sweep: return "sim-sweep";
    case StepKind::sim_check: return "sim-check";
  }
  return "?";
}

Result<StepKind> parse_step_kind(const std::string& s) {
  for (StepKind k : {StepKind::gen, StepKind::micro, StepKind::sim_time, StepKind::sim_sweep, StepKind::sim_check}) {
    if (s == to_string(k)) return k;
  }
  return fail(ErrorKind::invalid_argument, fmt::format("unknown step kind '{}'", s));
}

const Step* Plan::find(const std::string& id) const {
  for (const auto& s : steps) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

double Plan::expected_total_s() const {
  double t = 0;
  for (const auto& s : steps) t += s.expected_s;
  return t;
}

Result<PlanParams> mode_params(const std::string& mode) {
  PlanParams p;
  p.mode = mode;
  if (mode == "default") {
    // The paper's workload: ProWGen, 1,000,000 requests to 30,000 objects.
    p.gen_args = {"--preset", "paper"};
    return p;
  }
  if (mode == "quick") {
    // Smoke-sized: the same generator parameters, 50,000 requests (1,500 objects); as in the default
    // mode, the Debug host's timed runs use the sample (here 20,000 requests).
    p.gen_args = {"--preset", "paper", "--requests", "50000"};
    p.workload_requests = 50'000;
    p.sample_requests = 20'000;
    p.micro_quick = true;
    p.micro_reps = 3;
    p.debug_micro_reps = 3;
    p.short_requests = 10'000;
    p.micro_calls = 2000;
    p.sim_reps = 2;
    p.interp_reps = 1;
    return p;
  }
  return fail(ErrorKind::invalid_argument, fmt::format("unknown suite mode '{}' (valid: default, quick)", mode));
}

std::uint64_t step_seed(std::uint64_t suite_seed, const std::string& step_id) noexcept {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : step_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  std::uint64_t z = suite_seed + h + 0x9e3779b97f4a7c15ull;  // splitmix64 finalizer
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return (z ^ (z >> 31)) % 1'000'000'007ull + 1;
}

namespace {

double per_million(std::uint64_t requests) { return static_cast<double>(requests) / 1e6; }

// One micro-benchmark step per engine on host build `build`.
void add_micro_steps(const PlanParams& p, const std::string& build, std::vector<Step>& rest) {
  const bool debug = build == "debug";
  for (const auto& e : p.engines) {
    Step s;
    s.kind = StepKind::micro;
    s.build = build;
    s.engine = e.id;
    s.id = fmt::format("micro.{}.{}", build, e.id);
    s.micro_reps = debug ? p.debug_micro_reps : p.micro_reps;
    s.micro_calls = e.interpreter ? std::max<std::int64_t>(p.micro_calls / p.interp_calls_divisor, 1000)
                                  : p.micro_calls;
    const double scale = static_cast<double>(s.micro_calls) / 1e5;
    s.expected_s = 1.0 + micro_rep_cost(e, debug) * s.micro_reps * scale * (p.micro_quick ? 1.5 : 1.0) +
                   micro_sweep_cost(e, debug, p.micro_quick);
    rest.push_back(s);
  }
}

// Timed simulator runs on host build `build`: the direct baseline and every engine through the
// ABIs, each replication a step.
void add_sim_time_steps(const PlanParams& p, const std::string& build, std::vector<Step>& rest) {
  const bool debug = build == "debug";
  // The Debug host's timed runs use the sample (a prefix of the workload) when the plan says so.
  const std::string sim_trace = debug ? p.debug_sim_trace : "workload";
  const double sim_scale = per_million(sim_trace == "sample" ? p.sample_requests : p.workload_requests);
  // Interpreters run on the short prefix; the direct baseline then runs there too.
  const bool any_interp = std::any_of(p.engines.begin(), p.engines.end(), [](const EngineEntry& e) { return e.interpreter; });
  std::vector<std::pair<EngineEntry, std::string>> sim_engines;  // engine, trace
  sim_engines.push_back({kDirect, sim_trace});
  if (any_interp) sim_engines.push_back({kDirect, "short"});
  for (const auto& e : p.engines) sim_engines.push_back({e, e.interpreter ? "short" : sim_trace});
  for (const auto& [e, trace] : sim_engines) {
    const bool direct = e.direct;
    const int reps = e.interpreter ? p.interp_reps : p.sim_reps;
    const double scale = trace == "short" ? per_million(p.short_requests) : sim_scale;
    for (int r = 1; r <= reps; ++r) {
      Step s;
      s.kind = StepKind::sim_time;
      s.build = build;
      s.engine = e.id;
      s.replication = r;
      s.trace = trace;
      if (!direct) {
        s.abis = e.interpreter ? p.interp_abis : p.sim_abis;
        if (e.component) s.abis.push_back("canonical");  // cached only: one scenario more
        s.cached = "both";
      }
      s.id = direct && trace == "short" ? fmt::format("sim-time.{}.{}.short.r{}", build, e.id, r)
                                        : fmt::format("sim-time.{}.{}.r{}", build, e.id, r);
      const double scenarios = direct ? 1.0 : 2.0 * static_cast<double>(s.abis.size());
      s.expected_s = 1.0 + sim_run_cost(e, debug) * scale * scenarios *
                               static_cast<double>(p.sim_policies.size());
      rest.push_back(s);
    }
  }
}

// Hit-rate sweeps (native; counts do not depend on the host build: the first build runs them), and
// every engine reproducing the native counts on the sample.
void add_sweep_and_check_steps(const PlanParams& p, std::vector<Step>& rest) {
  const std::string sweep_build = p.builds.empty() ? "release" : p.builds.front();
  auto sweep = [&](const char* trace, double expected_s) {
    Step s;
    s.kind = StepKind::sim_sweep;
    s.build = sweep_build;
    s.engine = kDirect.id;
    s.trace = trace;
    s.id = fmt::format("sim-sweep.{}", trace);
    s.expected_s = expected_s;
    rest.push_back(s);
  };
  sweep("workload", 1.0 + 2.0 * per_million(p.workload_requests));
  if (!p.paper_trace.empty()) sweep("paper-trace", 2.0);
  for (const auto& e : p.engines) {
    Step s;
    s.kind = StepKind::sim_check;
    s.build = sweep_build;
    s.engine = e.id;
    s.trace = e.interpreter ? "short" : "sample";
    s.abis = p.check_abis;
    s.cached = "yes";
    s.id = fmt::format("sim-check.{}", e.id);
    const double runs = static_cast<double>(p.sim_policies.size()) * 6.0;
    const double scale = per_million(e.interpreter ? p.short_requests : p.sample_requests);
    s.expected_s = 1.0 + runs * scale * (sim_run_cost(e, false) + 0.05);
    rest.push_back(s);
  }
}

}  // namespace

Plan make_plan(const PlanParams& p) {
  Plan plan;
  plan.params = p;

  Step gen;
  gen.id = "gen";
  gen.kind = StepKind::gen;
  gen.build = p.builds.empty() ? "release" : p.builds.front();
  gen.expected_s = 1.0;

  std::vector<Step> rest;
  for (const auto& build : p.builds) {
    add_micro_steps(p, build, rest);
    add_sim_time_steps(p, build, rest);
  }
  add_sweep_and_check_steps(p, rest);
  // Fisher-Yates with a fixed generator: the same seed gives the same order everywhere.
  std::mt19937_64 rng(p.seed);
  for (std::size_t i = rest.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(rest[i - 1], rest[j]);
  }
  plan.steps.push_back(gen);
  for (auto& s : rest) plan.steps.push_back(std::move(s));
  return plan;
}

nlohmann::json to_json(const Plan& plan) {
  const PlanParams& p = plan.params;
  nlohmann::json engines = nlohmann::json::array();
  for (const auto& e : p.engines) {
    engines.push_back({{"id", e.id}, {"sandboxed", e.sandboxed}, {"interpreter", e.interpreter}, {"aot", e.aot},
                       {"component", e.component}});
  }
  nlohmann::json params{{"mode", p.mode},
                        {"seed", p.seed},
                        {"suite_id", p.suite_id},
                        {"builds", p.builds},
                        {"engines", engines},
                        {"gen_args", p.gen_args},
                        {"workload_requests", p.workload_requests},
                        {"workload_file", p.workload_file},
                        {"sample_requests", p.sample_requests},
                        {"debug_sim_trace", p.debug_sim_trace},
                        {"paper_trace", p.paper_trace},
                        {"micro_reps", p.micro_reps},
                        {"debug_micro_reps", p.debug_micro_reps},
                        {"interp_calls_divisor", p.interp_calls_divisor},
                        {"short_requests", p.short_requests},
                        {"micro_calls", p.micro_calls},
                        {"micro_quick", p.micro_quick},
                        {"sim_policies", p.sim_policies},
                        {"sim_cache", p.sim_cache},
                        {"sim_abis", p.sim_abis},
                        {"sim_reps", p.sim_reps},
                        {"interp_abis", p.interp_abis},
                        {"interp_reps", p.interp_reps},
                        {"sweep_sizes", p.sweep_sizes},
                        {"check_sizes", p.check_sizes},
                        {"check_abis", p.check_abis}};
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : plan.steps) {
    nlohmann::json j{{"id", s.id}, {"kind", to_string(s.kind)}, {"build", s.build}, {"engine", s.engine},
                     {"expected_s", s.expected_s}};
    if (s.replication) j["replication"] = s.replication;
    if (s.micro_reps) j["micro_reps"] = s.micro_reps;
    if (s.micro_calls) j["micro_calls"] = s.micro_calls;
    if (!s.trace.empty()) j["trace"] = s.trace;
    if (!s.abis.empty()) {
      j["abis"] = s.abis;
      j["cached"] = s.cached;
    }
    steps.push_back(j);
  }
  return {{"schema", 1}, {"params", params}, {"steps", steps}, {"expected_total_s", plan.expected_total_s()}};
}

Result<Plan> plan_from_json(const nlohmann::json& j) {
  try {
    Plan plan;
    const auto& pj = j.at("params");
    PlanParams& p = plan.params;
    p.mode = pj.at("mode").get<std::string>();
    p.seed = pj.at("seed").get<std::uint64_t>();
    p.suite_id = pj.at("suite_id").get<std::string>();
    p.builds = pj.at("builds").get<std::vector<std::string>>();
    for (const auto& e : pj.at("engines")) {
      p.engines.push_back({e.at("id").get<std::string>(), e.at("sandboxed").get<bool>(), e.at("interpreter").get<bool>(),
                           e.value("aot", false), e.value("component", false)});
    }
    p.gen_args = pj.at("gen_args").get<std::vector<std::string>>();
    p.workload_requests = pj.at("workload_requests").get<std::uint64_t>();
    p.workload_file = pj.at("workload_file").get<std::string>();
    p.sample_requests = pj.at("sample_requests").get<std::uint64_t>();
    p.debug_sim_trace = pj.value("debug_sim_trace", std::string("workload"));
    p.paper_trace = pj.at("paper_trace").get<std::string>();
    p.micro_reps = pj.at("micro_reps").get<int>();
    p.debug_micro_reps = pj.value("debug_micro_reps", p.micro_reps);
    p.interp_calls_divisor = pj.value("interp_calls_divisor", 1);
    p.short_requests = pj.value("short_requests", std::uint64_t{0});
    p.micro_calls = pj.at("micro_calls").get<std::int64_t>();
    p.micro_quick = pj.at("micro_quick").get<bool>();
    p.sim_policies = pj.at("sim_policies").get<std::vector<std::string>>();
    p.sim_cache = pj.at("sim_cache").get<std::string>();
    p.sim_abis = pj.at("sim_abis").get<std::vector<std::string>>();
    p.sim_reps = pj.at("sim_reps").get<int>();
    p.interp_abis = pj.at("interp_abis").get<std::vector<std::string>>();
    p.interp_reps = pj.at("interp_reps").get<int>();
    p.sweep_sizes = pj.at("sweep_sizes").get<std::string>();
    p.check_sizes = pj.at("check_sizes").get<std::string>();
    p.check_abis = pj.at("check_abis").get<std::vector<std::string>>();
    for (const auto& sj : j.at("steps")) {
      Step s;
      s.id = sj.at("id").get<std::string>();
      auto kind = parse_step_kind(sj.at("kind").get<std::string>());
      if (!kind) return tl::unexpected(kind.error());
      s.kind = *kind;
      s.build = sj.at("build").get<std::string>();
      s.engine = sj.at("engine").get<std::string>();
      s.expected_s = sj.value("expected_s", 0.0);
      s.replication = sj.value("replication", 0);
      s.micro_reps = sj.value("micro_reps", 0);
      s.micro_calls = sj.value("micro_calls", std::int64_t{0});
      s.trace = sj.value("trace", std::string());
      if (sj.contains("abis")) {
        s.abis = sj.at("abis").get<std::vector<std::string>>();
        s.cached = sj.at("cached").get<std::string>();
      }
      plan.steps.push_back(std::move(s));
    }
    return plan;
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("run.json: {}", e.what()));
  }
}

}  // namespace wasmhop::suite
