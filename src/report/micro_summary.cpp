#include "report/micro_summary.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>

#include <fmt/format.h>

#include "report/micro_figure_data.hpp"

namespace wasmhop::report {

using nlohmann::json;

namespace {

struct Metric {
  std::string_view name;
  const Summary GroupSummary::*member;
};

constexpr Metric kMetrics[] = {
    {"ns_per_call", &GroupSummary::ns_per_call},
    {"loop_s", &GroupSummary::loop_s},
    {"compile_s", &GroupSummary::compile_s},
    {"instantiate_s", &GroupSummary::instantiate_s},
    {"including_compile_s", &GroupSummary::including_compile_s},
    {"s_per_100k_calls", &GroupSummary::s_per_100k_calls},
    {"including_compile_s_per_100k", &GroupSummary::including_compile_s_per_100k},
    {"ns_per_record", &GroupSummary::ns_per_record},
};

constexpr std::string_view kStatNames[] = {"mean", "sd", "median", "min", "max", "ci_low", "ci_high", "ci_half"};

std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string{}; }
std::string boolean(bool b) { return b ? "true" : "false"; }

json json_number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json summary_json(const Summary& s) {
  return json{{"n", s.n},
              {"mean", json_number(s.mean)},
              {"sd", json_number(s.sd)},
              {"median", json_number(s.median)},
              {"min", json_number(s.min)},
              {"max", json_number(s.max)},
              {"t", json_number(s.t_quantile)},
              {"ci_low", json_number(s.ci_low)},
              {"ci_high", json_number(s.ci_high)},
              {"ci_half", json_number(s.ci_half_width)}};
}

Status write_text_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return fail(ErrorKind::io_error, fmt::format("{}: cannot create directory: {}", path.string(), ec.message()));
  }
  // Write to a temporary name, then rename: readers never see half a summary.
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return fail(ErrorKind::io_error, fmt::format("{}: cannot open for writing: {}", tmp.string(),
                                                   std::error_code(errno, std::generic_category()).message()));
    out << text;
    out.flush();
    if (!out) return fail(ErrorKind::io_error, fmt::format("{}: write failed", tmp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("{}: cannot rename from {}: {}", path.string(), tmp.string(), ec.message()));
  return {};
}

std::string format_ns(double v) {
  if (!std::isfinite(v)) return "nan";
  const double a = std::abs(v);
  if (a < 10) return fmt::format("{:.2f}", v);
  if (a < 100) return fmt::format("{:.1f}", v);
  return fmt::format("{:.0f}", v);
}

// Columns a UTF-8 string takes on a terminal (one per code point: enough for "±").
std::size_t display_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  }));
}

std::string pad_left(const std::string& s, std::size_t w) {
  const std::size_t d = display_width(s);
  return std::string(w > d ? w - d : 0, ' ') + s;
}

std::string row_label(const GroupSummary& g) {
  std::string label = g.key.experiment == "table1" ? fmt::format("{:>2} {}", g.key.config_index, g.key.config)
                                                   : g.key.config;
  if (g.key.batch_size) label += fmt::format("  N={}", *g.key.batch_size);
  if (g.key.payload_bytes) label += fmt::format("  {} B", *g.key.payload_bytes);
  return label;
}

}  // namespace

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

const std::vector<std::string>& summary_csv_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c{"experiment", "host_build", "engine",  "engine_name", "engine_version",
                               "tier",       "config",     "config_index", "abi",    "cached",
                               "loading",    "srs",        "memory",  "batch_size",  "payload_bytes",
                               "calls",      "n",          "runs"};
    for (const auto& m : kMetrics)
      for (auto s : kStatNames) c.push_back(fmt::format("{}_{}", m.name, s));
    for (const char* r : {"bytes_per_call", "bytes_per_s", "bytes_per_s_ci_low", "bytes_per_s_ci_high", "schema"})
      c.push_back(r);
    return c;
  }();
  return columns;
}

