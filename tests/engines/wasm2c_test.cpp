// wasm2c engine specifics: the object cache (hits, directory override, corrupt entries,
// concurrent builders), the glue's corners (multi-value, odd export names, reference-typed
// exports, tables, start functions) and calls from other threads.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include "engines/wasm2c/wasm2c_engine.hpp"
#include "wabt/binary-writer.h"
#include "wabt/stream.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {
namespace {

namespace fs = std::filesystem;

// Sets an environment variable for one scope, restoring the previous value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) setenv(name, value, 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A fresh, empty cache directory per test.
class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "wasmhop-w2c-test-XXXXXX").string();
    path_ = mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::uint8_t> wat_to_wasm(std::string_view wat) {
  wabt::Errors errors;
  auto lexer = wabt::WastLexer::CreateBufferLexer("test.wat", wat.data(), wat.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::Features features;
  wabt::WastParseOptions options(features);
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &options))) {
    ADD_FAILURE() << "bad test wat";
    return {};
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(features, true, false, false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    ADD_FAILURE() << "cannot write test wasm";
    return {};
  }
  return stream.output_buffer().data;
}

std::vector<std::uint8_t> conformance_bytes() {
  auto bytes = read_file(fs::path(WASMHOP_GUEST_DIR) / "conformance.wasm");
  EXPECT_TRUE(bytes) << bytes.error().describe();
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

std::unique_ptr<Engine> wasm2c_engine() {
  auto e = create_engine("wasm2c");
  EXPECT_TRUE(e) << e.error().describe();
  return e ? std::move(*e) : nullptr;
}

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

TEST(Wasm2c, EngineInfo) {
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const EngineInfo& info = engine->info();
  EXPECT_EQ(info.id, "wasm2c");
  EXPECT_EQ(info.tier, "aot");
  EXPECT_TRUE(info.caps.aot);
  EXPECT_TRUE(info.caps.traps_recoverable);
  EXPECT_TRUE(info.caps.sandboxed);
  EXPECT_TRUE(info.caps.any_thread);  // per-instance state
  EXPECT_FALSE(info.caps.jit);
  EXPECT_NE(info.version.find("wabt 1.0."), std::string::npos) << info.version;
  EXPECT_NE(info.version.find("C compiler"), std::string::npos) << info.version;
  EXPECT_NE(info.description.find("-O2"), std::string::npos) << info.description;
}

TEST(Wasm2c, SecondLoadIsACacheHitAndFaster) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const auto bytes = conformance_bytes();

  auto cold = engine->compile(bytes, "conformance");
  ASSERT_TRUE(cold) << cold.error().describe();
  const wasm2c::ModuleInfo* ci = wasm2c::module_info(**cold);
  ASSERT_NE(ci, nullptr);
  EXPECT_FALSE(ci->cache_hit);
  EXPECT_GT(ci->translate_seconds, 0.0);
  EXPECT_GT(ci->cc_seconds, 0.0);
  EXPECT_EQ(ci->object.parent_path(), dir.path());
  EXPECT_TRUE(fs::exists(ci->object));
  EXPECT_EQ(entries(dir.path()).size(), 1u);  // the object only: no build directory left behind

  auto hit = engine->compile(bytes, "conformance");
  ASSERT_TRUE(hit) << hit.error().describe();
  const wasm2c::ModuleInfo* hi = wasm2c::module_info(**hit);
  ASSERT_NE(hi, nullptr);
  EXPECT_TRUE(hi->cache_hit);
  EXPECT_EQ(hi->key, ci->key);
  EXPECT_EQ(hi->cc_seconds, 0.0);
  EXPECT_LT((*hit)->compile_seconds(), (*cold)->compile_seconds() / 5)
      << "cold " << (*cold)->compile_seconds() << " s, hit " << (*hit)->compile_seconds() << " s";
  EXPECT_EQ((*hit)->exports().size(), (*cold)->exports().size());

  // Both modules work, and their instances are separate.
  auto a = (*cold)->instantiate();
  auto b = (*hit)->instantiate();
  ASSERT_TRUE(a && b);
  auto bump_a = (*a)->typed<std::int32_t()>("bump");
  auto bump_b = (*b)->typed<std::int32_t()>("bump");
  ASSERT_TRUE(bump_a && bump_b);
  EXPECT_EQ(*(*bump_a)(), 1);
  EXPECT_EQ(*(*bump_a)(), 2);
  EXPECT_EQ(*(*bump_b)(), 1);

  // Another module is another key.
  auto other = engine->compile(wat_to_wasm("(module (func (export \"f\") (result i32) i32.const 3))"), "other");
  ASSERT_TRUE(other) << other.error().describe();
  EXPECT_NE(wasm2c::module_info(**other)->key, ci->key);
  EXPECT_EQ(entries(dir.path()).size(), 2u);
}

