#include "report/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <boost/math/distributions/students_t.hpp>

namespace wasmhop::report {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Errors become NaN results instead of exceptions (the library never throws out of summarize).
using NoThrowPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;
}  // namespace

double student_t_quantile(double confidence, double df) {
  if (!(df >= 1.0) || !(confidence > 0.0 && confidence < 1.0)) return kNaN;
  boost::math::students_t_distribution<double, NoThrowPolicy> dist(df);
  return boost::math::quantile(dist, 1.0 - (1.0 - confidence) / 2.0);
}

double median(std::span<const double> values) {
  if (values.empty()) return kNaN;
  std::vector<double> v(values.begin(), values.end());
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2.0;
}

MedianCi median_ci(std::span<const double> values, double confidence) {
  if (values.empty()) return {kNaN, kNaN, 0.0, false};
  std::vector<double> v(values.begin(), values.end());
  std::sort(v.begin(), v.end());
  const int n = static_cast<int>(v.size());
  // P(#values below the median == i) under Binomial(n, 1/2), in logs: n may be large.
  std::vector<double> pmf(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i <= n; ++i) {
    pmf[static_cast<std::size_t>(i)] =
        std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
  }
  // [X_(j+1), X_(n-j)] covers the median when j < #below <= n-j-1: widen from the middle until it
  // covers `confidence`.
  for (int j = (n - 1) / 2; j >= 0; --j) {
    double cover = 0.0;
    for (int i = j + 1; i <= n - j - 1; ++i) cover += pmf[static_cast<std::size_t>(i)];
    if (cover >= confidence) {
      return {v[static_cast<std::size_t>(j)], v[static_cast<std::size_t>(n - 1 - j)], cover, true};
    }
  }
  return {v.front(), v.back(), 1.0 - 2.0 * pmf[0], false};
}

Summary summarize(std::span<const double> values, double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) confidence = 0.95;
  Summary s;
  s.confidence = confidence;
  s.n = values.size();
  if (s.n == 0) {
    s.mean = s.sd = s.median = s.min = s.max = s.t_quantile = s.ci_low = s.ci_high = s.ci_half_width = kNaN;
    return s;
  }
  // Two passes (mean, then squared deviations) in long double: exact enough for timing data.
  long double sum = 0;
  for (double v : values) sum += v;
  const long double mean = sum / static_cast<long double>(s.n);
  s.mean = static_cast<double>(mean);
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  s.median = median(values);
  if (s.n == 1) {
    s.sd = 0.0;
    s.t_quantile = kNaN;
    s.ci_low = s.ci_high = s.mean;
    s.ci_half_width = 0.0;
    return s;
  }
  long double ss = 0;
  for (double v : values) {
    const long double d = v - mean;
    ss += d * d;
  }
  s.sd = static_cast<double>(std::sqrt(ss / static_cast<long double>(s.n - 1)));
  s.t_quantile = student_t_quantile(confidence, static_cast<double>(s.n - 1));
  s.ci_half_width = s.t_quantile * s.sd / std::sqrt(static_cast<double>(s.n));
  s.ci_low = s.mean - s.ci_half_width;
  s.ci_high = s.mean + s.ci_half_width;
  return s;
}

Rate rate(double amount, const Summary& time) {
  auto per = [&](double t) { return t > 0 ? amount / t : kNaN; };
  // The slowest time in the interval gives the lowest rate.
  return Rate{per(time.mean), per(time.ci_high), per(time.ci_low)};
}

GroupKey group_key(const MicroRecord& r) {
  return GroupKey{r.experiment, r.host_build, r.engine, r.config_index, r.config, r.batch_size, r.payload_bytes};
}

std::vector<GroupSummary> summarize_micro(std::span<const MicroRecord> records, double confidence) {
  std::map<GroupKey, std::vector<const MicroRecord*>> groups;
  for (const auto& r : records) groups[group_key(r)].push_back(&r);

  std::vector<GroupSummary> out;
  out.reserve(groups.size());
  std::vector<double> ns, loop, compile, inst, incl, s100k, incl100k, per_record;
  for (auto& [key, members] : groups) {
    GroupSummary g;
    g.key = key;
    const MicroRecord& first = *members.front();
    g.engine_name = first.engine_name;
    g.engine_version = first.engine_version;
    g.tier = first.tier;
    g.abi = first.abi;
    g.cached = first.cached;
    g.loading = first.loading;
    g.srs = first.srs;
    g.memory = first.memory;
    g.calls = first.calls;
    std::set<std::string> runs;
    ns.clear(), loop.clear(), compile.clear(), inst.clear(), incl.clear();
    s100k.clear(), incl100k.clear(), per_record.clear();
    for (const MicroRecord* r : members) {
      if (r->calls != g.calls) g.calls = 0;
      runs.insert(r->run_id);
      ns.push_back(r->ns_per_call);
      loop.push_back(r->loop_s);
      compile.push_back(r->compile_s);
      inst.push_back(r->instantiate_s);
      incl.push_back(r->including_compile_s());
      s100k.push_back(r->ns_per_call * 1e-4);
      incl100k.push_back(r->ns_per_call * 1e-4 + r->compile_s + r->instantiate_s);
      if (key.batch_size && *key.batch_size > 0) per_record.push_back(r->ns_per_call / double(*key.batch_size));
    }
    g.runs = runs.size();
    g.ns_per_call = summarize(ns, confidence);
    g.loop_s = summarize(loop, confidence);
    g.compile_s = summarize(compile, confidence);
    g.instantiate_s = summarize(inst, confidence);
    g.including_compile_s = summarize(incl, confidence);
    g.s_per_100k_calls = summarize(s100k, confidence);
    g.including_compile_s_per_100k = summarize(incl100k, confidence);
    g.ns_per_record = summarize(per_record, confidence);
    if (key.payload_bytes) {
      g.bytes_per_call = *key.payload_bytes;
    } else if (key.batch_size) {
      g.bytes_per_call = *key.batch_size * kBatchRecordBytes;
    }
    g.bytes_per_s = g.bytes_per_call ? rate(double(*g.bytes_per_call) * 1e9, g.ns_per_call) : Rate{kNaN, kNaN, kNaN};
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace wasmhop::report
