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
    from matplotlib import ticker
    colors = pm.engine_colors(engines)
    pg = [g for g in summary.groups if g.experiment == "payload" and g.payload_bytes]
    if not pg:
        print("plot_micro.py: no payload-sweep records: payload_sweep skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in pg if g.host_build == b]
        if not data:
            continue
        fig, (ax1, ax2, axl), labels = w.figure(1, 3, figsize=(19.0, 7.5), layout="constrained",
                                                gridspec_kw={"width_ratios": [1.0, 1.0, 0.3]})
        # One line per engine x ABI (x config when an ABI has several configurations in the sweep).
        cfgs_per_abi = defaultdict(set)
        for g in data:
            cfgs_per_abi[g.abi].add(g.config)
        keyfn = lambda g: (g.engine, g.abi or g.config, g.config if len(cfgs_per_abi[g.abi]) > 1 else "")
        series = _series(data, keyfn)
        variants = sorted({(k[1], k[2]) for k in series})
        style = {v: (pm.ABI_STYLE[i % len(pm.ABI_STYLE)], pm.ABI_MARKER[i % len(pm.ABI_MARKER)])
                 for i, v in enumerate(variants)}
        for key, gs in sorted(series.items(), key=lambda kv: (engines.index(kv[0][0]), kv[0][1:])):
            engine, abi, config = key
            gs = sorted(gs, key=lambda g: g.payload_bytes)
            xs = [g.payload_bytes for g in gs]
            ls, mk = style[(abi, config)]
            label = f"{engine} · {pm.ABI_PRETTY.get(abi, abi)}" + (f" ({config})" if config else "")
            _errorbar(ax1, labels, xs, [g.stats["ns"] for g in gs], colors[engine], linestyle=ls, marker=mk,
                      label=label)
            _errorbar(ax2, labels, xs, [g.bytes_per_s for g in gs], colors[engine], linestyle=ls, marker=mk,
                      label=label)
        xs_all = [g.payload_bytes for g in data]
        for ax in (ax1, ax2):
            pm.pow2_ticks(ax, xs_all, pm.fmt_bytes)
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
            ax.set_xlabel("payload size per call (bytes, log scale)")
            for lab in ax.get_xticklabels():
                lab.set_rotation(30)
                lab.set_ha("right")
        ax1.set_ylabel("ns per call (log scale)")
        ax1.set_title("time per call", fontsize=10)
        ax2.set_ylabel("throughput (bytes/s, log scale)")
        ax2.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: pm.fmt_si(v, "B/s")))
        ax2.set_title("throughput = payload / mean time per call", fontsize=10)
        handles, names = ax1.get_legend_handles_labels()
        axl.set_axis_off()
        axl.legend(handles, names, loc="center left", fontsize=8.5, title="engine · ABI", frameon=False)
        fig.suptitle(f"Variable-length payloads (8 B … 64 KiB) — {pm.BUILD_LABEL.get(b, b)}: mean with 95% CI "
                     f"({summary.units_text('payload', b)})", fontsize=11)
        w.save(fig, f"payload_sweep_{pm.safe(b)}", labels)