TEST(Wasm2c, CacheDirectoryOverrideAndDefaults) {
  TempDir dir;
  {
    ScopedEnv cache("WASMHOP_CACHE_DIR", dir.path().c_str());
    EXPECT_EQ(*wasm2c::cache_directory(), dir.path());
  }
  {
    ScopedEnv cache("WASMHOP_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", "/some/xdg");
    EXPECT_EQ(*wasm2c::cache_directory(), fs::path("/some/xdg/wasmhop/wasm2c"));
  }
  {
    ScopedEnv cache("WASMHOP_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    ScopedEnv home("HOME", "/home/someone");
    EXPECT_EQ(*wasm2c::cache_directory(), fs::path("/home/someone/.cache/wasmhop/wasm2c"));
  }
  {
    // Compiling with XDG_CACHE_HOME puts the object under it.
    ScopedEnv cache("WASMHOP_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", dir.path().c_str());
    auto engine = wasm2c_engine();
    ASSERT_TRUE(engine);
    auto m = engine->compile(wat_to_wasm("(module (func (export \"f\")))"), "xdg");
    ASSERT_TRUE(m) << m.error().describe();
    EXPECT_EQ(wasm2c::module_info(**m)->object.parent_path(), dir.path() / "wasmhop" / "wasm2c");
  }
}

TEST(Wasm2c, CorruptedEntryIsRebuilt) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const auto bytes = wat_to_wasm(R"((module (func (export "seven") (result i32) i32.const 7)))");
  const auto other = wat_to_wasm(R"((module (func (export "eight") (result i32) i32.const 8)))");
  fs::path object;
  {
    auto m = engine->compile(bytes, "seven");
    ASSERT_TRUE(m) << m.error().describe();
    object = wasm2c::module_info(**m)->object;
  }
  fs::path other_object;
  {
    auto m = engine->compile(other, "eight");
    ASSERT_TRUE(m) << m.error().describe();
    other_object = wasm2c::module_info(**m)->object;
  }
  auto check_rebuilt = [&](const char* what) {
    auto m = engine->compile(bytes, "seven");
    ASSERT_TRUE(m) << what << ": " << m.error().describe();
    const auto* info = wasm2c::module_info(**m);
    EXPECT_FALSE(info->cache_hit) << what;
    EXPECT_TRUE(info->rebuilt) << what;
    EXPECT_NE(info->note.find("unusable"), std::string::npos) << info->note;
    auto inst = (*m)->instantiate();
    ASSERT_TRUE(inst) << inst.error().describe();
    EXPECT_EQ(*(*inst)->call_by_name<std::int32_t>("seven"), 7) << what;
    auto again = engine->compile(bytes, "seven");
    ASSERT_TRUE(again);
    EXPECT_TRUE(wasm2c::module_info(**again)->cache_hit) << what;
  };
  // Garbage.
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "this is not an ELF object";
  check_rebuilt("garbage");
  // Truncated.
  const auto size = fs::file_size(object);
  fs::resize_file(object, size / 2);
  check_rebuilt("truncated");
  // A valid object built for another module (wrong key inside).
  fs::copy_file(other_object, object, fs::copy_options::overwrite_existing);
  check_rebuilt("foreign object");
}

TEST(Wasm2c, ConcurrentProcessesShareTheCache) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  const auto bytes = wat_to_wasm(R"((module (func (export "mul") (param i32 i32) (result i32)
      (i32.mul (local.get 0) (local.get 1)))))");
  constexpr int kProcesses = 3;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: compile the same module into the same (empty) cache, call it, report by status.
      auto engine = create_engine("wasm2c");
      if (!engine) _exit(10);
      auto m = (*engine)->compile(bytes, "mul");
      if (!m) _exit(11);
      auto inst = (*m)->instantiate();
      if (!inst) _exit(12);
      auto r = (*inst)->call_by_name<std::int32_t>("mul", 6, 7);
      _exit(r && *r == 42 ? 0 : 13);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  // One object, no build directories or temporary files left.
  const auto left = entries(dir.path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].extension(), ".so");
  auto engine = wasm2c_engine();
  auto m = engine->compile(bytes, "mul");
  ASSERT_TRUE(m);
  EXPECT_TRUE(wasm2c::module_info(**m)->cache_hit);
}

