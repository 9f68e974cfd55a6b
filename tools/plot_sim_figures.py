"""The figures of plot_sim.py and their presentation: hit rate vs cache size (Figure 6), simulation time per
policy and scenario (Figure 7), and the scripted / native slowdown. Every number drawn comes from the rows
plot_sim.py selected from C++'s summaries; this module computes nothing and labels every bar and point."""

from __future__ import annotations

import math
import os
import re
import sys
from collections import defaultdict

import plot_labels  # tools/plot_labels.py (plot_sim.py put tools/ on sys.path)

NATIVE = "native (direct)"


def note(msg):
    print(f"plot_sim.py: {msg}", file=sys.stderr)


def num(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return float("nan")
    return v if math.isfinite(v) else float("nan")


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
