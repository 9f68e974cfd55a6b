#include "report/suite_report.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace wasmhop::report {
namespace {

using nlohmann::json;


void figure(Doc& doc, const SuiteData& d, const std::string& key, const std::string& caption) {
  auto it = d.figures.find(key);
  if (it != d.figures.end()) doc.image(it->second, caption);
}

std::vector<std::string> builds_of(const SuiteData& d) {
  return d.suite.value("params", json::object()).value("builds", std::vector<std::string>{});
}

std::vector<std::string> engines_of(const SuiteData& d) {
  std::vector<std::string> out;
  for (const auto& e : d.suite.value("params", json::object()).value("engines", json::array())) {
    out.push_back(e.value("id", std::string()));
  }
  return out;
}

std::string cell(const Summary& s, double scale, const char* unit_fmt) {
  if (s.n == 0 || !std::isfinite(s.mean)) return "–";
  if (s.n < 2) return fmt::format(fmt::runtime(unit_fmt), s.mean * scale);
  return fmt::format(fmt::runtime(unit_fmt), s.mean * scale) + " ±" +
         fmt::format(fmt::runtime(unit_fmt), s.ci_half_width * scale);
}

std::string ns_cell(const Summary& s) {
  if (s.n == 0 || !std::isfinite(s.mean)) return "–";
  const int prec = s.mean < 10 ? 2 : (s.mean < 100 ? 1 : 0);
  if (s.n < 2) return fmt::format("{:.{}f}", s.mean, prec);
  return fmt::format("{:.{}f} ±{:.{}f}", s.mean, prec, s.ci_half_width, prec);
}

// Table 1 configurations x engines, mean ns per call ±95% CI half-width.
DocTable micro_table(const SuiteData& d, const std::string& build) {
  DocTable t;
  const auto engines = engines_of(d);
  t.header = {"#", "configuration"};
  for (const auto& e : engines) t.header.push_back(e);
  t.right.assign(t.header.size(), true);
  t.right[1] = false;
  std::vector<std::pair<int, std::string>> configs;
  for (const auto& g : d.micro) {
    if (g.key.experiment != "table1" || g.key.host_build != build) continue;
    auto p = std::make_pair(g.key.config_index, g.key.config);
    if (std::find(configs.begin(), configs.end(), p) == configs.end()) configs.push_back(p);
  }
  std::sort(configs.begin(), configs.end());
  for (const auto& [idx, cfg] : configs) {
    std::vector<std::string> row{std::to_string(idx), cfg};
    for (const auto& e : engines) {
      const GroupSummary* hit = nullptr;
      for (const auto& g : d.micro) {
        if (g.key.experiment == "table1" && g.key.host_build == build && g.key.engine == e && g.key.config == cfg) hit = &g;
      }
      row.push_back(hit ? ns_cell(hit->ns_per_call) : "–");
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Engine x scenario rows, policy columns: mean CPU seconds ±95% CI.
DocTable sim_time_table(const SuiteData& d, const std::string& build) {
  DocTable t;
  std::vector<std::string> policies =
      d.suite.value("params", json::object()).value("sim_policies", std::vector<std::string>{});
  t.header = {"engine", "scenario", "n"};
  for (const auto& p : policies) t.header.push_back(p + " (s)");
  t.right.assign(t.header.size(), true);
  t.right[0] = t.right[1] = false;
  std::vector<std::string> engines{"native-direct", "native"};
  for (const auto& e : engines_of(d)) {
    if (e != "native") engines.push_back(e);
  }
  for (const auto& e : engines) {
    std::vector<std::string> scenarios;
    for (const auto& g : d.sim) {
      if (g.purpose == "time" && g.host_build == build && g.engine == e &&
          std::find(scenarios.begin(), scenarios.end(), g.scenario) == scenarios.end()) {
        scenarios.push_back(g.scenario);
      }
    }
    for (const auto& sc : scenarios) {
      std::vector<std::string> row{e, sc, ""};
      std::size_t n = 0;
      for (const auto& pol : policies) {
        const SimGroup* hit = nullptr;
        for (const auto& g : d.sim) {
          if (g.purpose == "time" && g.host_build == build && g.engine == e && g.scenario == sc && policy_matches(g.policy, pol)) hit = &g;
        }
        if (hit) n = std::max(n, hit->cpu_s.n);
        row.push_back(hit ? cell(hit->cpu_s, 1.0, "{:.3f}") : "–");
      }
      row[2] = std::to_string(n);
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

DocTable hit_rate_table(const SuiteData& d, const std::string& trace) {
  DocTable t;
  std::vector<std::uint64_t> sizes;
  std::vector<std::string> policies;
  for (const auto& g : d.sim) {
    if (g.purpose != "sweep" || g.trace != trace || g.engine != "native-direct") continue;
    if (std::find(sizes.begin(), sizes.end(), g.cache_bytes) == sizes.end()) sizes.push_back(g.cache_bytes);
    if (std::find(policies.begin(), policies.end(), g.policy) == policies.end()) policies.push_back(g.policy);
  }
  std::sort(sizes.begin(), sizes.end());
  t.header = {"policy"};
  for (auto s : sizes) t.header.push_back(fmt_bytes(s));
  t.right.assign(t.header.size(), true);
  t.right[0] = false;
  for (const auto& p : policies) {
    std::vector<std::string> row{p};
    for (auto s : sizes) {
      std::string v = "–";
      for (const auto& g : d.sim) {
        if (g.purpose == "sweep" && g.trace == trace && g.engine == "native-direct" && g.policy == p && g.cache_bytes == s) {
          v = fmt::format("{:.2f}", 100 * g.hit_rate());
        }
      }
      row.push_back(v);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}


}  // namespace

std::string json_text(const json& j, const char* key, const std::string& fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string short_rev(const std::string& rev) { return rev.size() > 10 ? rev.substr(0, 10) : rev; }

namespace {

// The findings, most important first, and the penalty table beside them.
void findings_section(Doc& doc, const SuiteData& d) {
  const json& params = d.suite.value("params", json::object());
  const std::string build = headline_build(d);
  doc.heading(2, "Findings");
  doc.bullets(compute_findings(d));
  {
    DocTable pt = penalty_table(d, build);
    if (!pt.rows.empty()) {
      doc.paragraph(fmt::format("**Scripted / native simulator time per engine and policy** ({} host, {} cache, CPU "
                                "time; range over the paper's six scenarios: Pair, Bincode, POD static × cached / "
                                "uncached; \"best scenario\" includes the batch ABI):",
                                build, params.value("sim_cache", std::string("4MiB"))));
      doc.table(std::move(pt));
    }
  }

}

// The paper's Figures 3-7, reproduced on every engine.
void paper_figures_section(Doc& doc, const SuiteData& d) {
  const json& params = d.suite.value("params", json::object());
  const auto builds = builds_of(d);
  doc.heading(2, "The paper's figures, reproduced");
  doc.paragraph("Means with 95% confidence intervals (Student's t over the replications; each replication of the "
                "simulator is a fresh process). The paper's own configurations are wasmer-singlepass, wasmer-cranelift "
                "(its figures) and wasmer-llvm; every other engine shows where the same hop lands elsewhere. "
                "Cross-engine figures order the engines by tier kind (AOT, optimizing, dynamic, baseline, "
                "interpreter) and shade each kind.");
  figure(doc, d, "micro.fig3_4_all_engines",
         "Figures 3/4: seconds per 100,000 calls for each Table 1 configuration, every engine, Debug and Release hosts");
  figure(doc, d, "micro.fig5_all_engines",
         "Figure 5: the same including compile + instantiate time");
  figure(doc, d, "micro.configs_across_engines", "Backends side by side: each configuration on every engine (ns/call)");
  figure(doc, d, "sweep.workload.fig6_hit_rate", "Figure 6: hit rate vs cache size on the generated workload (ProWGen, paper preset)");
  figure(doc, d, "sweep.paper-trace.fig6_hit_rate", "Figure 6 on the paper's own trace");
  for (const auto& b : builds) {
    figure(doc, d, "time." + b + ".fig7_ci",
           fmt::format("Figure 7 ({} host): simulator CPU time per policy × scenario at {}, mean ± 95% CI, one panel per engine",
                       b, params.value("sim_cache", std::string("4MiB"))));
  }
  if (std::find(builds.begin(), builds.end(), "debug") != builds.end()) {
    doc.paragraph(fmt::format(
        "The Debug host compiles the host side, including its native policies and the simulator driver, at `-O0`. "
        "The guest scripts are always optimized. In Debug the native baseline is slow, so a scripted run can beat it. "
        "The Debug host's timed runs use the first {} requests of the workload.",
        params.value("sample_requests", 0)));
  }
  if (params.value("short_requests", 0) > 0) {
    doc.paragraph(fmt::format(
        "Interpreters run 10–100× slower per request: their timed runs and checks use the first {} requests "
        "(in both hosts, each compared with the native baseline on the same prefix), and their micro-benchmark "
        "replications {} calls instead of {} (every record says how many).",
        params.value("short_requests", 0),
        params.value("micro_calls", 0) / std::max(1, params.value("interp_calls_divisor", 1)),
        params.value("micro_calls", 0)));
  }
  for (const auto& b : builds) {
    figure(doc, d, "time." + b + ".ratio",
           fmt::format("Slowdown of the scripted simulator vs native ({} host), with the paper's 5–10× band", b));
  }

}

// Beyond the paper: hop directions, batch and payload sweeps, the canonical ABI.
void beyond_paper_section(Doc& doc, const SuiteData& d) {
  const auto builds = builds_of(d);
  doc.heading(2, "Beyond the paper");
  doc.paragraph("Every engine side by side (above), two sweeps the paper proposed as future work (batching "
                "records per call, and variable-length payloads through each memory-passing ABI), and the other "
                "direction of runtime scripting: the guest calling the host.");
  for (const auto& b : builds) {
    figure(doc, d, "micro.hop_directions_" + b,
           fmt::format("One hop each way ({} host): host → guest beside guest → host, per engine", b));
  }
  for (const auto& b : builds) figure(doc, d, "micro.batch_sweep_" + b, fmt::format("Batch sweep ({} host): ns per record vs records per call", b));
  for (const auto& b : builds) {
    figure(doc, d, "micro.payload_sweep_" + b, fmt::format("Payload sweep ({} host): ns per call vs payload size, per engine", b));
    figure(doc, d, "micro.payload_throughput_" + b, fmt::format("Payload sweep ({} host): throughput vs payload size, per engine", b));
  }
  for (const auto& b : builds)
    figure(doc, d, "micro.canonical_vs_handrolled_" + b,
           fmt::format("Canonical ABI vs Bincode, POD static and batch ({} host): ns per call vs bytes per call", b));

}

// The summary tables (collapsed).
void summary_tables_section(Doc& doc, const SuiteData& d) {
  const json& params = d.suite.value("params", json::object());
  const auto builds = builds_of(d);
  doc.heading(2, "Summary statistics");
  doc.paragraph("All CSV/JSON summaries are in `report/` (`micro_summary.csv/json`, `sim_summary.csv`, `sim_ratios.csv`): "
                "every number a figure shows is there, and every bar and point is labelled with it. Every figure's PNG "
                "is in `report/figures/`. Rebuild them with `wasmhop report DIR`.");
  for (const auto& b : builds) {
    doc.details_begin(fmt::format("Micro-benchmark, Table 1, {} host: ns per call, mean ±95% CI", b));
    doc.table(micro_table(d, b));
    doc.details_end();
  }
  for (const auto& b : builds) {
    std::uint64_t requests = 0;
    for (const auto& g : d.sim) {
      if (g.purpose == "time" && g.host_build == b) requests = std::max(requests, g.requests);
    }
    doc.details_begin(fmt::format("Simulator timings, {} host: CPU seconds for {} requests, mean ±95% CI", b, requests));
    doc.table(sim_time_table(d, b));
    doc.details_end();
  }
  doc.details_begin("Hit rates (%), generated workload");
  doc.table(hit_rate_table(d, "workload"));
  doc.details_end();
  if (!params.value("paper_trace", std::string()).empty()) {
    doc.details_begin("Hit rates (%), the paper's trace");
    doc.table(hit_rate_table(d, "paper-trace"));
    doc.details_end();
  }

}

}  // namespace

Doc make_suite_report(const SuiteData& d) {
  Doc doc;
  const json& params = d.suite.value("params", json::object());
  const json& env = d.environment;
  const json machine = env.value("machine", json::object());
  const json source = env.value("source", json::object());
  const std::string mode = params.value("mode", std::string("default"));

  doc.title = "wasmhop: the cost of calling WebAssembly scripts from a host";
  doc.subtitle = fmt::format(
      "Run `{}` · {} mode · {} · {}, {} cores · wall time {}{} · git {} · reproduces Hockley & Williamson, "
      "*Benchmarking Runtime Scripting Performance in Wasmer* (ICPE'22) on {} engines",
      params.value("suite_id", std::string()), mode, json_text(env, "recorded_at"), json_text(machine, "cpu_model"),
      json_text(machine, "cores_online"), fmt_seconds(d.wall_s),
      d.sessions > 1 ? fmt::format(" over {} sessions (resumed)", d.sessions) : std::string(),
      short_rev(json_text(source, "git_revision", "?")), engines_of(d).size());

  findings_section(doc, d);
  paper_figures_section(doc, d);
  beyond_paper_section(doc, d);
  summary_tables_section(doc, d);
  add_how_it_ran(doc, d);
  return doc;
}

}  // namespace wasmhop::report
