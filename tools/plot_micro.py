#!/usr/bin/env python3
"""Plots of the wasmhop micro-benchmark, computed from raw records or from the summary CSV.

Usage:
    python3 tools/plot_micro.py INPUT [INPUT ...] --out DIR [--formats png,svg] [--config NAME ...]
                                [--dpi 150] [--title-suffix TEXT]

INPUT is a raw records file (.jsonl, one JSON object per replication, as src/report/records.hpp writes it)
or a summary CSV (micro_summary.csv, as src/report/micro_summary.hpp writes it); several inputs are merged.
Every figure is written as PNG and SVG (--formats) into DIR; the paths written are printed on stdout, one per
line; notes (skipped figures, skipped lines) go to stderr.

Figures (only those the data allows; missing engines/builds/experiments are left out, never an error):
    fig3_4_<engine>           per engine: mean seconds per 100,000 calls for each Table 1 configuration,
                              95% CI error bars, Debug and Release host builds as two panels
                              (the paper's Figures 3 and 4)
    fig3_4_all_engines        the same for every engine in one grid (rows: engines, columns: host builds)
    fig5_<engine>             per engine: the same including compile + instantiate time, stacked bars
                              (the paper's Figure 5)
    fig5_all_engines          the same for every engine in one grid
    config_across_engines_<config>  one configuration on every engine side by side (ns per call, Debug and
                              Release bars; log scale when the values differ by more than 30x); the
                              configuration is --config (repeatable), default pair-cached-preload-srs or
                              the Table 1 test 6 or the first configuration present
    configs_across_engines    small multiples: one panel per configuration, every engine side by side
    batch_sweep_<build>       per-record cost vs batch size N (log-log), one line per engine, with a
                              horizontal reference line for the guest's own work when the data has it
                              (abi/config "native", else the engine "native" at its largest N)
    payload_sweep_<build>     ns per call and bytes/s vs payload size, one line per engine x ABI
    canonical_vs_handrolled_<build>  canonical ABI vs Bincode, POD static, batch per payload size (plot_canonical.py)

Statistics from raw records: mean, sample sd, median, 95% CI of the mean with Student's t (as the C++
summarizer). From the summary CSV the same columns are read back. Seconds per 100,000 calls =
ns_per_call * 1e-4 (normalised, so a --quick run with fewer calls plots on the same scale);
"including compile" = that + compile_s + instantiate_s. From a CSV whose calls != 100,000, the CI of the
including-compile figure is approximated by the CI of including_compile_s.

Exit status: 0 when every figure the data allows was written, 1 when the inputs hold no usable data, 2 on bad
usage or an unreadable input, 3 when matplotlib is missing, 4 when some figure failed (the others are still
written; the error is on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import textwrap
from collections import OrderedDict, defaultdict

import plot_env  # tools/plot_env.py: matplotlib, or a re-run with /usr/bin/python3


# ---------------------------------------------------------------------------------------------------------
# Statistics

def _betacf(a, b, x):
    """Continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a, b, x):
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(lbeta + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def _t_cdf(t, df):
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """Student's t quantile t(p, df) for 0.5 <= p < 1 (bisection on the CDF; about 1e-12 accurate)."""
    if df < 1 or not (0.0 < p < 1.0):
        return float("nan")
    lo, hi = 0.0, 1.0
    while _t_cdf(hi, df) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


class Stat:
    """mean, sd, median, CI of one metric of one group; n = 1 gives a zero-width interval (as in C++)."""

    __slots__ = ("n", "mean", "sd", "median", "lo", "hi")

    def __init__(self, n, mean, sd, median, lo, hi):
        self.n, self.mean, self.sd, self.median, self.lo, self.hi = n, mean, sd, median, lo, hi

    @staticmethod
    def of(values, confidence=0.95):
        n = len(values)
        if n == 0:
            nan = float("nan")
            return Stat(0, nan, nan, nan, nan, nan)
        mean = math.fsum(values) / n
        s = sorted(values)
        median = s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])
        if n == 1:
            return Stat(1, mean, 0.0, median, mean, mean)
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
        half = t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1) * sd / math.sqrt(n)
        return Stat(n, mean, sd, median, mean - half, mean + half)

    def scaled(self, k):
        return Stat(self.n, self.mean * k, self.sd * abs(k), self.median * k,
                    min(self.lo * k, self.hi * k), max(self.lo * k, self.hi * k))

    def err(self):
        """(below, above) error-bar lengths around the mean; zeros when not finite."""
        below, above = self.mean - self.lo, self.hi - self.mean
        if not (math.isfinite(below) and math.isfinite(above)):
            return 0.0, 0.0
        return max(below, 0.0), max(above, 0.0)


# ---------------------------------------------------------------------------------------------------------
# Loading

KEY_FIELDS = ("experiment", "host_build", "engine", "config", "batch_size", "payload_bytes")


