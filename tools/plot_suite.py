#!/usr/bin/env python3
"""Figure 7 of the suite report with confidence intervals, from `report/sim_summary.csv`.

Usage:
    python3 tools/plot_suite.py SIM_SUMMARY.csv --out DIR [--dpi 110]

Reads the simulator summary that `wasmhop report` writes (one row per purpose x trace x host build x policy x
cache size x engine x scenario, with cpu_s_mean and the 95% confidence interval of the mean over the
replications, all computed by C++: src/report/sim_summary.hpp) and writes, per host build,
DIR/fig7_ci_<build>.png: simulator CPU time per policy (x) and scenario (bars), one panel per engine, the
native direct baseline in every panel, error bars = 95% CI (none when a group has a single replication),
every bar labelled with its mean (tools/plot_labels.py). It selects rows and draws; it computes nothing.
Prints each path written. Exit status: 0 ok, 1 no timed rows, 2 unreadable or wrong-schema input,
3 no matplotlib.
"""

import argparse
import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import plot_env  # noqa: E402  tools/plot_env.py: matplotlib, or a re-run with /usr/bin/python3
import plot_labels  # noqa: E402

SCHEMA = "2"  # the schema column of sim_summary.csv this script reads

ENGINE_ORDER = ["native", "wasm2c", "v8-turbofan", "v8", "v8-liftoff", "wabt-interp"]
# Panels grouped by tier kind, fastest kinds first (the tier comes with each summary row).
TIER_ORDER = ["native", "aot", "optimizing", "dynamic", "baseline", "interpreter"]
SCENARIO_ORDER = ["native (direct)", "pair cached", "pair uncached", "bincode cached", "bincode uncached",
                  "pod-static cached", "pod-static uncached", "pod-dynamic cached", "pod-dynamic uncached",
                  "batch cached", "batch uncached"]
POLICY_ORDER = ["fifo", "lru", "lfu", "gds", "gds(one)", "gdsf", "gdsf(one)", "lfuda", "largest-first"]
COLORS = {"native (direct)": "#222222", "pair cached": "#1f77b4", "pair uncached": "#aec7e8",
          "bincode cached": "#d62728", "bincode uncached": "#ff9896", "pod-static cached": "#2ca02c",
          "pod-static uncached": "#98df8a", "pod-dynamic cached": "#9467bd", "pod-dynamic uncached": "#c5b0d5",
          "batch cached": "#ff7f0e", "batch uncached": "#ffbb78"}


def order_key(order, value):
    return (order.index(value) if value in order else len(order), value)


def num(text):
    try:
        v = float(text)
        return v if math.isfinite(v) else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def human_bytes(n):
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= k and n % k == 0:
            return f"{n // k} {unit}"
    return f"{n} B"


