#include "suite/report_builder.hpp"

#include <chrono>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/micro_summary.hpp"
#include "report/records.hpp"
#include "report/sim_ratios.hpp"
#include "report/sim_summary.hpp"
#include "report/suite_report.hpp"
#include "suite/json_files.hpp"
#include "suite/build_info.hpp"
#include "suite/journal.hpp"
#include "suite/plan.hpp"
#include "suite/process.hpp"

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

}  // namespace

Result<report::SuiteData> load_suite_data(const fs::path& dir_in, std::vector<std::string>& notes) {
  std::error_code ec;
  if (!fs::is_directory(dir_in, ec)) {
    return fail(ErrorKind::invalid_argument, fmt::format("'{}' is not a directory", dir_in.string()));
  }
  const fs::path dir = fs::canonical(dir_in, ec);
  report::SuiteData d;
  d.dir = dir;
  auto sj = read_json_file(dir / "suite.json");
  if (!sj) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' holds no readable suite.json (not a suite results directory)", dir.string()));
  }
  d.suite = *sj;
  auto plan = plan_from_json(d.suite);
  if (!plan) return tl::unexpected(plan.error());
  if (auto env = read_json_file(dir / "environment.json")) {
    d.environment = *env;
  } else {
    notes.push_back("no environment.json");
    d.environment = json::object();
  }
  auto journal = read_journal(dir / "journal.jsonl");
  if (!journal) return tl::unexpected(journal.error());
  d.wall_s = journal->wall_s;
  d.sessions = journal->suite_starts;

  std::vector<report::MicroRecord> micro;
  std::vector<report::SimRow> sim;
  for (const auto& s : plan->steps) {
    report::StepStatus st;
    st.id = s.id;
    st.kind = to_string(s.kind);
    if (auto it = journal->steps.find(s.id); it != journal->steps.end()) {
      st.done = it->second.done;
      st.failed = it->second.failed;
      st.attempts = it->second.attempts;
      st.wall_s = it->second.wall_s;
      st.cpu_s = it->second.cpu_s;
      st.records = it->second.records;
      st.message = it->second.message;
    }
    d.steps.push_back(st);
    if (!st.done) continue;  // only complete steps count
    const fs::path file = dir / "records" / (s.id + ".jsonl");
    auto lines = report::read_jsonl(file, {.skip_malformed = true});
    if (!lines) {
      notes.push_back(fmt::format("{}: {}", s.id, lines.error().message));
      continue;
    }
    for (const auto& m : lines->malformed) notes.push_back(fmt::format("{}:{}: {}", file.string(), m.line, m.message));
    for (const auto& r : lines->records) {
      const std::string kind = r.value("kind", std::string("micro"));
      if (kind == "micro") {
        auto mr = report::to_micro_record(r);
        if (mr) {
          micro.push_back(std::move(*mr));
        } else {
          notes.push_back(fmt::format("{}: {}", s.id, mr.error().message));
        }
      } else if (kind == "sim") {
        auto sr = report::to_sim_row(r);
        if (sr) {
          sim.push_back(std::move(*sr));
        } else {
          notes.push_back(fmt::format("{}: {}", s.id, sr.error().message));
        }
      } else if (kind == "workload") {
        d.workloads.push_back(r);
      }
    }
  }
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