def _num(v, default=None):
    if v is None or v == "":
        return default
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def _int(v, default=None):
    f = _num(v)
    return default if f is None or not math.isfinite(f) else int(f)


class Group:
    """One (experiment, host_build, engine, config, batch_size, payload_bytes) group and its statistics:
    ns (ns per call), s100k (seconds per 100,000 calls), incl (s100k + compile + instantiate),
    compile, instantiate."""

    def __init__(self, info):
        self.experiment = info.get("experiment") or ""
        self.host_build = (info.get("host_build") or "").lower()
        self.engine = info.get("engine") or ""
        self.engine_name = info.get("engine_name") or ""
        self.engine_version = info.get("engine_version") or ""
        self.tier = info.get("tier") or ""
        self.config = info.get("config") or ""
        self.config_index = _int(info.get("config_index"), 0)
        self.abi = info.get("abi") or ""
        self.batch_size = _int(info.get("batch_size"))
        self.payload_bytes = _int(info.get("payload_bytes"))
        self.calls = _int(info.get("calls"), 0)
        self.stats = {}

    def key(self):
        return (self.experiment, self.host_build, self.engine, self.config, self.batch_size, self.payload_bytes)


def load_jsonl(path, warn):
    """Raw records -> groups. Malformed lines and records of other kinds are skipped with a note."""
    buckets = OrderedDict()
    bad = 0
    shown = [0]

    def note(msg):  # at most 10 notes per file, then a count
        shown[0] += 1
        if shown[0] <= 10:
            warn(msg)
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                bad += 1
                note(f"{path}:{number}: skipped malformed line ({e.msg})")
                continue
            if not isinstance(rec, dict):
                bad += 1
                note(f"{path}:{number}: skipped: not a JSON object")
                continue
            if rec.get("kind", "micro") != "micro":
                continue
            calls = _num(rec.get("calls"))
            loop_s = _num(rec.get("loop_s"))
            if not rec.get("engine") or not rec.get("config") or not calls or loop_s is None:
                bad += 1
                note(f"{path}:{number}: skipped: not a micro record (engine, config, calls, loop_s)")
                continue
            ns = _num(rec.get("ns_per_call"), loop_s * 1e9 / calls)
            rec_key = tuple(rec.get(k) if k in ("batch_size", "payload_bytes") else (rec.get(k) or "")
                            for k in KEY_FIELDS)
            rec_key = (rec_key[0], str(rec_key[1]).lower()) + rec_key[2:]
            g = buckets.get(rec_key)
            if g is None:
                g = buckets[rec_key] = (Group(rec), defaultdict(list))
            vals = g[1]
            compile_s = _num(rec.get("compile_s"), 0.0)
            inst_s = _num(rec.get("instantiate_s"), 0.0)
            vals["ns"].append(ns)
            vals["s100k"].append(ns * 1e-4)
            vals["incl"].append(ns * 1e-4 + compile_s + inst_s)
            vals["compile"].append(compile_s)
            vals["instantiate"].append(inst_s)
    if bad > 10:
        warn(f"{path}: {bad} lines skipped in all")
    groups = []
    for g, vals in buckets.values():
        g.stats = {m: Stat.of(v) for m, v in vals.items()}
        groups.append(g)
    return groups, bad


def _stat_from_row(row, metric):
    n = _int(row.get("n"), 0)
    get = lambda s: _num(row.get(f"{metric}_{s}"), float("nan"))
    return Stat(n, get("mean"), get("sd"), get("median"), get("ci_low"), get("ci_high"))


def load_summary_csv(path, warn):
    groups = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        reader = csv.DictReader(f)
        need = {"experiment", "host_build", "engine", "config", "ns_per_call_mean"}
        if not reader.fieldnames or not need.issubset(reader.fieldnames):
            raise ValueError(f"{path}: not a micro summary CSV (needs columns {', '.join(sorted(need))})")
        for number, row in enumerate(reader, 2):
            if not row.get("engine") or not row.get("config"):
                warn(f"{path}:{number}: skipped row without engine/config")
                continue
            g = Group(row)
            ns = _stat_from_row(row, "ns_per_call")
            g.stats["ns"] = ns
            g.stats["s100k"] = ns.scaled(1e-4)
            g.stats["compile"] = _stat_from_row(row, "compile_s")
            g.stats["instantiate"] = _stat_from_row(row, "instantiate_s")
            incl = _stat_from_row(row, "including_compile_s")
            if g.calls != 100000 and math.isfinite(ns.mean):
                extra = [x for x in (g.stats["compile"].mean, g.stats["instantiate"].mean) if math.isfinite(x)]
                mean = ns.mean * 1e-4 + sum(extra)
                below, above = incl.err()
                incl = Stat(ns.n, mean, incl.sd, ns.median * 1e-4 + sum(extra), mean - below, mean + above)
            g.stats["incl"] = incl
            groups.append(g)
    return groups


