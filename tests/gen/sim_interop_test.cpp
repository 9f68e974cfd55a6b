// The simulator's trace readers (src/sim) read every format `wasmhop gen` writes, compressed or not.
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gen/prowgen.hpp"
#include "gen/trace_output.hpp"
#include "trace/reader.hpp"

namespace wasmhop::gen {
namespace {

namespace fs = std::filesystem;

TEST(SimInterop, SimulatorReadsEveryFormat) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("wasmhop_gen_interop_{}", ::getpid());
  fs::create_directories(dir);
  Config c;
  c.requests = 50'000;
  const auto w = generate(c);
  ASSERT_TRUE(w.has_value());
  for (const char* name : {"t.txt", "t.txt.gz", "t.csv", "t.csv.zst", "t.oracleGeneral", "t.oracleGeneral.zst"}) {
    const fs::path p = dir / name;
    ASSERT_TRUE(write_trace(p, trace::TraceFormat::automatic, w->requests, w->catalog.size).has_value()) << name;
    trace::TraceOptions o;
    o.path = p.string();
    o.format = trace::TraceFormat::automatic;
    o.csv.has_header = true;  // our CSV starts with "id,size" (wasmhop sim --csv-header)
    const auto t = trace::read_trace(o);
    ASSERT_TRUE(t.has_value()) << name << ": " << t.error().message;
    ASSERT_EQ(t->requests.size(), w->requests.size()) << name;
    for (std::size_t i = 0; i < w->requests.size(); ++i) {
      ASSERT_EQ(t->requests[i].id, w->requests[i]) << name << " request " << i;
      ASSERT_EQ(t->requests[i].size, w->catalog.size[w->requests[i]]) << name << " request " << i;
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wasmhop::gen
