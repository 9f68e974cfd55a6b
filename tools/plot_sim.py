#!/usr/bin/env python3
"""Plots of the wasmhop cache simulator, drawn from the summaries that C++ writes.

Usage:
    python3 tools/plot_sim.py SUMMARY --out DIR [--formats png,svg] [--cache-size 4MiB]
                              [--size-change first-size] [--time cpu|wall] [--paper-scenarios] [--dpi 150]
                              [--purpose time|sweep|check] [--host-build B] [--trace T]

SUMMARY is sim_summary.csv (schema 2, src/report/sim_summary.hpp), or a directory holding it; the
ratio figure reads sim_ratios.csv beside it (src/report/sim_ratios.hpp). `wasmhop sim --out DIR` writes
both into DIR, `wasmhop report` into DIR/report/. Every number drawn comes from them: hit rates, the median
time over the replications, the native baseline's median, the geometric mean / minimum / maximum of the
scripted / native ratios over the policies. This script selects rows (--purpose, --host-build, --trace,
--cache-size, --size-change, --paper-scenarios) and draws; it computes nothing. Every bar and point
carries its value (tools/plot_labels.py). The paths written are printed on stdout.

Figures (only those the data allows; the rest are skipped with a note on stderr):
    fig6_hit_rate[_<mode>]       hit rate (%) vs cache size (log2 axis), one line per policy (native direct
                                 rows where present: every engine counts the same)
    fig6_byte_hit_rate[_<mode>]  the same for the byte hit rate
    fig7_time_<size>_<engine>    median simulation seconds per policy x scenario at one cache size, the
                                 native baseline beside each scenario of that engine (grouped bars; log axis
                                 when the values differ by more than 30x)
    fig7_time_<size>_all         the same, one panel per engine
    ratio_<size>                 scripted / native time per engine and scenario: the geometric mean over the
                                 policies (bars, log axis) and the range over the policies (whiskers), with the
                                 paper's 5-10x band for Wasmer

Scenarios: "native (direct)" (the baseline) and, per engine, "<abi> cached" / "<abi> uncached";
--paper-scenarios keeps the paper's ABIs (pair, bincode, pod-static). Time: CPU seconds (default, steadier
on a busy machine) or wall seconds (--time wall).

Exit status: 0 when every figure the data allows was written, 1 when the summary holds no usable rows, 2 on
bad usage or an unreadable or wrong-schema input, 3 when matplotlib is missing, 4 when some figure failed.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import plot_env  # noqa: E402  tools/plot_env.py: matplotlib, or a re-run with /usr/bin/python3
import plot_labels  # noqa: E402

SCHEMA = "2"  # the schema column of sim_summary.csv / sim_ratios.csv this script reads
NATIVE = "native (direct)"


def note(msg):
    print(f"plot_sim.py: {msg}", file=sys.stderr)


def num(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return float("nan")
    return v if math.isfinite(v) else float("nan")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    bad = {r.get("schema") for r in rows} - {SCHEMA}
    if bad:
        raise ValueError(f"{path}: schema {', '.join(sorted(str(b) for b in bad))}, this script reads schema "
                         f"{SCHEMA}: write it again with this wasmhop (`wasmhop report DIR` or `wasmhop sim --out`)")
    return rows


def load(path, args):
    if os.path.isdir(path):
        path = os.path.join(path, "sim_summary.csv")
    keep = lambda r: ((not args.purpose or r.get("purpose") == args.purpose) and
                      (args.host_build is None or r.get("host_build") == args.host_build) and
                      (args.trace is None or r.get("trace") == args.trace))
    rows = [r for r in read_csv(path) if keep(r)]
    ratios_path = os.path.join(os.path.dirname(path), "sim_ratios.csv")
    ratios = [r for r in read_csv(ratios_path) if keep(r)] if os.path.exists(ratios_path) else None
    return rows, ratios


# ---------------------------------------------------------------------------------------------------------
# Presentation helpers

UNITS = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
POLICY_ORDER = ["fifo", "lru", "lfu", "gds", "gdsf", "lfuda", "largest-first"]
ABI_ORDER = ["pair", "bincode", "pod-static", "pod-dynamic", "batch"]
PAPER_ABIS = {"pair", "bincode", "pod-static"}
ENGINE_ORDER = ["native", "wasm2c", "v8-turbofan", "v8", "v8-liftoff", "wabt-interp"]


def human_bytes(n):
    for unit, k in UNITS:
        if n >= k and n % k == 0:
            return f"{n // k} {unit}"
    for unit, k in UNITS:
        if n >= k:
            return f"{n / k:.3g} {unit}"
    return f"{n} B"


def parse_size(text):
    m = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]i?B)?\s*", text, re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"bad cache size '{text}' (e.g. 4MiB or 4194304)")
    value, unit = float(m.group(1)), (m.group(2) or "").lower()
    scale = {"": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
             "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}[unit]
    return int(round(value * scale))


def slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


def policy_key(label):
    base = label.split("(")[0]
    return (POLICY_ORDER.index(base) if base in POLICY_ORDER else len(POLICY_ORDER), label)


def abi_key(abi):
    base = abi.split(":")[0]
    return (ABI_ORDER.index(base) if base in ABI_ORDER else len(ABI_ORDER), abi)


def engine_key(engine):
    return (ENGINE_ORDER.index(engine) if engine in ENGINE_ORDER else len(ENGINE_ORDER), engine)


def scenario_key(s):
    if s == NATIVE:
        return ((-1, ""), 0)
    abi, cached = s.rsplit(" ", 1)
    return (abi_key(abi), 0 if cached == "cached" else 1)


def scenario_color(s, plt):
    """One hue per ABI: dark when cached, light when uncached; the native baseline is black."""
    if s == NATIVE:
        return "#222222"
    abi, cached = s.rsplit(" ", 1)
    return plt.get_cmap("tab20")((2 * abi_key(abi)[0] + (0 if cached == "cached" else 1)) % 20)


def plain_log_labels(ax):
    """Numbers (0.02, 1, 5, 10) rather than powers of ten on a log axis."""
    from matplotlib import ticker
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(ticker.FuncFormatter(
        lambda v, _: f"{v:g}" if v > 0 and f"{v:.0e}"[0] in "25" else ""))
    ax.tick_params(axis="y", which="minor", labelsize=7)


class Writer:
    def __init__(self, out_dir, formats, dpi, plt):
        self.out_dir, self.formats, self.dpi, self.plt = out_dir, formats, dpi, plt

    def save(self, fig, stem, labels):
        labels.finish(fig)
        if labels.note():
            fig.text(0.5, 0.0, labels.note() + " (sim_summary.csv)", ha="center", va="top", fontsize=7,
                     color="#555555")
            note(f"{stem}: {labels.note()}")
        for ext in self.formats:
            path = os.path.join(self.out_dir, f"{stem}.{ext}")
            fig.savefig(path, dpi=self.dpi, bbox_inches="tight")
            print(path, flush=True)
        self.plt.close(fig)


# ---------------------------------------------------------------------------------------------------------
# Figures

def hit_rate_figures(rows, w, plt):
    """Hit rate and byte hit rate vs cache size, one line per policy, per size-change mode."""
    from matplotlib import ticker
    modes = sorted({r["size_change"] for r in rows}, key=lambda m: (m != "first-size", m))
    made = 0
    for mode in modes:
        # Counts are the same on every engine (the tests prove it): the native direct row, else any.
        curves = defaultdict(dict)
        for r in rows:
            size = int(r["cache_bytes"])
            if r["size_change"] == mode and (size not in curves[r["policy"]] or r["engine"] == "native-direct"):
                curves[r["policy"]][size] = r
        curves = {k: v for k, v in curves.items() if len(v) >= 2}
        if not curves:
            note(f"hit-rate figures ({mode}): fewer than two cache sizes per policy; skipped")
            continue
        suffix = "" if mode == "first-size" else f"_{slug(mode)}"
        for column, title, stem in (("hit_rate", "Hit rate", "fig6_hit_rate"),
                                    ("byte_hit_rate", "Byte hit rate", "fig6_byte_hit_rate")):
            fig, ax = plt.subplots(figsize=(11, 7))
            labels = plot_labels.Labels()
            markers = "osD^vP*Xh<>"
            for i, policy in enumerate(sorted(curves, key=policy_key)):
                pts = sorted(curves[policy].items())
                xs, ys = [p[0] for p in pts], [num(p[1][column]) for p in pts]
                line, = ax.plot(xs, ys, marker=markers[i % len(markers)], markersize=4, linewidth=1.4, label=policy)
                labels.points(ax, xs, ys, ys, color=line.get_color(), fmt=plot_labels.fmt_percent)
            ax.set_xscale("log", base=2)
            ax.set_xticks(sorted({s for c in curves.values() for s in c}))
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: human_bytes(int(v))))
            ax.xaxis.set_minor_locator(ticker.NullLocator())
            ax.yaxis.set_major_formatter(ticker.PercentFormatter(xmax=1.0))
            plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
            ax.set_xlabel("cache size (log2 scale)")
            ax.set_ylabel(f"{title.lower()} (%)")
            ax.set_title(f"{title} vs cache size ({mode} mode)")
            ax.grid(True, which="major", alpha=0.3)
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
            w.save(fig, stem + suffix, labels)
            made += 1
    return made


def pick_size(rows, wanted):
    timed = sorted({int(r["cache_bytes"]) for r in rows if r["engine"] != "native-direct"})
    if not timed:
        return None
    if wanted is not None:
        return wanted if wanted in timed else None
    return (4 << 20) if (4 << 20) in timed else timed[0]


def time_table(rows, size, mode, which, paper_only):
    """{engine: {policy: {scenario: median seconds}}}: C++'s medians, the native baseline's under every
    engine (its median, from the row's native_<which>_s_median); and {engine: requests}."""
    table = defaultdict(lambda: defaultdict(dict))
    requests = {}
    for r in rows:
        if int(r["cache_bytes"]) != size or r["size_change"] != mode or r["engine"] == "native-direct":
            continue
        if paper_only and r["abi"].split(":")[0] not in PAPER_ABIS:
            continue
        per = table[r["engine"]][r["policy"]]
        per[r["scenario"]] = num(r[f"{which}_s_median"])
        native = num(r[f"native_{which}_s_median"])
        if math.isfinite(native):
            per[NATIVE] = native
        requests[r["engine"]] = int(r["requests"])
    return table, requests


def bars_panel(ax, labels, per_policy, title, ylabel, plt):
    policies = sorted(per_policy, key=policy_key)
    scenarios = sorted({s for p in policies for s in per_policy[p]}, key=scenario_key)
    width = 0.84 / max(1, len(scenarios))
    values = []
    for j, s in enumerate(scenarios):
        xs = [i - 0.42 + width * (j + 0.5) for i, p in enumerate(policies) if s in per_policy[p]]
        ys = [per_policy[p][s] for p in policies if s in per_policy[p]]
        values += [y for y in ys if math.isfinite(y)]
        bars = ax.bar(xs, ys, width=width, color=scenario_color(s, plt), label=s, edgecolor="none")
        labels.bars(ax, bars, ys, fontsize=6.5)
    ax.set_xticks(range(len(policies)))
    ax.set_xticklabels(policies, rotation=20, ha="right")
    pos = [v for v in values if v > 0]
    if len(pos) >= 2 and max(pos) / min(pos) > 30:  # axis choice only
        ax.set_yscale("log")
        plain_log_labels(ax)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)


