// wasmhop_report_summarize RECORDS.jsonl OUT_DIR: the records-file -> micro summary path as a small program,
// used by the plot smoke test (tests/report/plot_smoke_test.py) to produce micro_summary.json from C++.
// wasmhop_report_summarize --sim SIM.json OUT_DIR: `wasmhop sim --json` rows -> OUT_DIR/sim_summary.csv and
// sim_ratios.csv (what `wasmhop sim --out` writes), for tests/simscript/plot_sim_smoke_test.py.
#include <cstdio>
#include <fstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/micro_summary.hpp"
#include "report/sim_ratios.hpp"

namespace {

int summarize_sim_file(const char* json_path, const char* out_dir) {
  std::ifstream in(json_path);
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("records")) {
    fmt::print(stderr, "error: {}: not a `wasmhop sim --json` file\n", json_path);
    return 1;
  }
  std::vector<wasmhop::run::SimRecord> rows;
  for (const auto& j : doc["records"]) {
    auto row = wasmhop::run::sim_record_from_row(j);
    if (!row) {
      fmt::print(stderr, "error: {}: {}\n", json_path, row.error().describe());
      return 1;
    }
    rows.push_back(std::move(*row));
  }
  if (auto st = wasmhop::report::write_sim_summaries(out_dir, wasmhop::report::summarize_sim(rows)); !st) {
    fmt::print(stderr, "error: {}\n", st.error().describe());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--sim") return summarize_sim_file(argv[2], argv[3]);
  if (argc != 3) {
    std::fputs("usage: wasmhop_report_summarize RECORDS.jsonl OUT_DIR | --sim SIM.json OUT_DIR\n", stderr);
    return 2;
  }
  auto files = wasmhop::report::summarize_records_file(argv[1], argv[2]);
  if (!files) {
    fmt::print(stderr, "error: {}\n", files.error().describe());
    return 1;
  }
  for (const auto& m : files->malformed) fmt::print(stderr, "{}:{}: skipped: {}\n", argv[1], m.line, m.message);
  fmt::print("{}", files->console);
  fmt::print("{}\n{}\n", files->csv.string(), files->json.string());
  return 0;
}
