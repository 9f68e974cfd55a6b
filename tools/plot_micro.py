#!/usr/bin/env python3
"""Plots of the wasmhop micro-benchmark, drawn from the summary JSON that C++ writes.

Usage:
    python3 tools/plot_micro.py SUMMARY --out DIR [--formats png,svg] [--config NAME ...] [--dpi 150]
                                [--no-per-engine]

SUMMARY is micro_summary.json (schema 2, src/report/micro_summary.hpp), or a directory holding it: what
`wasmhop micro` writes into its --out directory and `wasmhop report` into DIR/report/. Every number drawn
comes from it: means, 95% confidence intervals (Student's t), seconds per 100,000 calls, ns per record,
bytes/s, the batch sweep's reference line and the "n replications of m calls" captions. This script selects
rows and draws; it computes no statistic. Every bar and point carries its value (tools/plot_labels.py).
Every figure is written as PNG and SVG (--formats) into DIR; the paths written are printed on stdout, one per
line; notes (skipped figures) go to stderr.

Figures (only those the data allows; missing engines/builds/experiments are left out, never an error):
    fig3_4_<engine>           per engine: mean seconds per 100,000 calls for each Table 1 configuration,
                              95% CI error bars, Debug and Release host builds as two panels
                              (the paper's Figures 3 and 4)
    fig3_4_all_engines        the same for every engine in one grid (rows: engines, columns: host builds)
    fig5_<engine>             per engine: the same including compile + instantiate time (the call loop drawn
                              inside the bar; the paper's Figure 5)
    fig5_all_engines          the same for every engine in one grid
    config_across_engines_<config>  one configuration on every engine side by side (ns per call, Debug and
                              Release bars; log scale when the values differ by more than 30x); the
                              configuration is --config (repeatable), default pair-cached-preload-srs or
                              the Table 1 test 6 or the first configuration present
    configs_across_engines    small multiples: one panel per configuration, every engine side by side
    batch_sweep_<build>       per-record cost vs batch size N (log-log), one line per engine, with a
                              horizontal reference line for the guest's own work when the data has it
    payload_sweep_<build>     ns per call vs payload size: one panel per engine, one line per ABI
    payload_throughput_<build>  the same as bytes/s (the CI of the time mapped through 1/x, by C++)
    hop_directions_<build>    host -> guest beside guest -> host, ns per call per engine
    canonical_vs_handrolled_<build>  canonical ABI vs Bincode, POD static, batch per payload size (plot_canonical.py)

Exit status: 0 when every figure the data allows was written, 1 when the summary holds no usable data, 2 on
bad usage or an unreadable or wrong-schema input, 3 when matplotlib is missing, 4 when some figure failed
(the others are still written; the error is on stderr).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import plot_env  # noqa: E402  tools/plot_env.py: matplotlib, or a re-run with /usr/bin/python3
import plot_labels  # noqa: E402  tools/plot_labels.py: value labels on every bar and point

SCHEMA = 2  # micro_summary.json schema this script reads (kMicroSummarySchema)


# ---------------------------------------------------------------------------------------------------------
# Loading

class Stat:
    """One metric of one group as C++ summarized it: n, mean, median and the 95% CI of the mean."""

    __slots__ = ("n", "mean", "median", "lo", "hi")

    def __init__(self, obj):
        obj = obj or {}
        num = lambda k: float(obj[k]) if obj.get(k) is not None else float("nan")
        self.n = int(obj.get("n") or 0)
        self.mean, self.median, self.lo, self.hi = num("mean"), num("median"), num("ci_low"), num("ci_high")

    def ok(self):
        return math.isfinite(self.mean)

    def err(self):
        """(below, above) lengths of the error bar drawn around the mean; zero where a bound is absent."""
        below, above = self.mean - self.lo, self.hi - self.mean
        return (below if math.isfinite(below) and below > 0 else 0.0,
                above if math.isfinite(above) and above > 0 else 0.0)

    def top(self):
        """Where the drawn bar or error bar ends (its value label goes above it)."""
        return self.mean + self.err()[1]


METRICS = {"ns": "ns_per_call", "s100k": "s_per_100k_calls", "incl": "including_compile_s_per_100k",
           "per_record": "ns_per_record"}


class Group:
    """One (experiment, host_build, engine, config, batch_size, payload_bytes) group of the summary."""

    def __init__(self, g):
        self.experiment = g.get("experiment") or ""
        self.host_build = (g.get("host_build") or "").lower()
        self.engine = g.get("engine") or ""
        self.engine_name = g.get("engine_name") or ""
        self.engine_version = g.get("engine_version") or ""
        self.tier = g.get("tier") or ""
        self.config = g.get("config") or ""
        self.config_index = int(g.get("config_index") or 0)
        self.abi = g.get("abi") or ""
        self.batch_size = g.get("batch_size")
        self.payload_bytes = g.get("payload_bytes")
        self.bytes_per_call = g.get("bytes_per_call")
        self.calls = int(g.get("calls") or 0)
        self.stats = {k: Stat(g.get(name)) for k, name in METRICS.items()}
        self.bytes_per_s = Stat(g.get("bytes_per_s"))


class Summary:
    def __init__(self, doc):
        self.groups = [Group(g) for g in doc.get("groups", []) if g.get("engine") and g.get("config")]
        self.units = {(u.get("experiment", ""), u.get("host_build", ""), u.get("engine", ""), u.get("config", "")): u
                      for u in doc.get("units", [])}
        self.batch_reference = {r["host_build"]: r for r in doc.get("batch_reference", [])}

    def units_text(self, experiment, build="", engine="", config=""):
        """ "n replications of m calls" over the groups C++ counted under this key."""
        u = self.units.get((experiment, build, engine, config))
        if not u:
            return "replications of calls"
        n = f"{u['n_min']}" if u["n_min"] == u["n_max"] else f"{u['n_min']}-{u['n_max']}"
        if not u["calls_max"]:
            return f"{n} replications"
        c = f"{u['calls_min']:,}" if u["calls_min"] == u["calls_max"] else f"{u['calls_min']:,}-{u['calls_max']:,}"
        return f"{n} replications of {c} calls"


def load_summary(path):
    if os.path.isdir(path):
        path = os.path.join(path, "micro_summary.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or "groups" not in doc:
        raise ValueError(f"{path}: not a micro summary JSON (micro_summary.json)")
    if doc.get("schema") != SCHEMA:
        raise ValueError(f"{path}: micro summary schema {doc.get('schema')}, this script reads schema {SCHEMA}: "
                         f"write it again with this wasmhop (`wasmhop report DIR`, or `wasmhop micro`)")
    return Summary(doc)


# ---------------------------------------------------------------------------------------------------------
# Presentation helpers

BUILD_ORDER = ["debug", "release"]
BUILD_LABEL = {"debug": "Debug host", "release": "Release host"}
BUILD_COLOR = {"debug": "#d95f02", "release": "#1b9e77"}
ABI_PRETTY = {"pair": "Pair", "bincode": "Bincode", "pod": "POD", "flatbuffers": "FlatBuffers",
              "batch": "Batch", "native": "Native", "srs": "SRS", "msgpack": "MessagePack"}
ABI_STYLE = ["-", "--", "-.", ":"]
ABI_MARKER = ["o", "s", "^", "D", "v", "P", "X"]
# Tiers by kind, in the order cross-engine figures show them (fastest kinds first).
TIER_KINDS = ["native", "aot", "optimizing", "dynamic", "baseline", "interpreter"]
TIER_SHADE = {"native": "#f2f2f2", "aot": "#e5f0fa", "optimizing": "#e8f5e4", "dynamic": "#fdf3e1",
              "baseline": "#f6e8f3", "interpreter": "#fbe7e3"}


def builds_of(groups):
    present = {g.host_build for g in groups}
    return [b for b in BUILD_ORDER if b in present] + sorted(present - set(BUILD_ORDER))


def engine_tiers(groups):
    """engine id -> tier kind, as the records name it (unknown tiers sort last)."""
    out = {}
    for g in groups:
        if g.engine not in out or not out[g.engine]:
            out[g.engine] = g.tier or ("native" if g.engine == "native" else "")
    return out


def engine_order(groups):
    tiers = engine_tiers(groups)
    rank = {k: i for i, k in enumerate(TIER_KINDS)}
    return sorted(tiers, key=lambda e: (rank.get(tiers[e], len(TIER_KINDS)), e))


def mark_tier_kinds(ax, engines, tiers, labels=None):
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
    if labels is not None:
        labels.reserve_top(ax, 14)  # the tier names


def engine_colors(engines):
    import matplotlib
    cmap = matplotlib.colormaps["tab10" if len(engines) <= 10 else "tab20"]
    return {e: cmap(i % cmap.N) for i, e in enumerate(engines)}


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
    """Whether the drawn values span more than `factor`: the axis is then logarithmic (a drawing choice)."""
    pos = [v for v in values if v is not None and math.isfinite(v) and v > 0]
    return len(pos) >= 2 and max(pos) / min(pos) > factor


def pow2_ticks(ax, xs, formatter):
    from matplotlib import ticker
    ax.set_xscale("log", base=2)
    xs = sorted(set(xs))
    if len(xs) > 16:  # thin out, keeping both ends
        step = math.ceil(len(xs) / 12)
        xs = sorted(set(xs[::-1][::step]) | {xs[0]})
    ax.xaxis.set_major_locator(ticker.FixedLocator(xs))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: formatter(int(round(v)))))
    ax.xaxis.set_minor_locator(ticker.NullLocator())


class Writer:
    def __init__(self, out_dir, formats, dpi, plt):
        self.out_dir, self.formats, self.dpi, self.plt = out_dir, formats, dpi, plt
        self.written = []

    def figure(self, *args, **kwargs):
        """plt.subplots with a footnote slot (for "labels left out") and a fresh Labels."""
        fig, axes = self.plt.subplots(*args, **kwargs)
        fig._wasmhop_note = fig.supxlabel(" ", fontsize=7, color="#555555")
        return fig, axes, plot_labels.Labels()

    def save(self, fig, stem, labels=None):
        if labels is not None:
            labels.finish(fig)
            if labels.note() and getattr(fig, "_wasmhop_note", None) is not None:
                fig._wasmhop_note.set_text(labels.note() + " (micro_summary.json)")
                print(f"plot_micro.py: {stem}: {labels.note()}", file=sys.stderr)
        for ext in self.formats:
            path = os.path.join(self.out_dir, f"{stem}.{ext}")
            fig.savefig(path, dpi=self.dpi)
            self.written.append(path)
            print(path, flush=True)
        self.plt.close(fig)


# ---------------------------------------------------------------------------------------------------------

# The figure families, in drawing order (--only picks some).
FAMILIES = ("fig3_4", "fig5", "across", "batch", "payload", "directions", "canonical")


def parse_args(argv):
    """The command line, and the image formats it asks for."""
    ap = argparse.ArgumentParser(
        description="Plots of the wasmhop micro-benchmark (paper Figures 3-5, cross-engine charts, sweeps) "
                    "from micro_summary.json.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("summary", metavar="SUMMARY", help="micro_summary.json, or a directory holding it")
    ap.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    ap.add_argument("--formats", default="png,svg", help="comma-separated: png,svg,pdf (default png,svg)")
    ap.add_argument("--config", action="append", default=[], metavar="NAME",
                    help="configuration for config_across_engines_<NAME> (repeatable)")
    ap.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    ap.add_argument("--only", action="append", default=[], choices=FAMILIES, metavar="FAMILY",
                    help="draw only this figure family (repeatable; one of: " + ", ".join(FAMILIES) +
                         "): lets a caller draw the families in parallel processes")
    ap.add_argument("--no-per-engine", action="store_true",
                    help="skip the one-figure-per-engine charts (the all-engine grids are still drawn)")
    args = ap.parse_args(argv)

    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    if not formats or any(f not in ("png", "svg", "pdf") for f in formats):
        ap.error(f"--formats: expected png, svg and/or pdf, got {args.formats!r}")
    return args, formats


def warn(msg):
    print(f"plot_micro.py: {msg}", file=sys.stderr)


def figure_steps(w, summary, args):
    """The figure families --only asks for (every one without it), in order, as functions that draw and
    write their files."""
    import plot_canonical
    import plot_micro_bars as bars
    import plot_micro_sweeps as sweeps
    me = sys.modules[__name__]
    engines = engine_order(summary.groups)
    builds = builds_of(summary.groups)
    steps = {
        "fig3_4": lambda: bars.figures_per_engine(me, w, summary, engines, builds, "s100k", "fig3_4",
                                                  "Call cost (paper Figures 3/4)", not args.no_per_engine),
        "fig5": lambda: bars.figures_per_engine(me, w, summary, engines, builds, "incl", "fig5",
                                                "Call cost including compile + instantiate (paper Figure 5)",
                                                not args.no_per_engine),
        "across": lambda: bars.figures_across_engines(me, w, summary, engines, builds, args.config),
        "batch": lambda: sweeps.figure_batch(me, w, summary, engines, builds),
        "payload": lambda: sweeps.figure_payload(me, w, summary, engines, builds),
        "directions": lambda: bars.figure_directions(me, w, summary, engines, builds),
        "canonical": lambda: plot_canonical.figure_canonical(me, w, summary, engines, builds),
    }
    return [steps[name] for name in FAMILIES if not args.only or name in args.only]


def main(argv=None):
    args, formats = parse_args(argv)
    try:
        summary = load_summary(args.summary)
    except (OSError, ValueError) as e:
        warn(f"cannot read {args.summary}: {e}")
        return 2
    summary.groups = [g for g in summary.groups if g.stats["ns"].n > 0]
    if not summary.groups:
        warn("no micro-benchmark data in the summary: nothing plotted")
        return 1

    plt = plot_env.pyplot(__file__)
    plt.rcParams.update({"font.size": 9.5, "axes.titlesize": 10, "svg.fonttype": "none",
                         "figure.dpi": args.dpi})
    os.makedirs(args.out, exist_ok=True)
    w = Writer(args.out, formats, args.dpi, plt)
    failed = 0
    for step in figure_steps(w, summary, args):
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
        return 0 if args.only and not failed else 1  # a family may have no data in this summary
    return 0 if not failed else 4


if __name__ == "__main__":
    sys.exit(main())