def exec_time_figures(rows, w, plt, size, mode, which, paper_only):
    table, requests = time_table(rows, size, mode, which, paper_only)
    if not table:
        note(f"execution-time figures: no scripted runs at {human_bytes(size)} ({mode}); skipped")
        return 0
    what = "CPU" if which == "cpu" else "wall"
    engines = sorted(table, key=engine_key)
    tag = slug(human_bytes(size).replace(" ", ""))
    made = 0
    for engine in engines:
        fig, ax = plt.subplots(figsize=(12, 5.5))
        labels = plot_labels.Labels()
        bars_panel(ax, labels, table[engine], f"Simulation time at {human_bytes(size)}: {engine} vs native "
                   f"({requests[engine]:,} requests), median over the replications", f"{what} seconds", plt)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        w.save(fig, f"fig7_time_{tag}_{slug(engine)}", labels)
        made += 1
    if len(engines) > 1:
        height = 3.8 * len(engines) + 1.0
        fig, axes = plt.subplots(len(engines), 1, figsize=(12, height), squeeze=False)
        labels = plot_labels.Labels()
        handles = {}
        for ax, engine in zip(axes[:, 0], engines):
            bars_panel(ax, labels, table[engine], f"{engine} ({requests[engine]:,} requests)", f"{what} s", plt)
            for h, l in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(l, h)
        names = sorted(handles, key=scenario_key)
        fig.suptitle(f"Simulation time per policy and scenario at {human_bytes(size)} ({mode}), median over the "
                     f"replications", y=1 - 0.1 / height, va="top")
        fig.legend([handles[l] for l in names], names, loc="upper center", ncol=min(6, len(names)), fontsize=8,
                   bbox_to_anchor=(0.5, 1 - 0.4 / height))
        fig.tight_layout(rect=(0, 0, 1, 1 - 1.0 / height))
        w.save(fig, f"fig7_time_{tag}_all", labels)
        made += 1
    return made


