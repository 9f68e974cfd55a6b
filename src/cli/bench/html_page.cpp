#include "cli/bench/html_page.hpp"

#include <cmath>
#include <fstream>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/bench/svg_chart.hpp"
#include "report/report_doc.hpp"

namespace wasmhop::cli::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string cell(const std::optional<double>& v) { return v ? short_number(*v) : "-"; }

std::string table_html(const BenchReport& r) {
  std::string s =
      "<table>\n<tr><th>engine</th><th>tier</th><th>status</th><th>compile ms</th><th>instantiate ms</th>"
      "<th>first call &micro;s</th><th>ns/call (median)</th><th>95% CI</th><th>&times; best</th>"
      "<th>batches &times; calls</th><th>result</th></tr>\n";
  for (const auto& row : r.rows) {
    const std::string ci =
        row.ci_low_ns ? fmt::format("[{}, {}]{}", short_number(*row.ci_low_ns), short_number(*row.ci_high_ns),
                                    row.ci_reached ? "" : "*")
                      : "-";
    const std::string calls = row.calls_per_batch ? fmt::format("{} &times; {}", row.reps, row.calls_per_batch) : "-";
    s += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                     "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                     to_string(row.status), report::html_escape(row.id), report::html_escape(row.tier), to_string(row.status),
                     cell(row.compile_ms), cell(row.instantiate_ms), cell(row.first_call_us), cell(row.median_ns),
                     ci, row.ratio ? short_number(*row.ratio) : "-", calls, report::html_escape(row.outcome_text()));
    if (!row.message.empty()) {
      s += fmt::format("<tr class=\"msg\"><td></td><td colspan=\"10\">{}</td></tr>\n", report::html_escape(row.message));
    }
  }
  return s + "</table>\n";
}

BarChart per_call_chart(const BenchReport& r) {
  BarChart c{"Steady per-call time (median of the timed batches; whiskers: 95% CI of the median)", "ns", {"ns/call"}, {}};
  for (const auto& row : r.rows) {
    if (row.median_ns) c.groups.push_back({row.id, {{*row.median_ns, row.ci_low_ns, row.ci_high_ns}}});
  }
  return c;
}

BarChart phases_chart(const BenchReport& r) {
  BarChart c{"Compile and instantiate", "ms", {"compile", "instantiate"}, {}};
  for (const auto& row : r.rows) {
    if (!row.compile_ms) continue;
    c.groups.push_back({row.id, {{row.compile_ms.value_or(kNaN), {}, {}}, {row.instantiate_ms.value_or(kNaN), {}, {}}}});
  }
  return c;
}

}  // namespace

std::string html_page(const BenchReport& r) {
  const std::string call = fmt::format("{}({})", r.export_name, fmt::join(r.args, ", "));
  std::string s = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>wasmhop bench: {0} {1}</title>\n"
      "<style>body{{font:14px sans-serif;margin:24px;color:#222;max-width:1100px}} table{{border-collapse:collapse}}"
      " td,th{{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}} td:nth-child(-n+3),th:nth-child(-n+3)"
      "{{text-align:left}} tr.msg td{{text-align:left;color:#a33;font-size:12px;white-space:normal}} .bad{{color:#a33;font-weight:bold}}"
      " .good{{color:#2a7a3a}} code{{background:#f3f3f3;padding:1px 3px}}</style></head><body>\n"
      "<h1>wasmhop bench</h1>\n<p>Module <code>{0}</code>, export <code>{2}</code> of type <code>{3}</code>.</p>\n"
      "<p>Each engine ran in its own process: compile, instantiate, a first call, then {4} timed batches of N calls"
      " (N calibrated so that a batch lasts about {5} ms: slower engines make fewer calls), every result checked."
      " Per call: the median over the batches with its 95% confidence interval from order statistics.</p>\n"
      "<p class=\"{6}\">{7}</p>\n",
      report::html_escape(r.module), report::html_escape(call), report::html_escape(r.export_name), report::html_escape(r.type), r.settings.reps,
      r.settings.batch_ms, r.exit_status == 0 ? "good" : "bad", report::html_escape(r.verdict));
  s += table_html(r);
  bool partial_ci = false;
  for (const auto& row : r.rows) partial_ci = partial_ci || (row.ci_low_ns && !row.ci_reached);
  if (partial_ci) s += "<p style=\"font-size:12px\">* fewer than 6 batches: the range of all of them, not a 95% CI.</p>\n";
  s += "<h2>Per call</h2>\n" + render_svg(per_call_chart(r));
  s += "<h2>Compile and instantiate</h2>\n" + render_svg(phases_chart(r));
  return s + "</body></html>\n";
}

Status write_html(const BenchReport& r, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(ErrorKind::io_error, fmt::format("--html: cannot write '{}'", path.string()));
  out << html_page(r);
  out.flush();
  if (!out) return fail(ErrorKind::io_error, fmt::format("--html: writing '{}' failed", path.string()));
  return {};
}

}  // namespace wasmhop::cli::bench