def read_timed_rows(path):
    """The timed rows of a schema-2 sim summary, or the exit status when there are none."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        print(f"plot_suite.py: cannot read {path}: {e}", file=sys.stderr)
        return 2
    if any(r.get("schema") != SCHEMA for r in rows):
        print(f"plot_suite.py: {path}: not a schema {SCHEMA} sim summary: write it again with this wasmhop "
              f"(`wasmhop report DIR`)", file=sys.stderr)
        return 2
    rows = [r for r in rows if r.get("purpose") == "time"]
    if not rows:
        print("plot_suite.py: no timed simulator rows; nothing drawn", file=sys.stderr)
        return 1
    return rows


def engine_panel(ax, labels, handles, engine, brows, direct, policies, tiers):
    """One engine's bars: mean CPU seconds ± 95% CI per policy and scenario, the direct baseline first."""
    erows = [r for r in brows if r["engine"] == engine]
    requests = erows[0]["requests"] if erows else ""
    scenarios = ["native (direct)"] + sorted({r["scenario"] for r in erows},
                                             key=lambda s: order_key(SCENARIO_ORDER, s))
    width = 0.86 / len(scenarios)
    for j, scen in enumerate(scenarios):
        xs, ys, err = [], [], []
        for k, pol in enumerate(policies):
            r = direct.get((pol, requests)) if scen == "native (direct)" else next(
                (x for x in erows if x["scenario"] == scen and x["policy"] == pol), None)
            if r is None:
                continue
            m, h, n = num(r["cpu_s_mean"]), num(r["cpu_s_ci_half"]), int(r["n"] or 0)
            if not (m > 0):
                continue
            xs.append(k - 0.43 + width * (j + 0.5))
            ys.append(m)
            err.append(h if n >= 2 and h == h else 0.0)
        if not xs:
            continue
        lo = [min(e, y * 0.999) for e, y in zip(err, ys)]  # keep the log axis positive
        bars = ax.bar(xs, ys, width=width, color=COLORS.get(scen, "#7f7f7f"), label=scen,
                      yerr=[lo, err], capsize=1.5, error_kw={"elinewidth": 0.7, "ecolor": "#333333"})
        labels.bars(ax, bars, ys, tops=[y + e for y, e in zip(ys, err)], fontsize=6)
        handles.setdefault(scen, bars)
    ax.set_yscale("log")
    ax.set_xticks(range(len(policies)))
    ax.set_xticklabels(policies)
    tier = tiers.get(engine, "")
    label = f"{engine} ({tier})" if tier and tier not in ("-", "native") else engine
    ax.set_title(f"{label}, {int(requests):,} requests" if requests else label, fontsize=10)
    ax.set_ylabel("CPU seconds (log)")
    ax.grid(True, axis="y", which="both", alpha=0.25)


def build_figure(plt, rows, build, out, dpi):
    """Figure 7 of one host build: one panel per engine; nothing when only the baseline ran."""
    brows = [r for r in rows if r["host_build"] == build]
    policies = sorted({r["policy"] for r in brows}, key=lambda p: order_key(POLICY_ORDER, p))
    tiers = {r["engine"]: r.get("tier") or "" for r in brows}
    engines = sorted({r["engine"] for r in brows if r["engine"] != "native-direct"},
                     key=lambda e: (order_key(TIER_ORDER, tiers.get(e, "")), order_key(ENGINE_ORDER, e)))
    sizes = sorted({int(r["cache_bytes"]) for r in brows})
    # The direct baseline per (policy, trace length): an engine is drawn beside the run on its own trace.
    direct = {(r["policy"], r["requests"]): r for r in brows if r["engine"] == "native-direct"}
    if not engines:
        return
    ncols = 2 if len(engines) > 1 else 1
    nrows = math.ceil(len(engines) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.6 * ncols, 3.9 * nrows), squeeze=False)
    labels = plot_labels.Labels()
    handles = {}
    for i, engine in enumerate(engines):
        engine_panel(axes[i // ncols][i % ncols], labels, handles, engine, brows, direct, policies, tiers)
    for i in range(len(engines), nrows * ncols):
        axes[i // ncols][i % ncols].axis("off")
    order = sorted(handles, key=lambda s: order_key(SCENARIO_ORDER, s))
    fig.legend([handles[s] for s in order], order, loc="lower center", ncol=min(6, len(order)), fontsize=8,
               frameon=False)
    size_text = ", ".join(human_bytes(s) for s in sizes)
    # Engines may run different trace lengths (interpreters: the short prefix): each panel names its own.
    fig.suptitle(f"Figure 7 ({build} host): simulator CPU time at {size_text} (requests per panel), "
                 f"mean ± 95% CI over the replications", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    labels.finish(fig)
    path = os.path.join(out, f"fig7_ci_{build}.png")
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    print(path, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("summary")
    ap.add_argument("--out", required=True)
    ap.add_argument("--dpi", type=int, default=110)
    ap.add_argument("--host-build", default=None, help="only this host build's figure (default: one per build)")
    args = ap.parse_args(argv)
    rows = read_timed_rows(args.summary)
    if isinstance(rows, int):
        return rows
    plt = plot_env.pyplot(__file__)
    os.makedirs(args.out, exist_ok=True)
    builds = sorted({r["host_build"] for r in rows})
    for build in [b for b in builds if args.host_build in (None, b)]:
        build_figure(plt, rows, build, args.out, args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