def ratio_figure(ratios, w, plt, size, mode, which, paper_only):
    sel = [r for r in ratios if int(r["cache_bytes"]) == size and r["size_change"] == mode and
           (not paper_only or r["abi"].split(":")[0] in PAPER_ABIS) and math.isfinite(num(r[f"{which}_ratio_geomean"]))]
    if not sel:
        note("ratio figure: no scripted runs with a native baseline at the same size; skipped")
        return 0
    engines = sorted({r["engine"] for r in sel}, key=engine_key)
    scenarios = sorted({r["scenario"] for r in sel}, key=scenario_key)
    width = 0.84 / len(scenarios)
    fig, ax = plt.subplots(figsize=(max(9, 1.9 * len(engines) + 3), 5.5))
    labels = plot_labels.Labels()
    for j, s in enumerate(scenarios):
        rs = sorted((r for r in sel if r["scenario"] == s), key=lambda r: engine_key(r["engine"]))
        xs = [engines.index(r["engine"]) - 0.42 + width * (j + 0.5) for r in rs]
        g = [num(r[f"{which}_ratio_geomean"]) for r in rs]
        lo = [num(r[f"{which}_ratio_min"]) for r in rs]
        hi = [num(r[f"{which}_ratio_max"]) for r in rs]
        bars = ax.bar(xs, g, width=width, color=scenario_color(s, plt), label=s,
                      yerr=[[max(0.0, a - b) for a, b in zip(g, lo)], [max(0.0, b - a) for a, b in zip(g, hi)]],
                      capsize=1.5, error_kw={"elinewidth": 0.6, "ecolor": "#444444"})
        labels.bars(ax, bars, g, tops=hi, fontsize=6.5)
    ax.axhspan(5, 10, color="#d62728", alpha=0.08, label="paper: Wasmer 5-10x")
    ax.axhline(1, color="#222222", linewidth=0.8)
    ax.set_yscale("log")
    plain_log_labels(ax)
    ax.set_xticks(range(len(engines)))
    ax.set_xticklabels(engines, rotation=20, ha="right")
    ax.set_xlim(-0.5, len(engines) - 0.5)
    ax.set_ylabel(f"scripted / native {('CPU' if which == 'cpu' else 'wall')} time (log)")
    ax.set_title(f"Slowdown of the scripted policies at {human_bytes(size)} ({mode}): geometric mean over the "
                 f"policies of the median ratio, whiskers = range")
    ax.grid(True, axis="y", which="both", alpha=0.25)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    w.save(fig, f"ratio_{slug(human_bytes(size).replace(' ', ''))}", labels)
    return 1


