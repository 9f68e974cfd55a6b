// The suite's report as a document (report_doc.hpp): findings first, then the paper's Figures 3-7
// reproduced with confidence intervals, the beyond-paper results, summary tables, and how the
// experiment ran and how to rerun it exactly. Input: SuiteData (findings.hpp), figures included.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/findings.hpp"
#include "report/report_doc.hpp"

namespace wasmhop::report {

[[nodiscard]] Doc make_suite_report(const SuiteData& data);

// Its "How this was run" section (suite_report_run.cpp): machine, toolchain, plan, the results
// directories it merges (shards), every step's time, and the commands to rerun it.
void add_how_it_ran(Doc& doc, const SuiteData& data);

// A JSON member as text: a string as is, another value dumped, `fallback` when absent or null.
[[nodiscard]] std::string json_text(const nlohmann::json& j, const char* key, const std::string& fallback = "");

}  // namespace wasmhop::report