TEST(Wasm2c, NoCompilerIsEngineUnavailable) {
  ScopedEnv cc("CC", "/nonexistent/bin/no-such-cc");
  auto e = create_engine("wasm2c");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::engine_unavailable);
  EXPECT_NE(e.error().message.find("no-such-cc"), std::string::npos) << e.error().message;
}

TEST(Wasm2c, GlueCorners) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const auto bytes = wat_to_wasm(R"((module
    (type $ii (func (param i32) (result i32)))
    (memory 1 3)
    (data (i32.const 16) "\2a\00\00\00")
    (global $g (export "g") (mut i32) (i32.const 5))
    (global $started (mut i32) (i32.const 0))
    (table 2 funcref)
    (elem (i32.const 0) $double)
    (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (func $start (global.set $started (i32.const 1)))
    (start $start)
    (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
    (func (export "we ird-n\c3\a4me\"x") (result f64) (f64.const 1.5))
    (func (export "takes_ref") (param externref) (result i32) (i32.const 1))
    (func (export "started") (result i32) (global.get $started))
    (func (export "data") (result i32) (i32.load (i32.const 16)))
    (func (export "indirect") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func $fib (export "fib") (param i64) (result i64)
      (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
        (then (local.get 0))
        (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                       (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  ))");
  auto m = engine->compile(bytes, "corners");
  ASSERT_TRUE(m) << m.error().describe();
  bool saw_ref = false;
  for (const auto& e : (*m)->exports()) {
    if (e.name == "takes_ref") {
      saw_ref = true;
      EXPECT_EQ(e.kind, ExportKind::other);
    }
    if (e.name == "g") EXPECT_EQ(e.kind, ExportKind::global);
  }
  EXPECT_TRUE(saw_ref);
  auto inst = (*m)->instantiate();
  ASSERT_TRUE(inst) << inst.error().describe();
  Instance& in = **inst;
  EXPECT_TRUE(in.memory().empty());  // the memory is not exported
  EXPECT_EQ(*in.call_by_name<std::int32_t>("started"), 1);  // the start function ran
  EXPECT_EQ(*in.call_by_name<std::int32_t>("data"), 42);    // the data segment landed

  // Multi-value through the untyped call.
  auto swap = in.func("swap");
  ASSERT_TRUE(swap);
  EXPECT_EQ(swap->type->to_string(), "(i32, i64) -> (i64, i32)");
  RawVal args[2];
  args[0].i32 = 7;
  args[1].i64 = std::int64_t{1} << 40;
  RawVal results[2];
  ASSERT_TRUE(in.call(*swap, args, results));
  EXPECT_EQ(results[0].i64, std::int64_t{1} << 40);
  EXPECT_EQ(results[1].i32, 7);

  // Any bytes in an export name.
  EXPECT_DOUBLE_EQ(*in.call_by_name<double>("we ird-n\xc3\xa4me\"x"), 1.5);

  // Not callable from the host: explained, not crashed.
  auto ref = in.func("takes_ref");
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().kind, ErrorKind::missing_export);
  EXPECT_NE(ref.error().message.find("externref"), std::string::npos) << ref.error().message;
  auto glob = in.func("g");
  ASSERT_FALSE(glob);
  EXPECT_EQ(glob.error().kind, ErrorKind::missing_export);

  // Tables: a good indirect call, a bad index, a null slot.
  EXPECT_EQ(*in.call_by_name<std::int32_t>("indirect", 0, 21), 42);
  auto oob = in.call_by_name<std::int32_t>("indirect", 5, 1);
  ASSERT_FALSE(oob);
  EXPECT_EQ(oob.error().trap, TrapKind::indirect_call_mismatch) << oob.error().describe();
  auto null_slot = in.call_by_name<std::int32_t>("indirect", 1, 1);
  ASSERT_FALSE(null_slot);
  EXPECT_EQ(null_slot.error().trap, TrapKind::indirect_call_mismatch);

  // Growth within and beyond the declared maximum; bulk memory range checks.
  EXPECT_EQ(*in.call_by_name<std::int32_t>("grow", 2), 1);
  EXPECT_EQ(*in.call_by_name<std::int32_t>("grow", 1), -1);
  EXPECT_TRUE(in.call_by_name<void>("fill", 0, 9, 3 * 65536));
  auto fill_oob = in.call_by_name<void>("fill", 1, 9, 3 * 65536);
  ASSERT_FALSE(fill_oob);
  EXPECT_EQ(fill_oob.error().trap, TrapKind::out_of_bounds_memory);

  // Recursion well within the depth limit.
  EXPECT_EQ(*in.call_by_name<std::int64_t>("fib", std::int64_t{20}), 6765);
}

// The depth limit (500 wasm calls) is the first line; the guard page below the native stack is
// the backstop when frames are big: here ~2 KiB frames on a 256 KiB thread stack overflow long
// before 500 calls, and the fault still comes back as call_stack_exhausted.
TEST(Wasm2c, NativeStackOverflowIsATrapToo) {
  // Each local is loaded before the recursive call and stored after it (the call may change
  // memory): every one needs a stack slot, ~2 KiB per frame.
  std::string wat = "(module (memory 1) (func $big (export \"big\") (param i32) (result i64)";
  constexpr int kLocals = 240;
  for (int i = 0; i < kLocals; ++i) wat += " (local i64)";
  for (int i = 0; i < kLocals; ++i) {
    wat += fmt::format(" (local.set {} (i64.load (i32.const {})))", i + 1, i * 8);
  }
  wat += " (i64.store (i32.const 0) (i64.extend_i32_u (local.get 0)))";
  wat += " (drop (call $big (i32.add (local.get 0) (i32.const 1))))";
  for (int i = 0; i < kLocals; ++i) wat += fmt::format(" (i64.store (i32.const {}) (local.get {}))", 2048 + i * 8, i + 1);
  wat += " (i64.const 0)))";
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  auto m = engine->compile(wat_to_wasm(wat), "big_frames");
  ASSERT_TRUE(m) << m.error().describe();
  struct Run {
    Module* module;
    std::vector<std::string> problems;
  } run{m->get(), {}};
  auto body = [](void* arg) -> void* {
    auto* r = static_cast<Run*>(arg);
    auto inst = r->module->instantiate();  // prepares this thread (alternate signal stack)
    if (!inst) {
      r->problems.push_back(inst.error().describe());
      return nullptr;
    }
    for (int round = 0; round < 3; ++round) {
      auto res = (*inst)->call_by_name<std::int64_t>("big", 0);
      if (res || res.error().trap != TrapKind::call_stack_exhausted) {
        r->problems.push_back(res ? "no trap" : res.error().describe());
      }
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, body, &run), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(run.problems.empty()) << run.problems.front();
}

TEST(Wasm2c, CallsAndTrapsFromOtherThreads) {
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  auto m = engine->load(fs::path(WASMHOP_GUEST_DIR) / "traps.wasm");
  ASSERT_TRUE(m) << m.error().describe();
  // Two instances, each driven by its own thread at the same time: per-instance state only.
  auto run = [&](std::vector<std::string>& problems) {
    auto inst = (*m)->instantiate();
    if (!inst) {
      problems.push_back(inst.error().describe());
      return;
    }
    for (int round = 0; round < 20; ++round) {
      auto r = (*inst)->call_by_name<std::int32_t>("recurse", 0);
      if (r || r.error().trap != TrapKind::call_stack_exhausted) problems.push_back("recurse did not exhaust");
      auto d = (*inst)->call_by_name<std::int32_t>("div_by_zero", 0);
      if (d || d.error().trap != TrapKind::integer_divide_by_zero) problems.push_back("no divide trap");
      auto o = (*inst)->call_by_name<std::int32_t>("oob_load", 65536);
      if (o || o.error().trap != TrapKind::out_of_bounds_memory) problems.push_back("no oob trap");
      auto ok = (*inst)->call_by_name<std::int32_t>("ok");
      if (!ok || *ok != 42) problems.push_back("ok failed");
    }
  };
  std::vector<std::string> p1, p2;
  std::thread t1(run, std::ref(p1));
  std::thread t2(run, std::ref(p2));
  t1.join();
  t2.join();
  EXPECT_TRUE(p1.empty()) << p1.front();
  EXPECT_TRUE(p2.empty()) << p2.front();
}

}  // namespace
}  // namespace wasmhop::testing
