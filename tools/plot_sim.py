#!/usr/bin/env python3
"""Plots of the wasmhop cache simulator (`wasmhop sim`), from the CSV or JSON it writes.

Usage:
    python3 tools/plot_sim.py INPUT [INPUT ...] --out DIR [--formats png,svg] [--cache-size 4MiB]
                              [--size-change first-size] [--time cpu|wall] [--paper-scenarios] [--dpi 150]

INPUT is a `wasmhop sim --csv` file or a `--json` file (or a directory holding sim.csv / sim.json, as
`--out` writes them); several inputs are merged. Rows that repeat a run (same policy, cost, cache size,
size-change mode, engine, tier, ABI, cached: several replications) are summarised by the median time; their
counts must agree, and a disagreement is reported on stderr. The paths written are printed on stdout.

Figures (only those the data allows; the rest are skipped with a note on stderr):
    fig6_hit_rate[_<mode>]       hit rate (%) vs cache size (log2 axis), one line per policy (the paper's
                                 "simulator hit rates" figure)
    fig6_byte_hit_rate[_<mode>]  the same for the byte hit rate
    fig7_time_<size>_<engine>    simulation seconds per policy x scenario at one cache size, the native
                                 baseline beside each scenario of that engine (grouped bars; log axis when
                                 the values differ by more than 30x)
    fig7_time_<size>_all         the same, one panel per engine
    ratio_<size>                 scripted / native time per engine and scenario: the geometric mean over the
                                 policies (bars, log axis) and the range over the policies (whiskers), with the
                                 paper's 5-10x band for Wasmer
Tables written beside the figures (CSV): sim_times_<size>.csv (median seconds and ratio per policy x engine x
scenario) and sim_ratios_<size>.csv (per engine x scenario: geometric mean, min, max of the ratios).

Scenarios: native (engine native, ABI direct: the baseline) and, per engine, <abi> cached / uncached for the
ABIs pair, bincode, pod-static (the paper's seven scenarios with native), pod-dynamic and batch;
--paper-scenarios keeps only the paper's seven. Time: sim_cpu_seconds (default, steadier on a busy machine)
or sim_seconds (--time wall).

Exit status: 0 when every figure the data allows was written, 1 when the inputs hold no usable data, 2 on bad
usage or an unreadable input, 3 when matplotlib is missing, 4 when some figure failed (the others are written).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import statistics
import sys
from collections import OrderedDict, defaultdict

import plot_env  # tools/plot_env.py: matplotlib, or a re-run with /usr/bin/python3


def note(msg):
    print(f"plot_sim.py: {msg}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------------------
# Input

# "requests" tells traces apart: slow engines may run on a shorter prefix of the workload, and each is
# compared with the native baseline on the same trace.
KEY = ("policy", "cost", "cache_bytes", "size_change", "engine", "tier", "abi", "cached", "requests")
COUNTS = ("requests", "hits", "bytes_requested", "bytes_hit")


class Run:
    """All replications of one (policy, cost, size, mode, engine, tier, abi, cached)."""

    def __init__(self, rec):
        self.policy = rec["policy"]
        self.cost = rec["cost"] or "-"
        self.cache_bytes = int(rec["cache_bytes"])
        self.size_change = rec["size_change"]
        self.tier = rec["tier"]
        self.abi = rec["abi"]
        # The native engine through the ABIs is shown apart from the direct baseline.
        self.engine = "native-engine" if rec["engine"] == "native" and self.abi != "direct" else rec["engine"]
        self.cached = rec["cached"]
        self.counts = tuple(int(rec[c]) for c in COUNTS)
        self.cpu, self.wall = [], []

    @property
    def label(self):
        return self.policy if self.cost in ("-", "", None) else f"{self.policy}({self.cost})"

    @property
    def native(self):
        return self.abi == "direct"

    @property
    def scenario(self):
        return "native" if self.native else f"{self.abi} {'cached' if self.cached else 'uncached'}"

    def hit_rate(self):
        return 100.0 * self.counts[1] / self.counts[0] if self.counts[0] else float("nan")

    def byte_hit_rate(self):
        return 100.0 * self.counts[3] / self.counts[2] if self.counts[2] else float("nan")

    def seconds(self, which):
        values = self.cpu if which == "cpu" else self.wall
        return statistics.median(values) if values else float("nan")


def _bool(v):
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("true", "1", "yes")


def _records_from(path):
    if os.path.isdir(path):
        for name in ("sim.csv", "sim.json"):
            if os.path.exists(os.path.join(path, name)):
                return _records_from(os.path.join(path, name))
        raise ValueError(f"{path}: no sim.csv or sim.json")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("{"):
        return json.loads(text).get("records", [])
    return list(csv.DictReader(text.splitlines()))


def load_runs(paths):
    runs = OrderedDict()
    bad = 0
    for path in paths:
        for rec in _records_from(path):
            try:
                rec = dict(rec)
                rec["cached"] = _bool(rec.get("cached", True))
                rec["cost"] = rec.get("cost") or "-"
                key = tuple(str(rec[k]) for k in KEY)
                run = runs.get(key)
                if run is None:
                    run = runs[key] = Run(rec)
                elif run.counts != tuple(int(rec[c]) for c in COUNTS):
                    note(f"{path}: counts of {key} differ between replications: {run.counts} vs "
                         f"{tuple(int(rec[c]) for c in COUNTS)}")
                run.cpu.append(float(rec["sim_cpu_seconds"]))
                run.wall.append(float(rec["sim_seconds"]))
            except (KeyError, ValueError, TypeError) as e:
                bad += 1
                if bad <= 5:
                    note(f"{path}: skipping a malformed record ({e})")
    return list(runs.values())


# ---------------------------------------------------------------------------------------------------------
# Helpers

UNITS = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]


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


def geomean(values):
    vals = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else float("nan")


POLICY_ORDER = ["fifo", "lru", "lfu", "gds", "gdsf", "lfuda", "largest-first"]
ABI_ORDER = ["pair", "bincode", "pod-static", "pod-dynamic", "batch"]
PAPER_ABIS = {"pair", "bincode", "pod-static"}
ENGINE_ORDER = ["native-engine", "wasm2c", "v8-turbofan", "v8", "v8-liftoff", "wabt-interp"]


def policy_key(label):
    base = label.split("(")[0]
    return (POLICY_ORDER.index(base) if base in POLICY_ORDER else len(POLICY_ORDER), label)


def abi_key(abi):
    base = abi.split(":")[0]
    return (ABI_ORDER.index(base) if base in ABI_ORDER else len(ABI_ORDER), abi)


def engine_key(engine):
    return (ENGINE_ORDER.index(engine) if engine in ENGINE_ORDER else len(ENGINE_ORDER), engine)


def scenario_color(s, plt):
    """One hue per ABI: dark when cached, light when uncached; the native baseline is black."""
    if s == "native":
        return "#222222"
    abi, cached = s.rsplit(" ", 1)
    k = abi_key(abi)[0]
    return plt.get_cmap("tab20")((2 * k + (0 if cached == "cached" else 1)) % 20)


def scenario_key(s):
    if s == "native":
        return ((-1, ""), 0)
    abi, cached = s.rsplit(" ", 1)
    return (abi_key(abi), 0 if cached == "cached" else 1)


# ---------------------------------------------------------------------------------------------------------
# Figures


class Writer:
    def __init__(self, out_dir, formats, dpi, plt):
        self.out_dir, self.formats, self.dpi, self.plt = out_dir, formats, dpi, plt

    def save(self, fig, stem):
        for ext in self.formats:
            path = os.path.join(self.out_dir, f"{stem}.{ext}")
            fig.savefig(path, dpi=self.dpi, bbox_inches="tight")
            print(path, flush=True)
        self.plt.close(fig)


def hit_rate_figures(runs, w, plt, ticker):
    """Hit rate and byte hit rate vs cache size, one line per policy, per size-change mode."""
    modes = sorted({r.size_change for r in runs}, key=lambda m: (m != "first-size", m))
    made = 0
    for mode in modes:
        # Counts are the same on every engine (the tests prove it): prefer the native rows, else any.
        curves = defaultdict(dict)
        for r in runs:
            if r.size_change != mode:
                continue
            if r.cache_bytes not in curves[r.label] or r.native:
                curves[r.label][r.cache_bytes] = r
        curves = {k: v for k, v in curves.items() if len(v) >= 2}
        if not curves:
            note(f"hit-rate figures ({mode}): fewer than two cache sizes per policy; skipped")
            continue
        suffix = "" if mode == "first-size" else f"_{slug(mode)}"
        for metric, title, stem in (("hit_rate", "Hit rate", "fig6_hit_rate"),
                                    ("byte_hit_rate", "Byte hit rate", "fig6_byte_hit_rate")):
            fig, ax = plt.subplots(figsize=(8, 5))
            markers = "osD^vP*Xh<>"
            for i, label in enumerate(sorted(curves, key=policy_key)):
                pts = sorted(curves[label].items())
                ax.plot([p[0] for p in pts], [getattr(p[1], metric)() for p in pts], marker=markers[i % len(markers)],
                        markersize=4, linewidth=1.4, label=label)
            ax.set_xscale("log", base=2)
            sizes = sorted({s for c in curves.values() for s in c})
            ax.set_xticks(sizes)
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: human_bytes(int(v))))
            ax.xaxis.set_minor_locator(ticker.NullLocator())
            plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
            ax.set_xlabel("cache size (log2 scale)")
            ax.set_ylabel(f"{title.lower()} (%)")
            ax.set_title(f"{title} vs cache size ({mode} mode)")
            ax.grid(True, which="major", alpha=0.3)
            ax.legend(fontsize=8, ncol=2, loc="lower right")
            w.save(fig, stem + suffix)
            made += 1
    return made


def pick_size(runs, wanted):
    timed = sorted({r.cache_bytes for r in runs if not r.native})
    if not timed:
        return None
    if wanted is not None:
        return wanted if wanted in timed else None
    return (4 << 20) if (4 << 20) in timed else timed[0]


def time_table(runs, size, mode, which, paper_only):
    """{engine: {policy label: {scenario: seconds}}}, the native baseline under every engine."""
    sel = [r for r in runs if r.cache_bytes == size and r.size_change == mode]
    native = {(r.label, r.counts[0]): r.seconds(which) for r in sel if r.native}
    table = defaultdict(lambda: defaultdict(dict))
    requests = {}  # engine -> requests of its runs
    for r in sel:
        if r.native:
            continue
        if paper_only and r.abi.split(":")[0] not in PAPER_ABIS:
            continue
        table[r.engine][r.label][r.scenario] = r.seconds(which)
        requests[r.engine] = r.counts[0]
    for engine in table:
        for label in table[engine]:
            if (label, requests[engine]) in native:
                table[engine][label]["native"] = native[(label, requests[engine])]
    return table, native


def plain_log_labels(ax):
    """Numbers (0.02, 1, 5, 10) rather than powers of ten on a log axis."""
    from matplotlib import ticker
    fmt = ticker.FuncFormatter(lambda v, _: f"{v:g}")
    ax.yaxis.set_major_formatter(fmt)
    ax.yaxis.set_minor_formatter(ticker.FuncFormatter(
        lambda v, _: f"{v:g}" if v > 0 and f"{v:.0e}"[0] in "25" else ""))
    ax.tick_params(axis="y", which="minor", labelsize=7)


def bars_panel(ax, per_policy, title, ylabel, plt):
    policies = sorted(per_policy, key=policy_key)
    scenarios = sorted({s for p in policies for s in per_policy[p]}, key=scenario_key)
    width = 0.84 / max(1, len(scenarios))
    values = []
    for j, s in enumerate(scenarios):
        xs = [i - 0.42 + width * (j + 0.5) for i in range(len(policies))]
        ys = [per_policy[p].get(s, float("nan")) for p in policies]
        values += [y for y in ys if math.isfinite(y)]
        ax.bar(xs, ys, width=width, color=scenario_color(s, plt), label=s, edgecolor="none")
    ax.set_xticks(range(len(policies)))
    ax.set_xticklabels(policies, rotation=20, ha="right")
    pos = [v for v in values if v > 0]
    if len(pos) >= 2 and max(pos) / min(pos) > 30:
        ax.set_yscale("log")
        plain_log_labels(ax)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    return scenarios


def exec_time_figures(runs, w, plt, size, mode, which, paper_only):
    table, native = time_table(runs, size, mode, which, paper_only)
    if not table:
        note(f"execution-time figures: no scripted runs at {human_bytes(size)} ({mode}); skipped")
        return 0
    if not native:
        note("execution-time figures: no native (direct) runs to compare with; bars are drawn without it")
    what = "CPU" if which == "cpu" else "wall"
    engines = sorted(table, key=engine_key)
    tag = slug(human_bytes(size).replace(" ", ""))
    made = 0
    engine_requests = {r.engine: r.counts[0] for r in runs if r.cache_bytes == size and not r.native}
    for engine in engines:
        n = f"{engine_requests[engine]:,} requests" if engine in engine_requests else ""
        fig, ax = plt.subplots(figsize=(11, 5))
        bars_panel(ax, table[engine], f"Simulation time at {human_bytes(size)}: {engine} vs native ({n})",
                               f"{what} seconds", plt)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        w.save(fig, f"fig7_time_{tag}_{slug(engine)}")
        made += 1
    if len(engines) > 1:
        height = 3.4 * len(engines) + 1.0
        fig, axes = plt.subplots(len(engines), 1, figsize=(11, height), squeeze=False)
        handles = {}
        for ax, engine in zip(axes[:, 0], engines):
            k = engine_requests.get(engine)
            bars_panel(ax, table[engine], f"{engine} ({k:,} requests)" if k else engine, f"{what} s", plt)
            for h, l in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(l, h)
        labels = sorted(handles, key=scenario_key)
        fig.suptitle(f"Simulation time per policy and scenario at {human_bytes(size)} ({mode})",
                     y=1 - 0.1 / height, va="top")
        fig.legend([handles[l] for l in labels], labels, loc="upper center", ncol=min(6, len(labels)), fontsize=8,
                   bbox_to_anchor=(0.5, 1 - 0.4 / height))
        fig.tight_layout(rect=(0, 0, 1, 1 - 1.0 / height))
        w.save(fig, f"fig7_time_{tag}_all")
        made += 1
    return made


def ratio_rows(table):
    """Per (engine, scenario): the scripted/native ratio of every policy."""
    out = defaultdict(dict)
    for engine, per_policy in table.items():
        for label, per_scen in per_policy.items():
            base = per_scen.get("native")
            if not base or not math.isfinite(base) or base <= 0:
                continue
            for s, t in per_scen.items():
                if s != "native" and math.isfinite(t):
                    out[(engine, s)][label] = t / base
    return out


def ratio_figure(runs, w, plt, size, mode, which, paper_only):
    table, native = time_table(runs, size, mode, which, paper_only)
    ratios = ratio_rows(table)
    if not ratios:
        note("ratio figure: no scripted runs with a native baseline at the same size; skipped")
        return 0
    engines = sorted({e for e, _ in ratios}, key=engine_key)
    scenarios = sorted({s for _, s in ratios}, key=scenario_key)
    width = 0.84 / len(scenarios)
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(engines) + 3), 5))
    for j, s in enumerate(scenarios):
        xs, ys, lo, hi = [], [], [], []
        for i, e in enumerate(engines):
            vals = list(ratios.get((e, s), {}).values())
            if not vals:
                continue
            g = geomean(vals)
            xs.append(i - 0.42 + width * (j + 0.5))
            ys.append(g)
            lo.append(max(0.0, g - min(vals)))
            hi.append(max(0.0, max(vals) - g))
        ax.bar(xs, ys, width=width, color=scenario_color(s, plt), label=s, yerr=[lo, hi], capsize=1.5,
               error_kw={"elinewidth": 0.6, "ecolor": "#444444"})
    ax.axhspan(5, 10, color="#d62728", alpha=0.08, label="paper: Wasmer 5-10x")
    ax.axhline(1, color="#222222", linewidth=0.8)
    ax.set_yscale("log")
    plain_log_labels(ax)
    ax.set_xticks(range(len(engines)))
    ax.set_xticklabels(engines)
    ax.set_ylabel(f"scripted / native {('CPU' if which == 'cpu' else 'wall')} time (log)")
    ax.set_title(f"Slowdown of the scripted policies at {human_bytes(size)} ({mode}): geometric mean over the "
                 f"policies, whiskers = range")
    ax.grid(True, axis="y", which="both", alpha=0.25)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    w.save(fig, f"ratio_{slug(human_bytes(size).replace(' ', ''))}")
    return 1


def write_tables(runs, out_dir, size, mode, which, paper_only):
    table, native = time_table(runs, size, mode, which, paper_only)
    if not table:
        return
    tag = slug(human_bytes(size).replace(" ", ""))
    times = os.path.join(out_dir, f"sim_times_{tag}.csv")
    with open(times, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["policy", "engine", "scenario", "seconds", "native_seconds", "ratio"])
        for engine in sorted(table, key=engine_key):
            for label in sorted(table[engine], key=policy_key):
                per = table[engine][label]
                base = per.get("native", float("nan"))
                for s in sorted(per, key=scenario_key):
                    if s == "native":
                        continue
                    out.writerow([label, engine, s, f"{per[s]:.6f}", f"{base:.6f}",
                                  f"{per[s] / base:.3f}" if base and math.isfinite(base) else ""])
    print(times, flush=True)
    summary = os.path.join(out_dir, f"sim_ratios_{tag}.csv")
    with open(summary, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["engine", "scenario", "policies", "geomean_ratio", "min_ratio", "max_ratio"])
        ratios = ratio_rows(table)
        for (engine, s) in sorted(ratios, key=lambda k: (engine_key(k[0]), scenario_key(k[1]))):
            vals = list(ratios[(engine, s)].values())
            out.writerow([engine, s, len(vals), f"{geomean(vals):.3f}", f"{min(vals):.3f}", f"{max(vals):.3f}"])
    print(summary, flush=True)


# ---------------------------------------------------------------------------------------------------------


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="sim.csv / sim.json files, or directories holding them")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--formats", default="png,svg", help="comma list of image formats (default png,svg)")
    ap.add_argument("--cache-size", type=parse_size, default=None,
                    help="cache size of the execution-time figures (default 4MiB if present, else the smallest)")
    ap.add_argument("--size-change", default=None, help="size-change mode of the time figures (default first-size)")
    ap.add_argument("--time", choices=("cpu", "wall"), default="cpu", help="sim_cpu_seconds or sim_seconds")
    ap.add_argument("--paper-scenarios", action="store_true",
                    help="only the paper's seven scenarios (native, pair/bincode/pod-static x cached/uncached)")
    ap.add_argument("--dpi", type=int, default=150)
    args = ap.parse_args(argv)

    try:
        runs = load_runs(args.inputs)
    except (OSError, ValueError) as e:
        note(str(e))
        return 2
    if not runs:
        note("no usable records in the inputs")
        return 1
    plt = plot_env.pyplot(__file__)
    from matplotlib import ticker
    os.makedirs(args.out, exist_ok=True)
    w = Writer(args.out, [f.strip() for f in args.formats.split(",") if f.strip()], args.dpi, plt)
    modes = {r.size_change for r in runs}
    mode = args.size_change or ("first-size" if "first-size" in modes else sorted(modes)[0])

    failed = False
    made = 0
    steps = [lambda: hit_rate_figures(runs, w, plt, ticker)]
    size = pick_size(runs, args.cache_size)
    if size is None:
        note("no scripted runs" + (f" at {human_bytes(args.cache_size)}" if args.cache_size else "") +
             ": execution-time and ratio figures skipped")
    else:
        steps += [lambda: exec_time_figures(runs, w, plt, size, mode, args.time, args.paper_scenarios),
                  lambda: ratio_figure(runs, w, plt, size, mode, args.time, args.paper_scenarios),
                  lambda: write_tables(runs, args.out, size, mode, args.time, args.paper_scenarios) or 0]
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
