// wasmhop gen: the ProWGen synthetic web-proxy workload generator (src/gen, docs/gen.md).
#include <chrono>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "gen/prowgen.hpp"
#include "gen/stats.hpp"
#include "gen/trace_output.hpp"
#include "trace/format.hpp"

namespace wasmhop::cli {
namespace {

struct GenOptions {
  gen::Config config;
  std::string output;
  std::string format;
  std::string stats;
  std::string preset;
  std::string requests = "200000";
  std::string stack_model = "static";
  std::int64_t stack_size = 1000;
  bool quiet = false;
};

// An integer count, also in scientific notation ("1e6").
Result<std::uint64_t> parse_count(const std::string& s) {
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return v;
  double d = 0;
  const auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
  if (rd.ec == std::errc() && rd.ptr == s.data() + s.size() && d >= 0 && d <= 1.8e19 && std::floor(d) == d) {
    return static_cast<std::uint64_t>(d);
  }
  return fail(ErrorKind::invalid_argument,
              fmt::format("gen: requests (--requests) must be an integer in [1, 4294967295], got '{}'", s));
}

std::string with_commas(std::uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

std::string bytes(std::uint64_t b) {
  if (b >= (1ull << 30)) return fmt::format("{:.2f} GiB", static_cast<double>(b) / (1ull << 30));
  if (b >= (1ull << 20)) return fmt::format("{:.2f} MiB", static_cast<double>(b) / (1ull << 20));
  return fmt::format("{} B", b);
}

// The command line's --requests, --stack-size and --stack-model into o.config.
Status apply_options(GenOptions& o, CLI::App& cmd) {
  gen::Config& c = o.config;
  if (!cmd.get_option("--requests")->empty() || o.preset.empty()) {
    auto n = parse_count(o.requests);
    if (!n) return tl::unexpected(n.error());
    c.requests = *n;
  }
  if (o.stack_size < 0 || o.stack_size > 0xFFFFFFFFll) {  // in range of the field: validate() says the rest
    return fail(ErrorKind::invalid_argument,
                fmt::format("gen: stack size (--stack-size) must be in [1, 16777216], got {}", o.stack_size));
  }
  c.stack_size = static_cast<std::uint32_t>(o.stack_size);
  if (o.stack_model == "static" || o.stack_model == "0") {
    c.stack_model = gen::StackModel::fixed;
  } else if (o.stack_model == "dynamic" || o.stack_model == "1") {
    c.stack_model = gen::StackModel::dynamic;
  } else {
    return fail(ErrorKind::invalid_argument,
                fmt::format("gen: stack model (--stack-model) must be static or dynamic, got '{}'", o.stack_model));
  }
  return {};
}

// The preset's values, except for those the command line gives (they override the preset).
Status apply_preset_values(GenOptions& o, CLI::App& cmd) {
  gen::Config& c = o.config;
  static const std::pair<const char*, const char*> kFields[] = {
      {"--requests", "requests"},           {"--distinct-percent", "distinct_percent"},
      {"--one-timer-percent", "one_timer_percent"}, {"--zipf-slope", "zipf_slope"},
      {"--tail-index", "tail_index"},       {"--tail-percent", "tail_percent"},
      {"--tail-start", "tail_start"},       {"--lognormal-mean", "lognormal_mean"},
      {"--lognormal-sd", "lognormal_sd"},   {"--correlation", "correlation"},
      {"--stack-size", "stack_size"},       {"--stack-model", "stack_model"},
      {"--exact-n", "exact_n"}};
  std::vector<std::string> set;
  for (auto [opt, field] : kFields) {
    if (!cmd.get_option(opt)->empty()) set.emplace_back(field);
  }
  return gen::apply_preset(o.preset, c, set);
}

// The summary on stderr: what was generated against its targets, how long it took, where it went.
void print_summary(const GenOptions& o, const gen::Workload& w, trace::TraceFormat format, double gen_s,
                   double write_s) {
  const gen::Config& c = o.config;
  const gen::Summary s = gen::summarize(w);
  const double rel = 100.0 * (static_cast<double>(s.requests) / static_cast<double>(s.target_requests) - 1);
  fmt::print(stderr,
             "wasmhop gen: {} requests (target {}, {:+.2f}%, {}), {} objects, {} one-timers ({:.1f}%)\n"
             "  bytes: {} requested, {} unique\n"
             "  Zipf slope {:.3f} (target {}, OLS over the top 1% ranks), tail index {:.3f} (target {}, MLE "
             "over sizes >= {})\n"
             "  {} LRU stack of {}, correlation {}, seed {}{}\n"
             "  generated in {:.3f} s, written in {:.3f} s: {} ({}){}{}\n",
             with_commas(s.requests), with_commas(s.target_requests), rel,
             c.exact_n ? "exact-N mode" : "faithful mode", with_commas(s.distinct), with_commas(s.one_timers),
             100.0 * s.one_timers / std::max<std::uint32_t>(s.distinct, 1), bytes(s.total_bytes),
             bytes(s.unique_bytes), s.zipf_slope, c.zipf_slope, s.tail_index, c.tail_index, c.tail_start,
             gen::to_string(c.stack_model), c.stack_size, c.correlation, c.seed,
             c.seed == 0 ? " (the original's seeds)" : "", gen_s, write_s,
             o.output == "-" ? "stdout" : o.output, trace::to_string(format),
             o.stats.empty() ? "" : ", stats: ", o.stats);
}

Status run_gen(GenOptions& o, CLI::App& cmd) {
  if (auto ok = apply_options(o, cmd); !ok) return ok;
  if (!o.preset.empty()) {
    if (auto ok = apply_preset_values(o, cmd); !ok) return ok;
  }
  trace::TraceFormat format = trace::detect_trace_format(o.output);
  if (!o.format.empty()) {
    auto f = trace::parse_trace_format(o.format);
    if (!f) return tl::unexpected(f.error());
    format = *f;
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto w = gen::generate(o.config);
  if (!w) return tl::unexpected(w.error());
  const auto t1 = std::chrono::steady_clock::now();
  if (auto ok = gen::write_trace(o.output, format, w->requests, w->catalog.size); !ok) return ok;
  if (!o.stats.empty()) {
    if (auto ok = gen::write_stats(o.stats, w->catalog.freq, w->catalog.size); !ok) return ok;
  }
  const auto t2 = std::chrono::steady_clock::now();

  if (!o.quiet) {
    print_summary(o, *w, format, std::chrono::duration<double>(t1 - t0).count(),
                  std::chrono::duration<double>(t2 - t1).count());
  }
  return {};
}

}  // namespace

void register_gen(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "gen",
      "Generate a synthetic web-proxy workload with ProWGen (Busari & Williamson 2002): Zipf popularity, "
      "one-timers, lognormal/Pareto sizes, size-popularity correlation, LRU-stack temporal locality.\n"
      "Defaults are the original's main.cc; faithful algorithm unless --exact-n. See docs/gen.md.");
  auto o = std::make_shared<GenOptions>();
  gen::Config& c = o->config;
  cmd->add_option("-o,--output", o->output,
                  "Request trace to write ('-' = stdout; a .gz or .zst suffix compresses)")
      ->required();
  cmd->add_option("-f,--format", o->format,
                  "text ('id size' per line, the paper's format), csv ('id,size' with a header) or "
                  "oracleGeneral (libCacheSim binary); default: from the file name (.csv, .oracleGeneral/.bin, "
                  "else text)");
  cmd->add_option("--stats", o->stats, "Per-object statistics file: 'frequency size' per object, in id order");
  cmd->add_option("--preset", o->preset, gen::preset_help());
  cmd->add_option("-n,--requests", o->requests, "Target number of requests N (1e6 notation accepted)")
      ->capture_default_str();
  cmd->add_option("--distinct-percent", c.distinct_percent, "Distinct objects as a percentage of N, (0, 100]")
      ->capture_default_str();
  cmd->add_option("--one-timer-percent", c.one_timer_percent,
                  "Objects referenced once, as a percentage of the distinct objects, [0, 100]")
      ->capture_default_str();
  cmd->add_option("--zipf-slope", c.zipf_slope, "Zipf popularity slope beta, [0, 3]")->capture_default_str();
  cmd->add_option("--tail-index", c.tail_index, "Pareto tail index alpha of the sizes, [0.05, 10]")
      ->capture_default_str();
  cmd->add_option("--tail-percent", c.tail_percent, "Objects in the Pareto tail, percent of distinct, [0, 100]")
      ->capture_default_str();
  cmd->add_option("--tail-start", c.tail_start, "Tail start K in bytes, [1, 52428800)")->capture_default_str();
  cmd->add_option("--lognormal-mean", c.lognormal_mean, "Mean of the lognormal body variate (bytes)")
      ->capture_default_str();
  cmd->add_option("--lognormal-sd", c.lognormal_sd, "Standard deviation of the lognormal body variate (bytes)")
      ->capture_default_str();
  cmd->add_option("--correlation", c.correlation, "Size-popularity correlation: -1, 0 or 1")
      ->capture_default_str();
  cmd->add_option("--stack-size", o->stack_size, "LRU stack size M (temporal locality), [1, 16777216]")
      ->capture_default_str();
  cmd->add_option("--stack-model", o->stack_model,
                  "static (more locality, the original's default) or dynamic (closer to real traces)")
      ->capture_default_str();
  cmd->add_option("--seed", c.seed, "Random seed; 0 = the original's seeds {5,7,9} and {1,2,3}")
      ->capture_default_str();
  cmd->add_flag("--exact-n", c.exact_n,
                "Deviation from the original: emit exactly N requests by spreading the shortfall one "
                "reference at a time over the top-ranked objects");
  cmd->add_flag("-q,--quiet", o->quiet, "No summary on stderr");
  cmd->callback([&status, o, cmd] {
    if (auto ok = run_gen(*o, *cmd); !ok) {
      std::string_view msg = ok.error().message;
      if (msg.starts_with("gen: ")) msg.remove_prefix(5);
      fmt::print(stderr, "wasmhop gen: error: {}\n", msg);
      status = 1;
    }
  });
}

}  // namespace wasmhop::cli
