"""The component model's canonical ABI beside the hand-rolled ABIs (plot_micro.py calls it).

canonical_vs_handrolled_<build>: one panel per engine that has canonical records; ns per call
against the bytes a call carries: payload-canonical (a list<u8>), payload-bincode, payload-pod-static,
and batch-pod-static (N records of 8 bytes per call, placed at N x 8 bytes). Mean with 95% CI.
"""
from __future__ import annotations

import sys

# (config, label, bytes a call carries from the group)
SERIES = (
    ("payload-canonical", "canonical (list<u8>)", lambda g: g.payload_bytes),
    ("payload-bincode", "Bincode Vec<u8>", lambda g: g.payload_bytes),
    ("payload-pod-static", "POD, static buffer", lambda g: g.payload_bytes),
    ("batch-pod-static", "batch (N x 8 B records)", lambda g: (g.batch_size or 0) * 8),
)


def figure_canonical(pm, w, plt, groups, engines, builds):
    """pm: the plot_micro module (shared helpers)."""
    with_canonical = sorted({g.engine for g in groups if g.config == "payload-canonical"}, key=engines.index)
    if not with_canonical:
        print("plot_micro.py: no canonical-ABI records: canonical_vs_handrolled skipped", file=sys.stderr)
        return
    for b in builds:
        data = [g for g in groups if g.host_build == b and g.engine in with_canonical]
        if not any(g.config == "payload-canonical" for g in data):
            continue
        n = len(with_canonical)
        fig, axes = plt.subplots(1, n, figsize=(5.2 * n, 4.8), layout="constrained", squeeze=False)
        for ax, engine in zip(axes[0], with_canonical):
            xs_all = []
            for i, (config, label, size_of) in enumerate(SERIES):
                gs = sorted((g for g in data if g.engine == engine and g.config == config and size_of(g)), key=size_of)
                if not gs:
                    continue
                xs = [size_of(g) for g in gs]
                xs_all += xs
                st = [g.stats["ns"] for g in gs]
                e = list(zip(*[s.err() for s in st]))
                ax.errorbar(xs, [s.mean for s in st], yerr=[list(e[0]), list(e[1])],
                            linestyle=pm.ABI_STYLE[i % len(pm.ABI_STYLE)], marker=pm.ABI_MARKER[i % len(pm.ABI_MARKER)],
                            markersize=3.5, linewidth=1.6, capsize=2, label=label)
            if xs_all:
                pm._pow2_ticks(ax, xs_all, pm.fmt_bytes)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
            ax.set_title(engine, fontsize=10)
            ax.set_xlabel("bytes per call (log scale)")
            for lab in ax.get_xticklabels():
                lab.set_rotation(30)
                lab.set_ha("right")
        axes[0][0].set_ylabel("ns per call (log scale)")
        axes[0][0].legend(fontsize=8.5)
        fig.suptitle(f"Canonical ABI vs hand-rolled ABIs per payload size — {pm.BUILD_LABEL.get(b, b)}: "
                     f"mean with 95% CI", fontsize=11)
        w.save(fig, f"canonical_vs_handrolled_{pm.safe(b)}")
