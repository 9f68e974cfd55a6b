// wasmhop_gen_validate: prowgen_spec.md section B at N = 1,000,000 (every statistic against its tolerance),
// the output formats' round-trips, and the generator's timings (static/dynamic, scaling 1e5 .. 1e7).
//
//   wasmhop_gen_validate [--requests N] [--no-timing] [--no-scaling] [--max-scaling N] [--reps R]
// Exit status 1 if any check fails. Pin it for timing: taskset -c 1 wasmhop_gen_validate
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <ctime>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "gen/prowgen.hpp"
#include "gen/stats.hpp"
#include "gen/trace_output.hpp"
#include "trace/reader.hpp"

namespace {

using namespace wasmhop::gen;
using wasmhop::trace::TraceFormat;
using wasmhop::trace::TraceRecord;

// Every record of a file gen wrote, through the simulator's reader (src/trace).
wasmhop::Result<std::vector<TraceRecord>> read_back(const std::filesystem::path& path, TraceFormat format) {
  wasmhop::trace::TraceOptions o;
  o.path = path.string();
  o.format = format;
  o.csv.has_header = true;  // gen's CSV starts with "id,size"
  return wasmhop::trace::read_all_records(o);
}
using Clock = std::chrono::steady_clock;

int g_failures = 0;

void row(const std::string& name, const std::string& value, const std::string& tolerance, bool ok) {
  fmt::print("  {:<58} {:>16}  {:<34} {}\n", name, value, tolerance, ok ? "PASS" : "FAIL");
  if (!ok) ++g_failures;
}
void info(const std::string& name, const std::string& value) { fmt::print("  {:<58} {:>16}\n", name, value); }

Workload make(std::uint64_t n, StackModel m = StackModel::fixed, int corr = 0, double beta = 0.75,
              bool exact = false, std::uint64_t seed = 0) {
  Config c;
  c.requests = n;
  c.stack_model = m;
  c.correlation = corr;
  c.zipf_slope = beta;
  c.exact_n = exact;
  c.seed = seed;
  auto w = generate(c);
  if (!w) {
    fmt::print(stderr, "generate failed: {}\n", w.error().message);
    std::exit(2);
  }
  return std::move(*w);
}

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Process CPU time: on a shared machine the wall clock also counts other processes' time slices.
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// B.1: the same configuration and seed give the same stream; other seeds another.
void check_determinism(std::uint64_t n, const Workload& st) {
  fmt::print("B.1 determinism\n");
  const Catalog& c = st.catalog;
  const Workload again = make(n, StackModel::fixed);
  row("same config and seed -> identical stream and catalog", "",
      "identical", again.requests == st.requests && again.catalog.freq == c.freq && again.catalog.size == c.size);
  const Workload s1 = make(n, StackModel::fixed, 0, 0.75, false, 1);
  const Workload s2 = make(n, StackModel::fixed, 0, 0.75, false, 2);
  row("seed 1 vs seed 2 -> different stream", "", "different", s1.requests != s2.requests);
}

// B.2: every document emitted exactly its frequency, the total near N (exactly N in exact-N mode).
void check_counts(std::uint64_t n, const Workload& st, const Workload& dy) {
  fmt::print("B.2 counts\n");
  const Catalog& c = st.catalog;
  for (const Workload* w : {&st, &dy}) {
    const auto counts = count_references(w->requests, w->catalog.distinct);
    const auto d_out = static_cast<std::uint64_t>(std::count_if(counts.begin(), counts.end(), [](auto v) { return v > 0; }));
    const std::string m(to_string(w->config.stack_model));
    row(m + ": D_out", fmt::format("{}", d_out), fmt::format("= D = {}", w->catalog.distinct), d_out == w->catalog.distinct);
    row(m + ": every doc emitted exactly f_d times", "", "all", counts == w->catalog.freq);
    const std::uint64_t sum = std::accumulate(w->catalog.freq.begin(), w->catalog.freq.end(), std::uint64_t{0});
    row(m + ": N_out = sum f", fmt::format("{}", w->requests.size()), fmt::format("= {}", sum), w->requests.size() == sum);
  }
  const double rel = static_cast<double>(st.requests.size()) / static_cast<double>(n) - 1;
  row("|N_out/N - 1|", fmt::format("{:.4f}", std::abs(rel)), "<= 0.10", std::abs(rel) <= 0.10);
  info("original's bookkeeping N_out (bug) - sum f",
       fmt::format("{}", static_cast<std::int64_t>(c.reference_requests) - static_cast<std::int64_t>(c.total_requests)));
  {
    const Workload ex = make(n, StackModel::fixed, 0, 0.75, true);
    row("exact-N mode: N_out", fmt::format("{}", ex.requests.size()), fmt::format("= N = {}", n), ex.requests.size() == n);
  }
}

void check_one_timers(const Catalog& c) {
  fmt::print("B.3 one-timers\n");
  const double d = c.distinct, o = c.one_timers_target, p = o / d;
  const auto ones = static_cast<double>(std::count(c.freq.begin(), c.freq.end(), 1u));
  const double lo = o - 4 * std::sqrt(d * p * (1 - p));
  row("one-timers", fmt::format("{:.0f}", ones), fmt::format("[{:.0f}, {:.0f}]", lo, o), ones >= lo && ones <= o);
}

void check_zipf(std::uint64_t n, const Workload& st) {
  fmt::print("B.4 Zipf slope (OLS, top ceil(D/100) ranks)\n");
  const Catalog& c = st.catalog;
  const double pre = zipf_slope(c.popularity_list);
  row("pre-resample list slope", fmt::format("{:.4f}", pre), "0.75 +- 0.02", std::abs(pre - 0.75) <= 0.02);
  const double out = zipf_slope(count_references(st.requests, c.distinct));
  row("output stream slope", fmt::format("{:.4f}", out), "[0.73, 0.83]", out >= 0.73 && out <= 0.83);
  double prev = -1;
  bool increasing = true;
  std::string values;
  for (double beta : {0.6, 0.75, 0.9}) {
    const Workload w = beta == 0.75 ? Workload{} : make(n, StackModel::fixed, 0, beta);
    const Catalog& wc = beta == 0.75 ? c : w.catalog;
    const double s = zipf_slope(wc.freq);
    const double p = zipf_slope(wc.popularity_list);
    row(fmt::format("beta {:.2f}: pre-resample slope", beta), fmt::format("{:.4f}", p),
        fmt::format("{:.2f} +- 0.02", beta), std::abs(p - beta) <= 0.02);
    row(fmt::format("beta {:.2f}: output slope", beta), fmt::format("{:.4f}", s),
        fmt::format("[{:.2f}, {:.2f}]", beta - 0.02, beta + 0.08), s >= beta - 0.02 && s <= beta + 0.08);
    increasing = increasing && s > prev;
    prev = s;
    values += fmt::format("{}{:.3f}", values.empty() ? "" : " < ", s);
  }
  row("output slope increases with beta", values, "strictly increasing", increasing);
}

void check_sizes(const Workload& st) {
  fmt::print("B.5 sizes\n");
  const Catalog& c = st.catalog;
  const Config& cfg = st.config;
  const auto tail = static_cast<double>(
      std::count_if(c.size.begin(), c.size.end(), [&](std::uint32_t s) { return s >= cfg.tail_start; }));
  const double share = tail / c.distinct;
  row("share of docs with size >= K", fmt::format("{:.4f}", share), "0.20 +- 0.01", std::abs(share - 0.2) <= 0.01);
  const double mle = tail_index_mle(c.size, cfg.tail_start);
  row("tail index, MLE over sizes >= K", fmt::format("{:.4f}", mle), "1.2 +- 0.03", std::abs(mle - 1.2) <= 0.03);
  const double hill = tail_index_hill(c.size, c.distinct / 20);
  row("tail index, Hill k = 5% of D", fmt::format("{:.4f}", hill), "1.2 +- 0.05", std::abs(hill - 1.2) <= 0.05);
  const double med = body_median(c.size, cfg.tail_start);
  const double exp_med = expected_body_median(cfg.lognormal_mean, cfg.lognormal_sd, cfg.tail_start);
  row("body median (sizes < K)", fmt::format("{:.0f}", med), fmt::format("{:.1f} +- 3%", exp_med),
      std::abs(med / exp_med - 1) <= 0.03);
  const std::uint32_t mx = *std::max_element(c.size.begin(), c.size.end());
  row("max size", fmt::format("{}", mx), "< 52428800", mx < kSizeCap);
  std::vector<std::uint32_t> seen(c.distinct, 0xFFFFFFFFu);
  bool single = true;
  for (std::uint32_t id : st.requests) {
    if (seen[id] == 0xFFFFFFFFu) seen[id] = c.size[id];
    single = single && seen[id] == c.size[id];
  }
  row("a single size per id", "", "all", single);
}

void check_correlation(std::uint64_t n, const Catalog& c) {
  fmt::print("B.6 correlation r(log f, log s)\n");
  const Workload pos = make(n, StackModel::fixed, 1);
  const Workload neg = make(n, StackModel::fixed, -1);
  const double rp = log_correlation(pos.catalog.freq, pos.catalog.size);
  const double rn = log_correlation(neg.catalog.freq, neg.catalog.size);
  const double r0 = log_correlation(c.freq, c.size);
  row("correlation +1", fmt::format("{:.4f}", rp), ">= 0.7", rp >= 0.7);
  row("correlation -1", fmt::format("{:.4f}", rn), "<= -0.6", rn <= -0.6);
  row("correlation 0", fmt::format("{:.4f}", r0), "|r| <= 0.02", std::abs(r0) <= 0.02);
  std::size_t at_assembly = 0, after = 0;
  for (std::size_t d = 0; d < c.freq.size(); ++d) {
    at_assembly += c.assembled_freq[d] >= kHotFrequency && c.size[d] >= kHotSizeLimit;
    after += c.freq[d] >= kHotFrequency && c.size[d] >= kHotSizeLimit;
  }
  row("corr 0: docs with f >= 100 and s >= 10240 (f as drawn)", fmt::format("{}", at_assembly), "0", at_assembly == 0);
  info("  same after the step-5 rescale (original's behaviour)", fmt::format("{}", after));
}

void check_locality(const Workload& st, const Workload& dy) {
  const Catalog& c = st.catalog;
  const Config& cfg = st.config;
  fmt::print("B.7 locality (LRU cache of M = {} objects)\n", cfg.stack_size);
  const auto sh = shuffled(st.requests, 1);
  const std::uint32_t d = c.distinct;
  const double hs = lru_hit_fraction(st.requests, d, cfg.stack_size);
  const double hd = lru_hit_fraction(dy.requests, d, cfg.stack_size);
  const double hx = lru_hit_fraction(sh, d, cfg.stack_size);
  row("LRU hit fraction static > dynamic > shuffled", fmt::format("{:.3f}>{:.3f}>{:.3f}", hs, hd, hx),
      "strict order", hs > hd && hd > hx);
  const double gs = median_reuse_gap(st.requests, d);
  const double gd = median_reuse_gap(dy.requests, d);
  const double gx = median_reuse_gap(sh, d);
  row("median re-reference gap static < dynamic < shuffled", fmt::format("{:.0f}<{:.0f}<{:.0f}", gs, gd, gx),
      "strict order", gs < gd && gd < gx);
  Config zero;
  zero.stack_size = 0;
  row("M = 0 rejected", "", "error", !validate(zero).has_value());
}

void check_non_stationarity(const Workload& st, const Workload& dy) {
  fmt::print("B.8 non-stationarity\n");
  for (const Workload* w : {&st, &dy}) {
    const double last = last_first_reference(w->requests, w->catalog.distinct);
    const std::string m(to_string(w->config.stack_model));
    row(m + ": last first reference (fraction of stream)", fmt::format("{:.4f}", last), "<= 0.75", last <= 0.75);
    const auto dec = first_reference_share_by_decile(w->requests, w->catalog.distinct);
    std::string s;
    for (double x : dec) s += fmt::format("{:.3f} ", x);
    info(m + ": first-reference share per decile", "");
    fmt::print("      {}\n", s);
  }
}

// The output formats and the stats file: written, read back through the simulator's reader, compared.
void check_output_formats(const Workload& st) {
  fmt::print("Output formats (write, read back, compare)\n");
  const Catalog& c = st.catalog;
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("wasmhop_gen_validate_{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto next = next_access_vtimes(st.requests);
  for (TraceFormat f : {TraceFormat::text, TraceFormat::csv, TraceFormat::oracle}) {
    const auto path = dir / fmt::format("trace.{}", wasmhop::trace::to_string(f));
    const auto t0 = Clock::now();
    const bool wrote = write_trace(path, f, st.requests, c.size).has_value();
    const auto t1 = Clock::now();
    const auto back = read_back(path, f);
    bool same = wrote && back && back->size() == st.requests.size();
    for (std::size_t i = 0; same && i < back->size(); ++i) {
      const TraceRecord& r = (*back)[i];
      same = r.id == st.requests[i] && r.size == c.size[st.requests[i]] &&
             (f != TraceFormat::oracle || r.next_access_vtime == next[i]);
    }
    row(fmt::format("{} round-trip ({:.1f} MB, written in {:.3f} s)", wasmhop::trace::to_string(f),
                    static_cast<double>(std::filesystem::file_size(path)) / 1e6, seconds(t0, t1)),
        "", "identical", same);
  }
  const auto stats_path = dir / "stats.txt";
  const bool wrote = write_stats(stats_path, c.freq, c.size).has_value();
  const auto back = read_stats(stats_path);
  bool same = wrote && back && back->size() == c.freq.size();
  for (std::size_t d = 0; same && d < back->size(); ++d) same = (*back)[d].freq == c.freq[d] && (*back)[d].size == c.size[d];
  row("stats file round-trip", "", "identical", same);
  std::filesystem::remove_all(dir);
}

void check_paper_preset() {
  fmt::print("Paper preset (--preset paper)\n");
  Config p;
  (void)apply_preset("paper", p);
  auto w = generate(p);
  const Summary s = summarize(*w);
  row("requests", fmt::format("{}", s.requests), "= 1000000", s.requests == 1'000'000);
  row("distinct objects", fmt::format("{}", s.distinct), "= 30000", s.distinct == 30'000);
  info("one-timers", fmt::format("{}", s.one_timers));
  info("exact-N adjustment (refs added to top docs)", fmt::format("{}", w->catalog.exact_n_adjustment));
  info("Zipf slope / tail index", fmt::format("{:.3f} / {:.3f}", s.zipf_slope, s.tail_index));
  info("unique / total bytes", fmt::format("{:.1f} / {:.1f} MB", s.unique_bytes / 1e6, s.total_bytes / 1e6));
}

void validate_at(std::uint64_t n) {
  fmt::print("Section B at N = {} (defaults: D% 30, one-timers 70%, beta 0.75, alpha 1.2, M 1000)\n", n);
  const Workload st = make(n, StackModel::fixed);
  const Workload dy = make(n, StackModel::dynamic);
  check_determinism(n, st);
  check_counts(n, st, dy);
  check_one_timers(st.catalog);
  check_zipf(n, st);
  check_sizes(st);
  check_correlation(n, st.catalog);
  check_locality(st, dy);
  check_non_stationarity(st, dy);
  check_output_formats(st);
  check_paper_preset();
}

struct Timing {
  double catalog = 1e99, sequence = 1e99, total = 1e99;  // CPU seconds, best of the repetitions
  double wall = 1e99;                                    // wall seconds, best of the repetitions
};

Timing time_generate(std::uint64_t n, StackModel m, int reps) {
  Timing best;
  for (int r = 0; r < reps; ++r) {
    Config c;
    c.requests = n;
    c.stack_model = m;
    const auto w0 = Clock::now();
    const double t0 = cpu_now();
    auto cat = build_catalog(c);
    const double t1 = cpu_now();
    auto seq = sequence(*cat, m, c.stack_size, stream_seeds(c.seed).sequencing);
    const double t2 = cpu_now();
    const auto w1 = Clock::now();
    if (!cat || !seq) std::exit(2);
    best.catalog = std::min(best.catalog, t1 - t0);
    best.sequence = std::min(best.sequence, t2 - t1);
    best.total = std::min(best.total, t2 - t0);
    best.wall = std::min(best.wall, seconds(w0, w1));
  }
  return best;
}

// The generator's time at N per stack model (the static one against its 1 s budget at N = 1M), and
// the time to write each output format. False: a trace could not be written.
bool time_at(std::uint64_t n, int reps) {
  fmt::print("Timing at N = {} (best of {}; generation = steps 1-6, no output; CPU time, wall in brackets)\n",
             n, reps);
  for (StackModel m : {StackModel::fixed, StackModel::dynamic}) {
    const Timing t = time_generate(n, m, reps);
    const std::string name = fmt::format("{}: catalog {:.3f} s + sequence {:.3f} s [wall {:.3f} s]", to_string(m),
                                         t.catalog, t.sequence, t.wall);
    if (m == StackModel::fixed) {
      row(name, fmt::format("{:.3f} s", t.total), "<= 1 s (N = 1M, static)", n != 1'000'000 || t.total <= 1.0);
    } else {
      info(name, fmt::format("{:.3f} s", t.total));
    }
  }
  Config c;
  c.requests = n;
  auto w = generate(c);
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("wasmhop_gen_timing_{}", ::getpid());
  std::filesystem::create_directories(dir);
  for (const char* name : {"t.txt", "t.csv", "t.oracleGeneral", "t.txt.gz", "t.oracleGeneral.zst"}) {
    const auto path = dir / name;
    double best = 1e99;
    for (int r = 0; r < std::min(reps, 3); ++r) {
      const double t0 = cpu_now();
      if (!write_trace(path, TraceFormat::automatic, w->requests, w->catalog.size)) return false;
      best = std::min(best, cpu_now() - t0);
    }
    info(fmt::format("write {} ({:.1f} MB)", name, static_cast<double>(std::filesystem::file_size(path)) / 1e6),
         fmt::format("{:.3f} s", best));
  }
  std::filesystem::remove_all(dir);
  return true;
}

// The generator's time from 1e5 to max_scaling requests.
void time_scaling(std::uint64_t max_scaling, int reps) {
  fmt::print("Scaling (CPU seconds, best of {}; wall in brackets; ns per request = total / N)\n",
             std::max(1, reps / 2));
  fmt::print("  {:>10}  {:>8} {:>9} {:>8} {:>8}   {:>8} {:>9} {:>8} {:>8}\n", "N", "static", "[wall]", "catalog",
             "ns/req", "dynamic", "[wall]", "catalog", "ns/req");
  for (std::uint64_t sn : {100'000ull, 300'000ull, 1'000'000ull, 3'000'000ull, 10'000'000ull}) {
    if (sn > max_scaling) break;
    const int r = sn >= 10'000'000 ? 2 : std::max(1, reps / 2);
    const Timing s = time_generate(sn, StackModel::fixed, r);
    const Timing d = time_generate(sn, StackModel::dynamic, r);
    fmt::print("  {:>10}  {:>8.3f} {:>9} {:>8.3f} {:>8.1f}   {:>8.3f} {:>9} {:>8.3f} {:>8.1f}\n", sn, s.total,
               fmt::format("[{:.3f}]", s.wall), s.catalog, 1e9 * s.total / static_cast<double>(sn), d.total,
               fmt::format("[{:.3f}]", d.wall), d.catalog, 1e9 * d.total / static_cast<double>(sn));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 1'000'000;
  std::uint64_t max_scaling = 10'000'000;
  bool timing = true, scaling = true, checks = true;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--requests" && i + 1 < argc) n = std::stoull(argv[++i]);
    else if (a == "--max-scaling" && i + 1 < argc) max_scaling = std::stoull(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = std::stoi(argv[++i]);
    else if (a == "--no-timing") timing = false;
    else if (a == "--no-scaling") scaling = false;
    else if (a == "--no-checks") checks = false;
    else {
      fmt::print(stderr, "usage: {} [--requests N] [--no-checks] [--no-timing] [--no-scaling] [--max-scaling N] [--reps R]\n", argv[0]);
      return 2;
    }
  }
  if (checks) validate_at(n);

  if (timing && !time_at(n, reps)) return 2;
  if (scaling) time_scaling(max_scaling, reps);
  fmt::print("{}\n", g_failures == 0 ? "ALL CHECKS PASSED" : fmt::format("{} CHECK(S) FAILED", g_failures));
  return g_failures == 0 ? 0 : 1;
}