# ---------------------------------------------------------------------------------------------------------
# Presentation helpers

BUILD_ORDER = ["debug", "release"]
BUILD_LABEL = {"debug": "Debug host", "release": "Release host"}
BUILD_COLOR = {"debug": "#d95f02", "release": "#1b9e77"}
ABI_PRETTY = {"pair": "Pair", "bincode": "Bincode", "pod": "POD", "flatbuffers": "FlatBuffers",
              "batch": "Batch", "native": "Native", "srs": "SRS", "msgpack": "MessagePack"}
ABI_STYLE = ["-", "--", "-.", ":"]
ABI_MARKER = ["o", "s", "^", "D", "v", "P", "X"]


def builds_of(groups):
    present = {g.host_build for g in groups}
    return [b for b in BUILD_ORDER if b in present] + sorted(present - set(BUILD_ORDER))


# Tiers by kind, in the order cross-engine figures show them (fastest kinds first).
TIER_KINDS = ["native", "aot", "optimizing", "dynamic", "baseline", "interpreter"]
TIER_SHADE = {"native": "#f2f2f2", "aot": "#e5f0fa", "optimizing": "#e8f5e4", "dynamic": "#fdf3e1",
              "baseline": "#f6e8f3", "interpreter": "#fbe7e3"}


def engine_tiers(groups):
    """engine id -> tier kind, from the records (unknown tiers sort last)."""
    out = {}
    for g in groups:
        if g.engine not in out or not out[g.engine]:
            out[g.engine] = g.tier or ("native" if g.engine == "native" else "")
    return out


def engine_order(groups):
    tiers = engine_tiers(groups)
    rank = {k: i for i, k in enumerate(TIER_KINDS)}
    return sorted(tiers, key=lambda e: (rank.get(tiers[e], len(TIER_KINDS)), e))


def mark_tier_kinds(ax, engines, tiers):
    """Shades each run of engines of one tier kind and names the kind above it."""
    from matplotlib import transforms
    start = 0
    blend = transforms.blended_transform_factory(ax.transData, ax.transAxes)
    for i in range(1, len(engines) + 1):
        if i < len(engines) and tiers.get(engines[i], "") == tiers.get(engines[start], ""):
            continue
        kind = tiers.get(engines[start], "") or "?"
        ax.axvspan(start - 0.5, i - 0.5, color=TIER_SHADE.get(kind, "#ffffff"), zorder=0, linewidth=0)
        ax.text((start + i - 1) / 2, 0.985, kind, transform=blend, ha="center", va="top", fontsize=7.5,
                style="italic", color="#555555")
        start = i
    ax.set_xlim(-0.5, len(engines) - 0.5)


def engine_colors(engines):
    import matplotlib
    cmap = matplotlib.colormaps["tab10"]
    return {e: cmap(i % 10) for i, e in enumerate(engines)}


def pretty_config(name, width=16):
    words = [ABI_PRETTY.get(w, w) for w in re.split(r"[-_]", name) if w]
    return "\n".join(textwrap.wrap(" ".join(words), width)) or name


def config_label(index, name, width=16):
    return f"{index}. {pretty_config(name, width)}" if index or name == "native" else pretty_config(name, width)


def engine_title(groups, engine):
    g = next((x for x in groups if x.engine == engine), None)
    if g is None:
        return engine
    desc = " ".join(x for x in (g.engine_name, g.engine_version) if x)
    tier = f", tier {g.tier}" if g.tier and g.tier not in engine else ""
    return f"{engine} ({desc}{tier})" if desc else engine


