"""The component model's canonical ABI beside the hand-rolled ABIs (plot_micro.py calls it).

canonical_vs_handrolled_<build>: one panel per engine that has canonical records; ns per call
against the bytes a call carries (bytes_per_call of micro_summary.json: the payload, or N records of
8 bytes for the batch): payload-canonical (a list<u8>), payload-bincode, payload-pod-static and
batch-pod-static. Mean with 95% CI; every point labelled with its mean.
"""
from __future__ import annotations

import sys

import plot_micro_sweeps

# (config, label)
SERIES = (
    ("payload-canonical", "canonical (list<u8>)"),
    ("payload-bincode", "Bincode Vec<u8>"),
    ("payload-pod-static", "POD, static buffer"),
    ("batch-pod-static", "batch (N x 8 B records)"),
)


def figure_canonical(pm, w, summary, engines, builds):
    """pm: the plot_micro module (shared helpers)."""
    groups = summary.groups
    with_canonical = sorted({g.engine for g in groups if g.config == "payload-canonical"}, key=engines.index)
    if not with_canonical:
        print("plot_micro.py: no canonical-ABI records: canonical_vs_handrolled skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in groups if g.host_build == b and g.engine in with_canonical]
        if not any(g.config == "payload-canonical" for g in data):
            continue
        n = len(with_canonical)
        fig, axes, labels = w.figure(1, n, figsize=(6.5 * n, 5.6), layout="constrained", squeeze=False)
        for ax, engine in zip(axes[0], with_canonical):
            xs_all = []
            for i, (config, label) in enumerate(SERIES):
                gs = sorted((g for g in data if g.engine == engine and g.config == config and g.bytes_per_call),
                            key=lambda g: g.bytes_per_call)
                if not gs:
                    continue
                xs = [g.bytes_per_call for g in gs]
                xs_all += xs
                plot_micro_sweeps._errorbar(ax, labels, xs, [g.stats["ns"] for g in gs], None,
                                            linestyle=pm.ABI_STYLE[i % len(pm.ABI_STYLE)],
                                            marker=pm.ABI_MARKER[i % len(pm.ABI_MARKER)], label=label)
            ax.set_xscale("log")
            if xs_all:
                pm.pow2_ticks(ax, xs_all, pm.fmt_bytes)
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
            ax.set_title(engine, fontsize=10)
            ax.set_xlabel("bytes per call (log scale)")
            for lab in ax.get_xticklabels():
                lab.set_rotation(30)
                lab.set_ha("right")
        axes[0][0].set_ylabel("ns per call (log scale)")
        axes[0][-1].legend(fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.suptitle(f"Canonical ABI vs hand-rolled ABIs per payload size — {pm.BUILD_LABEL.get(b, b)}: "
                     f"mean with 95% CI", fontsize=11)
        w.save(fig, f"canonical_vs_handrolled_{pm.safe(b)}", labels)
