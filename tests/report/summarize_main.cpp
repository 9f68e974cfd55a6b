// wasmhop_report_summarize RECORDS.jsonl OUT_DIR: the records-file -> summary path as a small program, used
// by the plot smoke test (tests/report/plot_smoke_test.py) to produce a summary CSV from C++.
#include <cstdio>

#include <fmt/format.h>

#include "report/micro_summary.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: wasmhop_report_summarize RECORDS.jsonl OUT_DIR\n", stderr);
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
