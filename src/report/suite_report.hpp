// The suite's report as a document (report_doc.hpp): findings first, then the paper's Figures 3-7
// reproduced with confidence intervals, the beyond-paper results, summary tables, and how the
// experiment ran and how to rerun it exactly. Input: SuiteData (findings.hpp), figures included.
#pragma once

#include "report/findings.hpp"
#include "report/report_doc.hpp"

namespace wasmhop::report {

[[nodiscard]] Doc make_suite_report(const SuiteData& data);

}  // namespace wasmhop::report