void write_summary_csv(std::ostream& out, std::span<const GroupSummary> groups) {
  constexpr std::string_view eol = "\r\n";
  const auto& columns = summary_csv_columns();
  for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << csv_escape(columns[i]);
  out << eol;
  for (const auto& g : groups) {
    std::vector<std::string> f{g.key.experiment,
                               g.key.host_build,
                               g.key.engine,
                               g.engine_name,
                               g.engine_version,
                               g.tier,
                               g.key.config,
                               std::to_string(g.key.config_index),
                               g.abi,
                               boolean(g.cached),
                               g.loading,
                               g.srs ? boolean(*g.srs) : std::string{},
                               g.memory,
                               g.key.batch_size ? std::to_string(*g.key.batch_size) : std::string{},
                               g.key.payload_bytes ? std::to_string(*g.key.payload_bytes) : std::string{},
                               std::to_string(g.calls),
                               std::to_string(g.ns_per_call.n),
                               std::to_string(g.runs)};
    for (const auto& m : kMetrics) {
      const Summary& s = g.*(m.member);
      for (double v : {s.mean, s.sd, s.median, s.min, s.max, s.ci_low, s.ci_high, s.ci_half_width})
        f.push_back(number(v));
    }
    f.push_back(g.bytes_per_call ? std::to_string(*g.bytes_per_call) : std::string{});
    for (double v : {g.bytes_per_s.mean, g.bytes_per_s.ci_low, g.bytes_per_s.ci_high}) f.push_back(number(v));
    f.push_back(std::to_string(kMicroSummarySchema));
    for (std::size_t i = 0; i < f.size(); ++i) out << (i ? "," : "") << csv_escape(f[i]);
    out << eol;
  }
}

Status write_summary_csv(const std::filesystem::path& path, std::span<const GroupSummary> groups) {
  std::ostringstream ss;
  write_summary_csv(ss, groups);
  return write_text_file(path, ss.str());
}

json summary_to_json(std::span<const GroupSummary> groups) {
  json arr = json::array();
  double confidence = 0.95;
  for (const auto& g : groups) {
    confidence = g.ns_per_call.confidence;
    json o{{"experiment", g.key.experiment},
           {"host_build", g.key.host_build},
           {"engine", g.key.engine},
           {"engine_name", g.engine_name},
           {"engine_version", g.engine_version},
           {"tier", g.tier},
           {"config", g.key.config},
           {"config_index", g.key.config_index},
           {"abi", g.abi},
           {"cached", g.cached},
           {"loading", g.loading},
           {"memory", g.memory},
           {"calls", g.calls},
           {"n", g.ns_per_call.n},
           {"runs", g.runs}};
    if (g.srs) o["srs"] = *g.srs;
    if (g.key.batch_size) o["batch_size"] = *g.key.batch_size;
    if (g.key.payload_bytes) o["payload_bytes"] = *g.key.payload_bytes;
    for (const auto& m : kMetrics) o[std::string(m.name)] = summary_json(g.*(m.member));
    if (g.bytes_per_call) {
      o["bytes_per_call"] = *g.bytes_per_call;
      o["bytes_per_s"] = json{{"mean", json_number(g.bytes_per_s.mean)}, {"ci_low", json_number(g.bytes_per_s.ci_low)},
                              {"ci_high", json_number(g.bytes_per_s.ci_high)}};
    }
    arr.push_back(std::move(o));
  }
  json units = json::array(), refs = json::array();
  for (const auto& u : replication_units(groups)) units.push_back(to_json(u));
  for (const auto& r : batch_references(groups)) refs.push_back(to_json(r));
  return json{{"schema", kMicroSummarySchema}, {"confidence", confidence}, {"groups", std::move(arr)},
              {"units", std::move(units)}, {"batch_reference", std::move(refs)}};
}

