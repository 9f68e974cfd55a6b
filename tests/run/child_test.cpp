// src/run's child processes: a child past its time limit is killed and reported as timed out (a
// runaway script in an engine that cannot stop a call in-process must not hang a run); a child that
// finishes in time is not; a stop request stops a child; each ending becomes its error kind; the
// capturing forms return what the child printed.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run/child.hpp"
#include "run/program.hpp"
#include "run/stop.hpp"

namespace wasmhop::run {
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
  const Status st = to_status(*r);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::timeout);
  EXPECT_NE(st.error().message.find("time limit"), std::string::npos) << st.error().message;
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
  const Status st = to_status(*r);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::internal);
  EXPECT_EQ(st.error().message, "exit status 3");
}

TEST(RunLogged, ACrashIsNamed) {
  auto r = run_logged({"/bin/sh", "-c", "kill -SEGV $$"}, ChildOptions{});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->exit_status, 128 + SIGSEGV);
  const Status st = to_status(*r);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::internal);
  EXPECT_NE(st.error().message.find("signal 11"), std::string::npos) << st.error().message;
}

TEST(RunLogged, WritesTheLogAndSucceeds) {
  const auto log = std::filesystem::temp_directory_path() / ("wasmhop_run_test_" + std::to_string(getpid()) + ".log");
  std::filesystem::remove(log);
  ChildOptions o;
  o.log = log;
  auto r = run_logged({"/bin/sh", "-c", "echo out; echo err >&2"}, o);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(to_status(*r));
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "out\nerr\n");
  std::filesystem::remove(log);
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
  const Status st = to_status(*r);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::interrupted);
}

TEST(RunLogged, AMissingProgramIsAnError) {
  auto r = run_logged({"/nonexistent/program"}, ChildOptions{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::io_error);
}

TEST(Capture, ReturnsStdoutAndExitStatus) {
  auto r = run_child({"/bin/sh", "-c", "printf 'a b'; exit 4"});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->out, "a b");
  EXPECT_EQ(r->exit_status, 4);
  auto o = capture_output({"sh", "-c", "echo hi; echo no >&2"});  // found in PATH
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(*o, "hi\n");
  auto bad = capture_output({"sh", "-c", "exit 2"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("exit status 2"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(capture_output({"no-such-program-wasmhop"}));
}

TEST(Capture, TheMarkStartsTheClock) {
  // Marks once, then runs past the limit: killed. Without the limit it would sleep 30 s.
  auto r = run_child_with_timeout({"/bin/sh", "-c", "printf c >&$0; echo before; sleep 30", "{mark-fd}"}, 300ms, 5s);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->last_mark, 'c');
  EXPECT_EQ(r->child.out, "before\n");
  auto quick = run_child_with_timeout({"/bin/sh", "-c", "echo done", "{mark-fd}"}, 5s, 5s);
  ASSERT_TRUE(quick) << quick.error().describe();
  EXPECT_FALSE(quick->timed_out);
  EXPECT_EQ(quick->child.exit_status, 0);
  EXPECT_EQ(quick->child.out, "done\n");
}

TEST(Parallel, RunsAllAndReportsEachStatus) {
  const auto st = run_parallel({{"/bin/sh", "-c", "exit 0"}, {"/bin/sh", "-c", "exit 5"}, {"/nonexistent"}}, {});
  ASSERT_EQ(st.size(), 3u);
  EXPECT_EQ(st[0], 0);
  EXPECT_EQ(st[1], 5);
  EXPECT_EQ(st[2], 127);
}

// One at a time, in order: each job sees the one before it finished (its line is complete), none after.
TEST(Parallel, AtMostSoManyAtOnceInTheirOrder) {
  const auto path = std::filesystem::temp_directory_path() / ("wasmhop-parallel-" + std::to_string(getpid()));
  std::filesystem::remove(path);
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 4; ++i) {
    const std::string p = path.string();
    cmds.push_back({"/bin/sh", "-c", "printf 'start " + std::to_string(i) + " ' >> " + p + "; sleep 0.05; echo end >> " + p});
  }
  const auto st = run_parallel(cmds, {}, 1);
  ASSERT_EQ(st, (std::vector<int>{0, 0, 0, 0}));
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all, "start 0 end\nstart 1 end\nstart 2 end\nstart 3 end\n");
  std::filesystem::remove(path);
}

TEST(Program, ShellJoinQuotes) {
  EXPECT_EQ(shell_join({"a", "b c", "it's"}), "a 'b c' 'it'\\''s'");
  EXPECT_EQ(find_program("/bin/sh"), "/bin/sh");
  EXPECT_FALSE(find_program("sh").empty());
  EXPECT_TRUE(find_program("no-such-program-wasmhop").empty());
}

}  // namespace
}  // namespace wasmhop::run