def safe(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "unnamed"


def fmt_bytes(n):
    for unit, k in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= k and n % k == 0:
            return f"{n // k} {unit}"
    return f"{n} B"


def fmt_si(v, unit=""):
    if not math.isfinite(v):
        return "n/a"
    for p, k in (("G", 1e9), ("M", 1e6), ("k", 1e3), ("", 1.0), ("m", 1e-3), ("µ", 1e-6), ("n", 1e-9)):
        if abs(v) >= k:
            x = v / k
            return (f"{x:.3g}" if x < 100 else f"{x:.0f}") + f" {p}{unit}".rstrip()
    return f"{v:.3g} {unit}".rstrip()


def wide_range(values, factor=30.0):
    pos = [v for v in values if v is not None and math.isfinite(v) and v > 0]
    return len(pos) >= 2 and max(pos) / min(pos) > factor


class Writer:
    def __init__(self, out_dir, formats, dpi, plt):
        self.out_dir, self.formats, self.dpi, self.plt = out_dir, formats, dpi, plt
        self.written = []

    def save(self, fig, stem):
        for ext in self.formats:
            path = os.path.join(self.out_dir, f"{stem}.{ext}")
            fig.savefig(path, dpi=self.dpi)
            self.written.append(path)
            print(path, flush=True)
        self.plt.close(fig)


# ---------------------------------------------------------------------------------------------------------
# Figures 3/4/5: per engine, Table 1 configurations, Debug vs Release

def table1_configs(groups):
    cfgs = {}
    for g in groups:
        cfgs.setdefault(g.config, g.config_index)
    return sorted(cfgs.items(), key=lambda kv: (kv[1], kv[0]))


def _bars_panel(ax, groups, configs, build, metric, stacked):
    by_cfg = {g.config: g for g in groups}
    xs = list(range(len(configs)))
    color = BUILD_COLOR.get(build, "#7570b3")
    means, lows, highs, bottoms = [], [], [], []
    for name, _ in configs:
        g = by_cfg.get(name)
        st = g.stats.get(metric) if g else None
        if st is None or not math.isfinite(st.mean):
            means.append(float("nan")), lows.append(0.0), highs.append(0.0), bottoms.append(float("nan"))
            continue
        below, above = st.err()
        means.append(st.mean), lows.append(below), highs.append(above)
        bottoms.append(g.stats["s100k"].mean if stacked else st.mean)
    if stacked:
        loop = [b if math.isfinite(b) else 0.0 for b in bottoms]
        rest = [max(m - b, 0.0) if math.isfinite(m) and math.isfinite(b) else 0.0 for m, b in zip(means, bottoms)]
        ax.bar(xs, loop, width=0.7, color=color, edgecolor="black", linewidth=0.4, label="call loop")
        ax.bar(xs, rest, width=0.7, bottom=loop, color=color, alpha=0.35, edgecolor="black", linewidth=0.4,
               hatch="//", label="compile + instantiate")
    else:
        ax.bar(xs, [m if math.isfinite(m) else 0.0 for m in means], width=0.7, color=color,
               edgecolor="black", linewidth=0.4)
    ok = [i for i, m in enumerate(means) if math.isfinite(m)]
    ax.errorbar([xs[i] for i in ok], [means[i] for i in ok],
                yerr=[[lows[i] for i in ok], [highs[i] for i in ok]],
                fmt="none", ecolor="black", elinewidth=1.0, capsize=3)
    for i, m in enumerate(means):
        if not math.isfinite(m):
            ax.text(xs[i], 0, "n/a", ha="center", va="bottom", fontsize=7, color="grey")
    ax.set_xticks(xs)
    ax.set_xticklabels([config_label(i, n, 14) for n, i in configs], rotation=55, ha="right",
                       rotation_mode="anchor", fontsize=7.5)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_ylim(bottom=0)
    n = max((g.stats[metric].n for g in groups if metric in g.stats), default=0)
    return n


def _units_text(groups):
    calls = sorted({g.calls for g in groups if g.calls})
    n = sorted({g.stats["ns"].n for g in groups if "ns" in g.stats})
    ctext = (f"{calls[0]:,} calls" if len(calls) == 1 else
             f"{calls[0]:,}-{calls[-1]:,} calls" if calls else "calls")
    ntext = f"{n[0]}" if len(n) == 1 else (f"{n[0]}-{n[-1]}" if n else "?")
    return f"{ntext} replications of {ctext}"


def figures_per_engine(w, plt, groups, engines, builds, metric, stem, what, per_engine=True):
    t1 = [g for g in groups if g.experiment == "table1"]
    if not t1:
        return
    configs = table1_configs(t1)
    ylabel = ("seconds per 100,000 calls (s)" if metric == "s100k"
              else "seconds per 100,000 calls\n+ compile + instantiate (s)")
    stacked = metric == "incl"
    for engine in engines if per_engine else []:
        eg = [g for g in t1 if g.engine == engine]
        eb = [b for b in builds if any(g.host_build == b for g in eg)]
        if not eb:
            continue
        own = {g.config for g in eg}
        econfigs = [c for c in configs if c[0] in own]  # this engine's configurations, in Table 1 order
        fig, axes = plt.subplots(1, len(eb), figsize=(6.6 * len(eb) + 0.6, 5.4), layout="constrained", squeeze=False)
        for ax, b in zip(axes[0], eb):
            bg = [g for g in eg if g.host_build == b]
            _bars_panel(ax, bg, econfigs, b, metric, stacked)
            ax.set_title(f"{BUILD_LABEL.get(b, b)} — {_units_text(bg)}", fontsize=10)
            ax.set_ylabel(ylabel)
            if stacked:
                ax.legend(fontsize=8, loc="upper left")
        scales = " (each panel has its own y scale)" if len(eb) > 1 else ""
        fig.suptitle(f"{what}: {engine_title(groups, engine)}\n"
                     f"mean with 95% CI of the mean, per Table 1 configuration{scales}", fontsize=11)
        w.save(fig, f"{stem}_{safe(engine)}")
    # All engines in one grid.
    eng = [e for e in engines if any(g.engine == e for g in t1)]
    if len(eng) < 2:
        return
    fig, axes = plt.subplots(len(eng), len(builds), figsize=(6.4 * len(builds) + 0.6, 3.5 * len(eng) + 1.0),
                             layout="constrained", squeeze=False)
    for r, engine in enumerate(eng):
        for c, b in enumerate(builds):
            ax = axes[r][c]
            bg = [g for g in t1 if g.engine == engine and g.host_build == b]
            if not bg:
                ax.set_axis_off()
                ax.text(0.5, 0.5, f"{engine}: no {BUILD_LABEL.get(b, b)} data", ha="center", va="center",
                        transform=ax.transAxes, color="grey")
                continue
            _bars_panel(ax, bg, configs, b, metric, stacked)
            ax.set_title(f"{engine} — {BUILD_LABEL.get(b, b)}", fontsize=10)
            ax.set_ylabel("s / 100,000 calls" + (" (incl. compile)" if stacked else ""), fontsize=8.5)
            if r != len(eng) - 1:
                ax.set_xticklabels([])
            if stacked and r == 0 and c == 0:
                ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"{what}, every engine: mean with 95% CI ({_units_text(t1)}; each panel has its own y scale)",
                 fontsize=12)
    w.save(fig, f"{stem}_all_engines")