Status write_summary_json(const std::filesystem::path& path, std::span<const GroupSummary> groups) {
  return write_text_file(path, summary_to_json(groups).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

namespace {

// One section of the console table (experiment, host build): rows ordered by (config_index, config,
// batch, payload), columns by engine id in first-seen order.
using RowKey = std::tuple<int, std::string, std::optional<std::uint64_t>, std::optional<std::uint64_t>>;
struct ConsoleSection {
  std::map<RowKey, std::string> row_labels;
  std::vector<std::string> engines;
  std::map<std::pair<RowKey, std::string>, std::string> cells;
  std::uint64_t calls_min = UINT64_MAX, calls_max = 0;
  std::size_t n_min = SIZE_MAX, n_max = 0;
};

ConsoleSection collect_section(std::span<const GroupSummary> groups, const std::string& experiment,
                               const std::string& build) {
  ConsoleSection t;
  for (const auto& g : groups) {
    if (g.key.experiment != experiment || g.key.host_build != build) continue;
    RowKey rk{g.key.config_index, g.key.config, g.key.batch_size, g.key.payload_bytes};
    t.row_labels.emplace(rk, row_label(g));
    if (std::find(t.engines.begin(), t.engines.end(), g.key.engine) == t.engines.end()) t.engines.push_back(g.key.engine);
    const Summary& s = g.ns_per_call;
    t.cells[{rk, g.key.engine}] =
        s.has_ci() ? fmt::format("{} ±{}", format_ns(s.median), format_ns(s.ci_half_width)) : format_ns(s.median);
    if (g.calls) t.calls_min = std::min(t.calls_min, g.calls), t.calls_max = std::max(t.calls_max, g.calls);
    t.n_min = std::min(t.n_min, s.n);
    t.n_max = std::max(t.n_max, s.n);
  }
  return t;
}

std::string render_section(const ConsoleSection& t, const std::string& experiment, const std::string& build) {
  const std::string n_text = t.n_min == t.n_max ? fmt::format("{}", t.n_min) : fmt::format("{}-{}", t.n_min, t.n_max);
  const std::string calls_text = t.calls_max == 0              ? std::string("?")
                                 : t.calls_min == t.calls_max ? fmt::format("{}", t.calls_max)
                                                              : fmt::format("{}-{}", t.calls_min, t.calls_max);
  std::string out = fmt::format(
      "{} · {} host — ns per call: median ±95% CI half-width of the mean ({} replications of {} calls)\n",
      experiment, build, n_text, calls_text);
  std::size_t w0 = std::string_view("configuration").size();
  for (const auto& [rk, label] : t.row_labels) w0 = std::max(w0, display_width(label));
  std::vector<std::size_t> widths;
  for (const auto& e : t.engines) {
    std::size_t w = e.size();
    for (const auto& [rk, label] : t.row_labels)
      if (auto it = t.cells.find({rk, e}); it != t.cells.end()) w = std::max(w, display_width(it->second));
    widths.push_back(w);
  }
  out += fmt::format("{:<{}}", "configuration", w0);
  for (std::size_t i = 0; i < t.engines.size(); ++i) out += "  " + pad_left(t.engines[i], widths[i]);
  out += "\n";
  std::size_t total = w0;
  for (auto w : widths) total += 2 + w;
  out += std::string(total, '-') + "\n";
  for (const auto& [rk, label] : t.row_labels) {
    out += fmt::format("{:<{}}", label, w0);
    for (std::size_t i = 0; i < t.engines.size(); ++i) {
      auto it = t.cells.find({rk, t.engines[i]});
      out += "  " + pad_left(it == t.cells.end() ? std::string("-") : it->second, widths[i]);
    }
    out += "\n";
  }
  return out + "\n";
}

}  // namespace

std::string format_console_table(std::span<const GroupSummary> groups, const ConsoleTableOptions& options) {
  // Sections (experiment, host build) in first-seen order of the sorted groups.
  std::vector<std::pair<std::string, std::string>> sections;
  for (const auto& g : groups) {
    if (!options.experiment.empty() && g.key.experiment != options.experiment) continue;
    if (!options.host_build.empty() && g.key.host_build != options.host_build) continue;
    std::pair sec{g.key.experiment, g.key.host_build};
    if (std::find(sections.begin(), sections.end(), sec) == sections.end()) sections.push_back(sec);
  }
  std::string out;
  for (const auto& [experiment, build] : sections) {
    out += render_section(collect_section(groups, experiment, build), experiment, build);
  }
  return out;
}

Result<SummaryFiles> summarize_records_file(const std::filesystem::path& records_jsonl,
                                            const std::filesystem::path& out_dir, run::ReadOptions options) {
  return summarize_records_files({records_jsonl}, out_dir, options);
}

Result<SummaryFiles> summarize_records_files(const std::vector<std::filesystem::path>& records_jsonl,
                                             const std::filesystem::path& out_dir, run::ReadOptions options) {
  std::vector<MicroRecord> records;
  SummaryFiles files;
  for (const auto& file : records_jsonl) {
    auto read = run::read_micro_records(file, options);
    if (!read) return tl::unexpected(read.error());
    for (auto& r : read->records) records.push_back(std::move(r));
    for (auto& m : read->malformed) files.malformed.push_back(std::move(m));
  }
  if (records.empty()) {
    return fail(ErrorKind::invalid_argument, fmt::format("{}: no micro records",
                                                         records_jsonl.empty() ? std::string("(no files)")
                                                                               : records_jsonl.front().string()));
  }
  files.records = records.size();
  files.groups = summarize_micro(records);
  files.csv = out_dir / "micro_summary.csv";
  files.json = out_dir / "micro_summary.json";
  if (auto s = write_summary_csv(files.csv, files.groups); !s) return tl::unexpected(s.error());
  if (auto s = write_summary_json(files.json, files.groups); !s) return tl::unexpected(s.error());
  files.console = format_console_table(files.groups);
  return files;
}

}  // namespace wasmhop::report
