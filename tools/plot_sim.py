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
carries its value (tools/plot_labels.py). The paths written are printed on stdout. The figures are drawn by
plot_sim_figures.py.

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
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import plot_env  # noqa: E402  tools/plot_env.py: matplotlib, or a re-run with /usr/bin/python3
from plot_sim_figures import (Writer, exec_time_figures, hit_rate_figures, human_bytes,  # noqa: E402
                              note, pick_size, ratio_figure)

SCHEMA = "2"  # the schema column of sim_summary.csv / sim_ratios.csv this script reads


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


def parse_size(text):
    m = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]i?B)?\s*", text, re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"bad cache size '{text}' (e.g. 4MiB or 4194304)")
    value, unit = float(m.group(1)), (m.group(2) or "").lower()
    scale = {"": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
             "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}[unit]
    return int(round(value * scale))


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
    ap.add_argument("--no-time-figures", action="store_true",
                    help="skip the fig7_time_* charts (per engine and all engines): only the ratio figure of the timed runs")
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
        if not args.no_time_figures:
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