# ---------------------------------------------------------------------------------------------------------
# One configuration across engines, and small multiples

def _engine_bars(ax, groups, engines, builds, config, annotate):
    width = 0.8 / max(len(builds), 1)
    values = []
    for j, b in enumerate(builds):
        xs, ms, lo, hi = [], [], [], []
        for i, e in enumerate(engines):
            g = next((x for x in groups if x.engine == e and x.host_build == b and x.config == config), None)
            if g is None or not math.isfinite(g.stats["ns"].mean):
                continue
            st = g.stats["ns"]
            below, above = st.err()
            xs.append(i - 0.4 + width * (j + 0.5)), ms.append(st.mean), lo.append(below), hi.append(above)
        if not xs:
            continue
        values += ms
        bars = ax.bar(xs, ms, width=width * 0.95, color=BUILD_COLOR.get(b, "#7570b3"), edgecolor="black",
                      linewidth=0.4, label=BUILD_LABEL.get(b, b))
        ax.errorbar(xs, ms, yerr=[lo, hi], fmt="none", ecolor="black", elinewidth=0.9, capsize=2.5)
        if annotate:
            ax.bar_label(bars, labels=[f"{m:.3g}" for m in ms], padding=2, fontsize=7.5)
    log = wide_range(values)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xticks(range(len(engines)))
    ax.grid(axis="y", alpha=0.35, which="major")
    if log:
        ax.grid(axis="y", alpha=0.12, which="minor")
    ax.set_axisbelow(True)
    return log, values


def figures_across_engines(w, plt, groups, engines, builds, wanted):
    t1 = [g for g in groups if g.experiment == "table1"]
    if not t1:
        return
    configs = table1_configs(t1)
    names = [n for n, _ in configs]
    chosen = [c for c in wanted if c in names]
    for c in wanted:
        if c not in names:
            print(f"plot_micro.py: --config {c}: no such configuration in the data", file=sys.stderr)
    if not chosen and not wanted:
        by_index = {i: n for n, i in configs}
        chosen = ["pair-cached-preload-srs"] if "pair-cached-preload-srs" in names else \
                 [by_index[6]] if 6 in by_index else [names[0]]
    eng = [e for e in engines if any(g.engine == e for g in t1)]
    for config in chosen:
        index = dict(configs)[config]
        fig, ax = plt.subplots(figsize=(max(6.5, 1.25 * len(eng) + 3.0), 5.2), layout="constrained")
        log, _ = _engine_bars(ax, t1, eng, builds, config, annotate=True)
        mark_tier_kinds(ax, eng, engine_tiers(t1))
        ax.set_xticklabels(eng, rotation=20, ha="right", rotation_mode="anchor")
        ax.set_ylabel("ns per call" + (" (log scale)" if log else ""))
        ax.set_xlabel("engine")
        ax.legend(fontsize=9)
        ax.set_title(f"Table 1 configuration {config_label(index, config, 60)} on every engine\n"
                     f"mean ns per call with 95% CI ({_units_text([g for g in t1 if g.config == config])})",
                     fontsize=11)
        w.save(fig, f"config_across_engines_{safe(config)}")
    # Small multiples: every configuration.
    cols = 4 if len(configs) > 6 else max(1, min(3, len(configs)))
    rows = math.ceil(len(configs) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.3 * cols, 3.4 * rows + 0.8), layout="constrained",
                             squeeze=False)
    for k, (config, index) in enumerate(configs):
        ax = axes[k // cols][k % cols]
        log, _ = _engine_bars(ax, t1, eng, builds, config, annotate=False)
        mark_tier_kinds(ax, eng, engine_tiers(t1))
        ax.set_xticklabels(eng, rotation=40, ha="right", rotation_mode="anchor", fontsize=7.5)
        ax.set_title(config_label(index, config, 40).replace("\n", " ") + (" (log)" if log else ""), fontsize=9)
        ax.tick_params(axis="y", labelsize=7.5)
        if k % cols == 0:
            ax.set_ylabel("ns per call", fontsize=8.5)
    for k in range(len(configs), rows * cols):
        axes[k // cols][k % cols].set_axis_off()
    handles, labels = [], []
    for row in axes:
        for ax in row:
            for h, l in zip(*ax.get_legend_handles_labels()):
                if l not in labels:
                    handles.append(h), labels.append(l)
    if handles:
        if len(configs) < rows * cols:  # an empty slot holds the legend
            axes[-1][-1].legend(handles, labels, loc="center", fontsize=10, title="host build")
        else:
            axes[0][0].legend(handles, labels, fontsize=8)
    fig.suptitle("Every Table 1 configuration across engines: mean ns per call with 95% CI "
                 "(log scale where values differ by more than 30x)", fontsize=11)
    w.save(fig, "configs_across_engines")


# ---------------------------------------------------------------------------------------------------------
# Sweeps

def _series(groups, keyfn):
    out = OrderedDict()
    for g in groups:
        out.setdefault(keyfn(g), []).append(g)
    return out


def _pow2_ticks(ax, xs, formatter):
    from matplotlib import ticker
    ax.set_xscale("log", base=2)
    xs = sorted(set(xs))
    if len(xs) > 16:  # thin out, keeping both ends
        step = math.ceil(len(xs) / 12)
        xs = sorted(set(xs[::-1][::step]) | {xs[0]})
    ax.xaxis.set_major_locator(ticker.FixedLocator(xs))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: formatter(int(round(v)))))
    ax.xaxis.set_minor_locator(ticker.NullLocator())