Result<ReportFiles> build_report(const fs::path& dir_in, const ReportOptions& o) {
  std::FILE* out = o.out_stream ? o.out_stream : stderr;
  const auto t0 = std::chrono::steady_clock::now();
  ReportFiles files;
  auto data = load_suite_data(dir_in, files.notes);
  if (!data) return tl::unexpected(data.error());
  report::SuiteData& d = *data;
  const fs::path dir = d.dir;
  const fs::path figs = dir / "report" / "figures";
  const json params = d.suite.value("params", json::object());
  const auto builds = params.value("builds", std::vector<std::string>{});

  if (o.plots) {
    const std::string python = find_program("python3").empty() ? "/usr/bin/python3" : find_program("python3");
    const std::string tools = build_info().value("tools_dir", std::string("tools"));
    std::vector<std::vector<std::string>> cmds;
    std::vector<fs::path> logs;
    std::error_code ec;
    fs::remove_all(figs, ec);  // stale figures of an earlier report must not survive
    // Micro: the summary of every completed micro step's records.
    if (!d.micro.empty()) {
      std::vector<std::string> c{python, tools + "/plot_micro.py", (dir / "report" / "micro_summary.json").string()};
      // The report embeds the all-engine grids; per-engine charts are `tools/plot_micro.py` away.
      c.insert(c.end(), {"--out", (figs / "micro").string(), "--formats", "png", "--dpi", "110", "--no-per-engine"});
      cmds.push_back(std::move(c));
      logs.push_back(dir / "logs" / "report-plot_micro.log");
    }
    // One plot_sim.py job per host build's timed runs and per trace's hit-rate sweep, on the C++ summaries.
    std::set<std::pair<std::string, std::string>> sim_sets;  // (purpose, host build or trace)
    for (const auto& g : d.sim) {
      if (g.purpose == "time") sim_sets.emplace(g.purpose, g.host_build);
      if (g.purpose == "sweep") sim_sets.emplace(g.purpose, g.trace);
    }
    for (const auto& [purpose, which] : sim_sets) {
      const std::string stem = purpose + "-" + which;
      std::vector<std::string> c{python, tools + "/plot_sim.py", (dir / "report" / "sim_summary.csv").string(),
                                 "--purpose", purpose, purpose == "time" ? "--host-build" : "--trace", which,
                                 "--out", (figs / stem).string(), "--formats", "png", "--dpi", "110"};
      if (purpose == "time") c.insert(c.end(), {"--cache-size", params.value("sim_cache", std::string("4MiB"))});
      cmds.push_back(std::move(c));
      logs.push_back(dir / "logs" / ("report-plot_sim-" + stem + ".log"));
    }
    cmds.push_back({python, tools + "/plot_suite.py", (dir / "report" / "sim_summary.csv").string(), "--out",
                    (figs / "suite").string(), "--dpi", "110"});
    logs.push_back(dir / "logs" / "report-plot_suite.log");
    fmt::print(out, "report: drawing figures ({} plot jobs)\n", cmds.size());
    std::fflush(out);
    const auto status = run_parallel(cmds, logs);
    for (std::size_t i = 0; i < status.size(); ++i) {
      if (status[i] != 0) {
        files.notes.push_back(fmt::format("{} exited with status {} (see {})", fs::path(cmds[i][1]).filename().string(),
                                          status[i], logs[i].string()));
      }
    }
    auto add = [&](const std::string& key, const fs::path& p) {
      if (fs::exists(p, ec)) d.figures[key] = p;
    };
    for (const char* n : {"fig3_4_all_engines", "fig5_all_engines", "configs_across_engines"}) {
      add(std::string("micro.") + n, figs / "micro" / (std::string(n) + ".png"));
    }
    for (const auto& b : builds) {
      add("micro.batch_sweep_" + b, figs / "micro" / ("batch_sweep_" + b + ".png"));
      add("micro.payload_sweep_" + b, figs / "micro" / ("payload_sweep_" + b + ".png"));
      add("micro.payload_throughput_" + b, figs / "micro" / ("payload_throughput_" + b + ".png"));
      add("micro.hop_directions_" + b, figs / "micro" / ("hop_directions_" + b + ".png"));
      add("micro.canonical_vs_handrolled_" + b, figs / "micro" / ("canonical_vs_handrolled_" + b + ".png"));
      add("time." + b + ".fig7_ci", figs / "suite" / ("fig7_ci_" + b + ".png"));
      for (const auto& entry : fs::directory_iterator(figs / ("time-" + b), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("ratio_", 0) == 0 && entry.path().extension() == ".png") d.figures["time." + b + ".ratio"] = entry.path();
      }
    }
    for (const char* trace : {"workload", "paper-trace"}) {
      for (const auto& entry : fs::directory_iterator(figs / (std::string("sweep-") + trace), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("fig6_hit_rate", 0) == 0 && entry.path().extension() == ".png") {
          d.figures[std::string("sweep.") + trace + ".fig6_hit_rate"] = entry.path();
        }
      }
    }
    files.figures = d.figures.size();
  }

  const report::Doc doc = report::make_suite_report(d);
  files.findings = report::compute_findings(d);
  files.markdown = dir / "report.md";
  files.html = dir / "report.html";
  if (auto st = write_text(files.markdown, report::to_markdown(doc, dir)); !st) return tl::unexpected(st.error());
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
