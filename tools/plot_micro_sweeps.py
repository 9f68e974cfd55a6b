"""Line figures of the micro-benchmark's sweeps (plot_micro.py calls these with itself as `pm`): ns per
record vs batch size, and ns per call and bytes/s vs payload size. Every value (ns per record, bytes/s and
their CIs, the reference line) comes from micro_summary.json; every point is labelled with its value."""

from __future__ import annotations

import sys
from collections import OrderedDict, defaultdict


def _series(groups, keyfn):
    out = OrderedDict()
    for g in groups:
        out.setdefault(keyfn(g), []).append(g)
    return out


def _errorbar(ax, labels, xs, stats, color, **style):
    """A line through the means with 95% CI whiskers; every point labelled with its mean."""
    err = [s.err() for s in stats]
    ys = [s.mean for s in stats]
    line = ax.errorbar(xs, ys, yerr=[[e[0] for e in err], [e[1] for e in err]], color=color, markersize=3.5,
                       linewidth=1.5, capsize=2, **style)
    labels.points(ax, xs, ys, ys, color=line.lines[0].get_color())
    return line


def figure_batch(pm, w, summary, engines, builds):
    colors = pm.engine_colors(engines)
    bg = [g for g in summary.groups if g.experiment == "batch" and g.batch_size and g.stats["per_record"].ok()]
    if not bg:
        print("plot_micro.py: no batch-sweep records: batch_sweep skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in bg if g.host_build == b]
        if not data:
            continue
        ref = summary.batch_reference.get(b)
        ref_configs = set(ref["configs"]) if ref and ref.get("from_native_config") else set()
        series_groups = [g for g in data if g.config not in ref_configs]
        fig, ax, labels = w.figure(figsize=(11.0, 7.0), layout="constrained")
        multi_cfg = len({g.config for g in series_groups}) > 1
        series = _series(series_groups, lambda g: (g.engine, g.config))
        cfg_style = {c: pm.ABI_STYLE[i % len(pm.ABI_STYLE)]
                     for i, c in enumerate(sorted({g.config for g in series_groups}))}
        for (engine, config), gs in sorted(series.items(), key=lambda kv: (engines.index(kv[0][0]), kv[0][1])):
            gs = sorted(gs, key=lambda g: g.batch_size)
            _errorbar(ax, labels, [g.batch_size for g in gs], [g.stats["per_record"] for g in gs], colors[engine],
                      linestyle=cfg_style[config], marker="o",
                      label=f"{engine} · {config}" if multi_cfg else engine)
        if ref:
            where = ("native, no call boundary" if ref["from_native_config"]
                     else f"engine native at N = {ref['batch_size']}")
            ax.axhline(ref["ns_per_record"], color="black", linestyle=":", linewidth=1.3,
                       label=f"guest's own work ({where}): {ref['ns_per_record']:.3g} ns")
        pm.pow2_ticks(ax, [g.batch_size for g in data], str)
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_xlabel("batch size N (records per call)")
        ax.set_ylabel("ns per record (log scale)")
        ax.set_title(f"Batch ABI: per-record cost vs batch size — {pm.BUILD_LABEL.get(b, b)}\n"
                     f"mean ns per record with 95% CI ({summary.units_text('batch', b)})", fontsize=11)
        ax.legend(fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        w.save(fig, f"batch_sweep_{pm.safe(b)}", labels)


def figure_payload(pm, w, summary, engines, builds):
    """payload_sweep_<build> (ns per call) and payload_throughput_<build> (bytes/s): one panel per engine,
    one line per ABI (x configuration when an ABI has several in the sweep), every point labelled. One
    panel per engine keeps every label readable: 16 engines x 5 ABIs in one axes left no room for any."""
    pg = [g for g in summary.groups if g.experiment == "payload" and g.payload_bytes]
    if not pg:
        print("plot_micro.py: no payload-sweep records: payload_sweep skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in pg if g.host_build == b]
        if data:
            for metric in ("ns", "bytes_per_s"):
                _payload_grid(pm, w, summary, engines, b, data, metric)


def _payload_grid(pm, w, summary, engines, build, data, metric):
    from matplotlib import ticker
    cfgs_per_abi = defaultdict(set)
    for g in data:
        cfgs_per_abi[g.abi].add(g.config)
    variant = lambda g: (g.abi or g.config, g.config if len(cfgs_per_abi[g.abi]) > 1 else "")
    variants = sorted({variant(g) for g in data})
    style = {v: (pm.ABI_STYLE[i % len(pm.ABI_STYLE)], pm.ABI_MARKER[i % len(pm.ABI_MARKER)], f"C{i % 10}")
             for i, v in enumerate(variants)}
    es = [e for e in engines if any(g.engine == e for g in data)]
    cols = min(4, len(es))
    rows = -(-len(es) // cols)
    fig, axes, labels = w.figure(rows, cols, figsize=(5.2 * cols, 4.3 * rows + 1.2), layout="constrained",
                                 squeeze=False)
    xs_all = [g.payload_bytes for g in data]
    for k, engine in enumerate(es):
        ax = axes[k // cols][k % cols]
        for v in variants:
            gs = sorted((g for g in data if g.engine == engine and variant(g) == v), key=lambda g: g.payload_bytes)
            if not gs:
                continue
            ls, mk, color = style[v]
            stats = [g.stats["ns"] if metric == "ns" else g.bytes_per_s for g in gs]
            name = pm.ABI_PRETTY.get(v[0], v[0]) + (f" ({v[1]})" if v[1] else "")
            _errorbar(ax, labels, [g.payload_bytes for g in gs], stats, color, linestyle=ls, marker=mk, label=name)
        pm.pow2_ticks(ax, xs_all, pm.fmt_bytes)
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_title(engine, fontsize=10)
        ax.tick_params(labelsize=7.5)
        for lab in ax.get_xticklabels():
            lab.set_rotation(30)
            lab.set_ha("right")
        if metric != "ns":
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: pm.fmt_si(v, "B/s")))
        if k % cols == 0:
            ax.set_ylabel("ns per call (log)" if metric == "ns" else "bytes/s (log)")
        if k // cols == rows - 1:
            ax.set_xlabel("payload per call (log)")
    for k in range(len(es), rows * cols):
        axes[k // cols][k % cols].set_axis_off()
    handles, names = [], []
    for row in axes:
        for ax in row:
            for h, n in zip(*ax.get_legend_handles_labels()):
                if n not in names:
                    handles.append(h), names.append(n)
    axes[0][-1].legend(handles, names, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5, title="ABI")
    what = ("ns per call" if metric == "ns" else
            "throughput = payload / mean time per call (bytes/s; its CI is the time's through 1/x)")
    fig.suptitle(f"Variable-length payloads (8 B … 64 KiB) — {pm.BUILD_LABEL.get(build, build)}: {what}, mean with "
                 f"95% CI ({summary.units_text('payload', build)})", fontsize=11)
    w.save(fig, f"payload_{'sweep' if metric == 'ns' else 'throughput'}_{pm.safe(build)}", labels)