def figure_batch(w, plt, groups, engines, builds, colors):
    bg = [g for g in groups if g.experiment == "batch" and g.batch_size]
    if not bg:
        print("plot_micro.py: no batch-sweep records: batch_sweep skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in bg if g.host_build == b]
        if not data:
            continue
        # Reference: the guest's own work per record.
        ref_groups = [g for g in data if g.abi == "native" or "native" in g.config.split("-")]
        ref_label = "guest's own work (native, no call boundary)"
        series_groups = [g for g in data if g not in ref_groups]
        if not ref_groups:
            nat = [g for g in series_groups if g.engine == "native"]
            if nat:
                top = max(g.batch_size for g in nat)
                ref_groups = [g for g in nat if g.batch_size == top]
                ref_label = f"guest's own work (engine native at N = {top})"
        fig, ax = plt.subplots(figsize=(9.5, 6.0), layout="constrained")
        multi_cfg = len({g.config for g in series_groups}) > 1
        series = _series(series_groups, lambda g: (g.engine, g.config))
        cfg_style = {c: ABI_STYLE[i % len(ABI_STYLE)] for i, c in enumerate(sorted({g.config for g in series_groups}))}
        for (engine, config), gs in sorted(series.items(), key=lambda kv: (engines.index(kv[0][0]), kv[0][1])):
            gs = sorted(gs, key=lambda g: g.batch_size)
            xs = [g.batch_size for g in gs]
            st = [g.stats["ns"].scaled(1.0 / g.batch_size) for g in gs]
            ys = [s.mean for s in st]
            err = list(zip(*[s.err() for s in st]))
            label = f"{engine} · {config}" if multi_cfg else engine
            ax.errorbar(xs, ys, yerr=[list(err[0]), list(err[1])], color=colors[engine], linestyle=cfg_style[config],
                        marker="o", markersize=3.5, linewidth=1.6, capsize=2, label=label)
        refs = [g.stats["ns"].scaled(1.0 / g.batch_size).median for g in ref_groups]
        refs = [r for r in refs if math.isfinite(r)]
        if refs:
            ref = min(refs)
            ax.axhline(ref, color="black", linestyle=":", linewidth=1.3, label=f"{ref_label}: {ref:.3g} ns")
        xs_all = [g.batch_size for g in data]
        _pow2_ticks(ax, xs_all, str)
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_xlabel("batch size N (records per call)")
        ax.set_ylabel("ns per record (log scale)")
        ax.set_title(f"Batch ABI: per-record cost vs batch size — {BUILD_LABEL.get(b, b)}\n"
                     f"mean ns per call / N with 95% CI ({_units_text(data)})", fontsize=11)
        ax.legend(fontsize=8.5, ncol=2 if len(series) > 6 else 1)
        w.save(fig, f"batch_sweep_{safe(b)}")


def figure_directions(w, plt, groups, engines, builds):
    """Both directions of the hop per engine: host-to-guest (typed Pair call) beside guest-to-host
    (a guest loop calling a host function with two scalars), mean ns per call with 95% CI."""
    pairs = {"host → guest (pair-typed)": ("table1", "pair-typed"),
             "guest → host (host-pair)": ("hostcall", "host-pair")}
    if not any(g.experiment == "hostcall" for g in groups):
        print("plot_micro.py: no guest-to-host records: hop_directions skipped", file=sys.stderr)
        return
    for b in builds:
        es = [e for e in engines if any(g.engine == e and g.host_build == b and g.experiment == "hostcall"
                                        for g in groups)]
        if not es:
            continue
        fig, ax = plt.subplots(figsize=(max(7.0, 0.9 * len(es) + 2.5), 5.2), layout="constrained")
        width = 0.38
        values = []
        for j, (label, (exp, cfg)) in enumerate(pairs.items()):
            xs, ms, lo, hi = [], [], [], []
            for i, e in enumerate(es):
                g = next((x for x in groups if x.engine == e and x.host_build == b and x.experiment == exp
                          and x.config == cfg), None)
                if g is None or not math.isfinite(g.stats["ns"].mean):
                    continue
                st = g.stats["ns"]
                below, above = st.err()
                xs.append(i - 0.2 + width * j), ms.append(st.mean), lo.append(below), hi.append(above)
            if not xs:
                continue
            values += ms
            bars = ax.bar(xs, ms, width=width * 0.95, color=["#1b9e77", "#7570b3"][j], edgecolor="black",
                          linewidth=0.4, label=label)
            ax.errorbar(xs, ms, yerr=[lo, hi], fmt="none", ecolor="black", elinewidth=0.9, capsize=2.5)
            ax.bar_label(bars, labels=[f"{m:.3g}" for m in ms], padding=2, fontsize=7.5)
        if wide_range(values):
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        ax.set_xticks(range(len(es)))
        ax.set_xticklabels(es, rotation=30, ha="right")
        ax.set_ylabel("ns per call (mean, 95% CI)")
        ax.grid(axis="y", alpha=0.35)
        ax.set_axisbelow(True)
        ax.set_title(f"One hop each way — {BUILD_LABEL.get(b, b)}\nthe host calling the guest, the guest "
                     f"calling the host (two i32 in, one out)", fontsize=10)
        ax.legend(fontsize=8.5)
        w.save(fig, f"hop_directions_{safe(b)}")


def figure_payload(w, plt, groups, engines, builds, colors):
    from matplotlib import ticker
    pg = [g for g in groups if g.experiment == "payload" and g.payload_bytes]
    if not pg:
        print("plot_micro.py: no payload-sweep records: payload_sweep skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in pg if g.host_build == b]
        if not data:
            continue
        fig, (ax1, ax2, axl) = plt.subplots(1, 3, figsize=(15.0, 6.0), layout="constrained",
                                            gridspec_kw={"width_ratios": [1.0, 1.0, 0.3]})
        # One line per engine x ABI (x config when an ABI has several configurations in the sweep).
        cfgs_per_abi = defaultdict(set)
        for g in data:
            cfgs_per_abi[g.abi].add(g.config)
        keyfn = lambda g: (g.engine, g.abi or g.config, g.config if len(cfgs_per_abi[g.abi]) > 1 else "")
        series = _series(data, keyfn)
        variants = sorted({(k[1], k[2]) for k in series})
        style = {v: (ABI_STYLE[i % len(ABI_STYLE)], ABI_MARKER[i % len(ABI_MARKER)]) for i, v in enumerate(variants)}
        for key, gs in sorted(series.items(), key=lambda kv: (engines.index(kv[0][0]), kv[0][1:])):
            engine, abi, config = key
            gs = sorted(gs, key=lambda g: g.payload_bytes)
            xs = [g.payload_bytes for g in gs]
            st = [g.stats["ns"] for g in gs]
            ls, mk = style[(abi, config)]
            label = f"{engine} · {ABI_PRETTY.get(abi, abi)}" + (f" ({config})" if config else "")
            e = list(zip(*[s.err() for s in st]))
            ax1.errorbar(xs, [s.mean for s in st], yerr=[list(e[0]), list(e[1])], color=colors[engine],
                         linestyle=ls, marker=mk, markersize=3.5, linewidth=1.5, capsize=2, label=label)
            # bytes/s from the mean time per call; the CI maps through 1/x (asymmetric).
            bps = [p * 1e9 / s.mean if s.mean > 0 else float("nan") for p, s in zip(xs, st)]
            lo = [max(v - (p * 1e9 / s.hi), 0.0) if s.hi > 0 and math.isfinite(v) else 0.0
                  for v, p, s in zip(bps, xs, st)]
            hi = [((p * 1e9 / s.lo) - v) if s.lo > 0 and math.isfinite(v) else 0.0 for v, p, s in zip(bps, xs, st)]
            ax2.errorbar(xs, bps, yerr=[lo, hi], color=colors[engine], linestyle=ls, marker=mk, markersize=3.5,
                         linewidth=1.5, capsize=2, label=label)
        xs_all = [g.payload_bytes for g in data]
        for ax in (ax1, ax2):
            _pow2_ticks(ax, xs_all, fmt_bytes)
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
            ax.set_xlabel("payload size per call (bytes, log scale)")
            for lab in ax.get_xticklabels():
                lab.set_rotation(30)
                lab.set_ha("right")
        ax1.set_ylabel("ns per call (log scale)")
        ax1.set_title("time per call", fontsize=10)
        ax2.set_ylabel("throughput (bytes/s, log scale)")
        ax2.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_si(v, "B/s")))
        ax2.set_title("throughput = payload / mean time per call", fontsize=10)
        handles, labels = ax1.get_legend_handles_labels()
        axl.set_axis_off()
        axl.legend(handles, labels, loc="center left", fontsize=8.5, title="engine · ABI", frameon=False)
        fig.suptitle(f"Variable-length payloads (8 B … 64 KiB) — {BUILD_LABEL.get(b, b)}: mean with 95% CI "
                     f"({_units_text(data)})", fontsize=11)
        w.save(fig, f"payload_sweep_{safe(b)}")


