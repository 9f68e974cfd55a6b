#include "suite/report_builder.hpp"

#include <chrono>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/micro_summary.hpp"
#include "report/sim_ratios.hpp"
#include "report/sim_summary.hpp"
#include "report/suite_report.hpp"
#include "run/child.hpp"
#include "run/program.hpp"
#include "suite/build_info.hpp"
#include "suite/study.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status write_text(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
  }
  fs::rename(tmp, p, ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("cannot write '{}': {}", p.string(), ec.message()));
  return {};
}

// The study's records, summarized: summaries and checks computed and written to OUT/report
// (figures not drawn yet).
Result<report::SuiteData> summarize(Study study, const fs::path& out_in) {
  std::error_code ec;
  fs::create_directories(out_in / "report", ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("cannot create '{}': {}", (out_in / "report").string(), ec.message()));
  report::SuiteData d = std::move(study.data);
  d.dir = fs::canonical(out_in, ec);
  const fs::path dir = d.dir;
  const auto& micro = study.micro;
  const auto& sim = study.sim;
  d.micro_records = micro.size();
  d.sim_records = sim.size();
  d.micro = report::summarize_micro(micro);
  d.sim = report::summarize_sim(sim);
  d.check_sample = report::check_counts(sim, "check");
  d.check_time = report::check_counts(sim, "time");

  // Summaries next to the report.
  if (!d.micro.empty()) {
    if (auto st = report::write_summary_csv(dir / "report" / "micro_summary.csv", d.micro); !st) return tl::unexpected(st.error());
    if (auto st = report::write_summary_json(dir / "report" / "micro_summary.json", d.micro); !st) return tl::unexpected(st.error());
  }
  // sim_summary.csv and sim_ratios.csv: every number tools/plot_sim.py and tools/plot_suite.py draw.
  if (auto st = report::write_sim_summaries(dir / "report", d.sim); !st) return tl::unexpected(st.error());
  return d;
}

// The plot jobs: micro figures from micro_summary.json, one job per figure family (plot_micro.py
// --only); one plot_sim.py job per host build's timed runs and per trace's hit-rate sweep; one
// plot_suite.py job per host build; all on the C++ summaries. run_parallel runs as many at once as
// there are processors, in this order: the slowest first, so that the processors share the work
// (matplotlib's layout of the larger grids takes seconds each).
struct PlotJobs {
  std::vector<std::vector<std::string>> cmds;
  std::vector<fs::path> logs;
  void add(std::vector<std::string> cmd, fs::path log) {
    cmds.push_back(std::move(cmd));
    logs.push_back(std::move(log));
  }
};

PlotJobs plot_jobs(const report::SuiteData& d) {
  const fs::path dir = d.dir, figs = dir / "report" / "figures";
  const json params = d.suite.value("params", json::object());
  const std::string python = run::find_program("python3").empty() ? "/usr/bin/python3" : run::find_program("python3");
  const std::string tools = build_info().value("tools_dir", std::string("tools"));
  std::set<std::pair<std::string, std::string>> sim_sets;  // (purpose, host build or trace)
  for (const auto& g : d.sim) {
    if (g.purpose == "time") sim_sets.emplace(g.purpose, g.host_build);
    if (g.purpose == "sweep") sim_sets.emplace(g.purpose, g.trace);
  }
  PlotJobs jobs;
  // The report embeds the all-engine grids; per-engine charts are `tools/plot_micro.py` away.
  auto micro = [&](std::initializer_list<const char*> families) {
    if (d.micro.empty()) return;
    std::vector<std::string> c{python, tools + "/plot_micro.py", (dir / "report" / "micro_summary.json").string(),
                               "--out", (figs / "micro").string(), "--formats", "png", "--dpi", "110",
                               "--no-per-engine"};
    for (const char* f : families) c.insert(c.end(), {"--only", f});
    jobs.add(std::move(c), dir / "logs" / fmt::format("report-plot_micro-{}.log", *families.begin()));
  };
  micro({"payload"});
  for (const auto& [purpose, build] : sim_sets) {
    if (purpose != "time") continue;
    jobs.add({python, tools + "/plot_suite.py", (dir / "report" / "sim_summary.csv").string(), "--out",
              (figs / "suite").string(), "--dpi", "110", "--host-build", build},
             dir / "logs" / ("report-plot_suite-" + build + ".log"));
  }
  micro({"across"});
  micro({"fig3_4"});
  micro({"fig5"});
  micro({"batch", "directions", "canonical"});
  for (const auto& [purpose, which] : sim_sets) {
    const std::string stem = purpose + "-" + which;
    std::vector<std::string> c{python, tools + "/plot_sim.py", (dir / "report" / "sim_summary.csv").string(),
                               "--purpose", purpose, purpose == "time" ? "--host-build" : "--trace", which,
                               "--out", (figs / stem).string(), "--formats", "png", "--dpi", "110"};
    // The report embeds the ratio figure; the time charts are `tools/plot_sim.py` away.
    if (purpose == "time") {
      c.insert(c.end(), {"--cache-size", params.value("sim_cache", std::string("4MiB")), "--no-time-figures"});
    }
    jobs.add(std::move(c), dir / "logs" / ("report-plot_sim-" + stem + ".log"));
  }
  return jobs;
}