# ---------------------------------------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("summary", help="sim_summary.csv, or a directory holding it (and sim_ratios.csv)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--formats", default="png,svg", help="comma list of image formats (default png,svg)")
    ap.add_argument("--cache-size", type=parse_size, default=None,
                    help="cache size of the execution-time figures (default 4MiB if present, else the smallest)")
    ap.add_argument("--size-change", default=None, help="size-change mode of the time figures (default first-size)")
    ap.add_argument("--time", choices=("cpu", "wall"), default="cpu", help="CPU or wall seconds")
    ap.add_argument("--paper-scenarios", action="store_true",
                    help="only the paper's seven scenarios (native, pair/bincode/pod-static x cached/uncached)")
    ap.add_argument("--purpose", default=None, help="only rows of this purpose (a suite's time, sweep, check)")
    ap.add_argument("--host-build", default=None, help="only rows of this host build")
    ap.add_argument("--trace", default=None, help="only rows of this trace")
    ap.add_argument("--dpi", type=int, default=150)
    args = ap.parse_args(argv)

    try:
        rows, ratios = load(args.summary, args)
    except (OSError, ValueError) as e:
        note(str(e))
        return 2
    if not rows:
        note("no usable rows in the summary")
        return 1
    plt = plot_env.pyplot(__file__)
    os.makedirs(args.out, exist_ok=True)
    w = Writer(args.out, [f.strip() for f in args.formats.split(",") if f.strip()], args.dpi, plt)
    modes = {r["size_change"] for r in rows}
    mode = args.size_change or ("first-size" if "first-size" in modes else sorted(modes)[0])

    steps = [lambda: hit_rate_figures(rows, w, plt)]
    size = pick_size(rows, args.cache_size)
    if size is None:
        note("no scripted runs" + (f" at {human_bytes(args.cache_size)}" if args.cache_size else "") +
             ": execution-time and ratio figures skipped")
    else:
        steps.append(lambda: exec_time_figures(rows, w, plt, size, mode, args.time, args.paper_scenarios))
        if ratios is None:
            note("no sim_ratios.csv beside the summary: ratio figure skipped")
        else:
            steps.append(lambda: ratio_figure(ratios, w, plt, size, mode, args.time, args.paper_scenarios))
    failed, made = False, 0
    for step in steps:
        try:
            made += step()
        except Exception as e:  # one figure failing must not lose the others
            failed = True
            note(f"a figure failed: {type(e).__name__}: {e}")
    if failed:
        return 4
    return 0 if made or size is not None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
