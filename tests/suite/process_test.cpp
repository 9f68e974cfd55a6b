// The suite's child processes: a child past its time limit is killed and reported as timed out
// (a runaway script in an engine that cannot stop a call in-process must not hang the suite); a
// child that finishes in time is not; a stop request stops a child.
#include <signal.h>

#include <chrono>

#include <gtest/gtest.h>

#include "suite/process.hpp"

namespace wasmhop::suite {
namespace {

using namespace std::chrono_literals;

TEST(RunLogged, KillsAChildPastItsTimeLimit) {
  ChildOptions o;
  o.timeout = 300ms;
  auto r = run_logged({"/bin/sh", "-c", "sleep 30"}, o);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->stopped);
  EXPECT_NE(r->exit_status, 0);
  EXPECT_LT(r->wall_s, 10.0);  // SIGTERM ends sleep at once; SIGKILL would come after 3 s
}

TEST(RunLogged, KillsAChildThatIgnoresSigterm) {
  ChildOptions o;
  o.timeout = 200ms;
  auto r = run_logged({"/bin/sh", "-c", "trap '' TERM; while :; do :; done"}, o);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->exit_status, 128 + SIGKILL);
}

TEST(RunLogged, AChildInTimeIsNotTimedOut) {
  ChildOptions o;
  o.timeout = 20s;
  auto r = run_logged({"/bin/sh", "-c", "exit 3"}, o);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_status, 3);
}

TEST(RunLogged, AStopRequestStopsTheChild) {
  install_stop_handlers();
  ChildOptions o;
  o.on_tick = [](double) { raise(SIGINT); };
  o.tick = 50ms;
  auto r = run_logged({"/bin/sh", "-c", "sleep 30"}, o);
  const int sig = stop_requested();
  clear_stop_request();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(sig, SIGINT);
  EXPECT_TRUE(r->stopped);
  EXPECT_FALSE(r->timed_out);
}

TEST(RunLogged, AMissingProgramIsAnError) {
  auto r = run_logged({"/nonexistent/program"}, ChildOptions{});
  if (r) EXPECT_EQ(r->exit_status, 127);  // exec failed in the child
}

}  // namespace
}  // namespace wasmhop::suite