// The figures the plot jobs drew, by the names the report document embeds them under.
void collect_figures(report::SuiteData& d) {
  const fs::path figs = d.dir / "report" / "figures";
  const auto builds = d.suite.value("params", json::object()).value("builds", std::vector<std::string>{});
  std::error_code ec;
  auto add = [&](const std::string& key, const fs::path& p) {
    if (fs::exists(p, ec)) d.figures[key] = p;
  };
  auto add_match = [&](const std::string& key, const fs::path& folder, const std::string& prefix) {
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".png") d.figures[key] = entry.path();
    }
  };
  for (const char* n : {"fig3_4_all_engines", "fig5_all_engines", "configs_across_engines"}) {
    add(std::string("micro.") + n, figs / "micro" / (std::string(n) + ".png"));
  }
  for (const auto& b : builds) {
    for (const char* n : {"batch_sweep_", "payload_sweep_", "payload_throughput_", "hop_directions_",
                          "canonical_vs_handrolled_"}) {
      add("micro." + std::string(n) + b, figs / "micro" / (n + b + ".png"));
    }
    add("time." + b + ".fig7_ci", figs / "suite" / ("fig7_ci_" + b + ".png"));
    add_match("time." + b + ".ratio", figs / ("time-" + b), "ratio_");
  }
  for (const std::string trace : {"workload", "paper-trace"}) {
    add_match("sweep." + trace + ".fig6_hit_rate", figs / ("sweep-" + trace), "fig6_hit_rate");
  }
}

void draw_figures(report::SuiteData& d, std::FILE* out, ReportFiles& files) {
  std::error_code ec;
  fs::remove_all(d.dir / "report" / "figures", ec);  // stale figures of an earlier report must not survive
  const PlotJobs jobs = plot_jobs(d);
  fmt::print(out, "report: drawing figures ({} plot jobs)\n", jobs.cmds.size());
  std::fflush(out);
  const auto status = run::run_parallel(jobs.cmds, jobs.logs);
  for (std::size_t i = 0; i < status.size(); ++i) {
    if (status[i] != 0) {
      files.notes.push_back(fmt::format("{} exited with status {} (see {})",
                                        fs::path(jobs.cmds[i][1]).filename().string(), status[i],
                                        jobs.logs[i].string()));
    }
  }
  collect_figures(d);
  files.figures = d.figures.size();
}

}  // namespace

Result<ReportFiles> build_report(const std::vector<fs::path>& dirs, const fs::path& out_dir, const ReportOptions& o) {
  std::FILE* out = o.out_stream ? o.out_stream : stderr;
  const auto t0 = std::chrono::steady_clock::now();
  ReportFiles files;
  auto data = read_study(dirs, files.notes).and_then([&](Study s) { return summarize(std::move(s), out_dir); });
  if (!data) return tl::unexpected(data.error());
  report::SuiteData& d = *data;
  if (o.plots) draw_figures(d, out, files);
  const report::Doc doc = report::make_suite_report(d);
  files.findings = report::compute_findings(d);
  files.markdown = d.dir / "report.md";
  files.html = d.dir / "report.html";
  if (auto st = write_text(files.markdown, report::to_markdown(doc, d.dir)); !st) return tl::unexpected(st.error());
  auto html = report::to_html(doc);
  if (!html) return tl::unexpected(html.error());
  if (auto st = write_text(files.html, *html); !st) return tl::unexpected(st.error());
  for (const auto& n : files.notes) fmt::print(out, "report: note: {}\n", n);
  fmt::print(out, "report: {} micro records, {} simulator records, {} figures ({:.1f} s)\n", d.micro_records,
             d.sim_records, files.figures, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::fflush(out);
  return files;
}

}  // namespace wasmhop::suite
