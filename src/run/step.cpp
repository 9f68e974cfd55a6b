#include "run/step.hpp"

#include <fstream>

#include "run/child.hpp"
#include "run/program.hpp"
#include "run/stop.hpp"

namespace wasmhop::run {

Result<StepEnd> run_step(Journal& journal, int attempt, const ChildStep& step) {
  if (auto st = journal.step_start(step.id, attempt, step.argv); !st) return tl::unexpected(st.error());
  if (!step.log.empty()) {
    std::ofstream log(step.log, std::ios::app);
    log << "=== " << utc_timestamp_now() << " attempt " << attempt << ": " << shell_join(step.argv) << '\n';
  }
  ChildOptions co;
  co.log = step.log;
  co.tick = step.tick;
  co.on_tick = step.on_tick;
  co.timeout = step.timeout;
  StepEnd end;
  auto outcome = run_logged(step.argv, co);
  Status st;
  if (!outcome) {
    st = tl::unexpected(outcome.error());
  } else {
    end.wall_s = outcome->wall_s;
    end.cpu_s = outcome->cpu_s;
    st = to_status(*outcome);
  }
  if (st && step.collect) {
    auto records = step.collect();
    if (records) end.records = *records;
    else st = tl::unexpected(records.error());
  }
  Status journaled;
  if (st) {
    journaled = journal.step_done(step.id, attempt, end.wall_s, end.cpu_s, end.records);
  } else if (st.error().kind == ErrorKind::interrupted) {
    end.state = StepEnd::State::interrupted;
    end.signal = stop_requested();
    end.error = st.error();
    journaled = journal.step_interrupted(step.id, attempt, end.wall_s, end.signal);
  } else {
    end.state = StepEnd::State::failed;
    end.error = st.error();
    journaled = journal.step_failed(step.id, attempt, end.wall_s, end.error);
  }
  if (!journaled) return tl::unexpected(journaled.error());
  return end;
}

}  // namespace wasmhop::run