# ---------------------------------------------------------------------------------------------------------

def _canonical_figure(w, plt, groups, engines, builds):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import plot_canonical  # tools/plot_canonical.py
    plot_canonical.figure_canonical(sys.modules[__name__], w, plt, groups, engines, builds)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Plots of the wasmhop micro-benchmark (paper Figures 3-5, cross-engine charts, sweeps) "
                    "from raw records (.jsonl) or the summary CSV.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", metavar="INPUT", help="records .jsonl or micro_summary.csv")
    ap.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    ap.add_argument("--formats", default="png,svg", help="comma-separated: png,svg,pdf (default png,svg)")
    ap.add_argument("--config", action="append", default=[], metavar="NAME",
                    help="configuration for config_across_engines_<NAME> (repeatable)")
    ap.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    ap.add_argument("--no-per-engine", action="store_true",
                    help="skip the one-figure-per-engine charts (the all-engine grids are still drawn)")
    args = ap.parse_args(argv)

    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    if not formats or any(f not in ("png", "svg", "pdf") for f in formats):
        ap.error(f"--formats: expected png, svg and/or pdf, got {args.formats!r}")

    def warn(msg):
        print(f"plot_micro.py: {msg}", file=sys.stderr)

    groups, by_key = [], OrderedDict()
    for path in args.inputs:
        try:
            if path.lower().endswith(".csv"):
                loaded = load_summary_csv(path, warn)
            else:
                loaded, _ = load_jsonl(path, warn)
        except (OSError, ValueError) as e:
            warn(f"cannot read {path}: {e}")
            return 2
        for g in loaded:
            by_key[g.key()] = g  # a later input replaces an earlier group with the same key
    groups = [g for g in by_key.values() if "ns" in g.stats and g.stats["ns"].n > 0]
    if not groups:
        warn("no micro-benchmark data in the inputs: nothing plotted")
        return 1

    plt = plot_env.pyplot(__file__)
    plt.rcParams.update({"font.size": 9.5, "axes.titlesize": 10, "svg.fonttype": "none",
                         "figure.dpi": args.dpi})
    os.makedirs(args.out, exist_ok=True)
    w = Writer(args.out, formats, args.dpi, plt)
    engines = engine_order(groups)
    builds = builds_of(groups)
    colors = engine_colors(engines)

    steps = [
        lambda: figures_per_engine(w, plt, groups, engines, builds, "s100k", "fig3_4",
                                   "Call cost (paper Figures 3/4)", not args.no_per_engine),
        lambda: figures_per_engine(w, plt, groups, engines, builds, "incl", "fig5",
                                   "Call cost including compile + instantiate (paper Figure 5)", not args.no_per_engine),
        lambda: figures_across_engines(w, plt, groups, engines, builds, args.config),
        lambda: figure_batch(w, plt, groups, engines, builds, colors),
        lambda: figure_payload(w, plt, groups, engines, builds, colors),
        lambda: figure_directions(w, plt, groups, engines, builds),
        lambda: _canonical_figure(w, plt, groups, engines, builds),
    ]
    failed = 0
    for step in steps:
        try:
            step()
        except Exception as e:  # one figure failing must not lose the others
            failed += 1
            import traceback
            warn(f"a figure failed: {e!r}")
            traceback.print_exc(file=sys.stderr)
            plt.close("all")
    if not w.written:
        warn("no figures written")
        return 1
    return 0 if not failed else 4


if __name__ == "__main__":
    sys.exit(main())
