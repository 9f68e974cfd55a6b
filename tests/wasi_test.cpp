// The minimal WASI on every engine that loads wasm: C programs built as ordinary WASI commands
// (guest/test/wasi_*.c, a main, no guest SDK) run their `_start`, print through fd_write, read
// the clocks and random bytes, and exit through proc_exit; a WASI call it lacks is an error
// naming the call.
#include <string>

#include "engine_fixture.hpp"
#include "wasmhop/wasi.hpp"

namespace wasmhop::testing {
namespace {

class Wasi : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    if (!caps().loads_wasm) GTEST_SKIP() << "the native engine runs guest-SDK scripts, not WASI commands";
    ASSERT_TRUE(caps().host_functions) << "every engine provides host functions";
  }

  // Instantiates `guest` with WASI (output captured) and runs its `_start`.
  Status run_start(const std::string& guest) {
    auto m = load(guest);
    if (!m) return fail(ErrorKind::internal, "cannot load " + guest);
    EXPECT_TRUE(wasi::Context::needed_by(*m));
    auto inst = m->instantiate({.imports = wasi_.imports_for(*m)});
    if (!inst) return tl::unexpected(inst.error());
    return (*inst)->call_by_name<void>("_start");
  }

  std::string out_, err_;
  wasi::Context wasi_{[this](int fd, std::string_view bytes) { (fd == 1 ? out_ : err_).append(bytes); }};
};

TEST_P(Wasi, ACommandPrintsReadsClocksAndRandomAndExits) {
  auto st = run_start("wasi_hello");
  ASSERT_FALSE(st);  // proc_exit(7) does not return: the call ends
  EXPECT_NE(st.error().message.find("exited with status 7"), std::string::npos) << st.error().describe();
  EXPECT_EQ(wasi_.exit_code(), 7);
  EXPECT_EQ(out_, "hello from wasi: monotonic ok, random ok, year>2020 ok\n");
  EXPECT_EQ(err_, "to stderr\n");
}

TEST_P(Wasi, AMainReturningZeroReturnsFromStart) {
  auto st = run_start("wasi_hello0");
  ASSERT_TRUE(st) << st.error().describe();
  EXPECT_EQ(wasi_.exit_code(), std::nullopt);
  EXPECT_EQ(out_, "hello from wasi: monotonic ok, random ok, year>2020 ok\n");
}

TEST_P(Wasi, ACallItLacksIsAnErrorNamingIt) {
  auto st = run_start("wasi_files");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("wasi_snapshot_preview1.fd_prestat_get"), std::string::npos)
      << st.error().describe();
  EXPECT_NE(st.error().message.find("minimal WASI"), std::string::npos) << st.error().describe();
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(Wasi);

}  // namespace
}  // namespace wasmhop::testing
