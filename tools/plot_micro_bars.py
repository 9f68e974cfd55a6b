"""Bar figures of the micro-benchmark (plot_micro.py calls these with itself as `pm`): the paper's Figures
3/4 and 5 per engine and in one grid, one configuration across engines and every configuration in small
multiples, and both directions of the hop. Values, CIs and captions come from micro_summary.json; every
bar is labelled with its mean."""

from __future__ import annotations

import math
import sys


def table1_configs(groups):
    cfgs = {}
    for g in groups:
        cfgs.setdefault(g.config, g.config_index)
    return sorted(cfgs.items(), key=lambda kv: (kv[1], kv[0]))


def _bars_panel(pm, ax, labels, groups, configs, build, metric, stacked):
    """One bar per configuration: `metric` mean with its 95% CI. Figure 5 (`stacked`) draws the total
    (call loop + compile + instantiate) light and the call loop alone dark inside it."""
    by_cfg = {g.config: g for g in groups}
    xs = list(range(len(configs)))
    color = pm.BUILD_COLOR.get(build, "#7570b3")
    stats = [by_cfg[name].stats[metric] if name in by_cfg else None for name, _ in configs]
    ok = [i for i, st in enumerate(stats) if st is not None and st.ok()]
    means = [stats[i].mean for i in ok]
    if stacked:
        total = ax.bar([xs[i] for i in ok], means, width=0.7, color=color, alpha=0.35, edgecolor="black",
                       linewidth=0.4, hatch="//", label="compile + instantiate")
        loop = [by_cfg[configs[i][0]].stats["s100k"].mean for i in ok]
        ax.bar([xs[i] for i in ok], loop, width=0.7, color=color, edgecolor="black", linewidth=0.4,
               label="call loop")
        bars = total
    else:
        bars = ax.bar([xs[i] for i in ok], means, width=0.7, color=color, edgecolor="black", linewidth=0.4)
    err = [stats[i].err() for i in ok]
    ax.errorbar([xs[i] for i in ok], means, yerr=[[e[0] for e in err], [e[1] for e in err]],
                fmt="none", ecolor="black", elinewidth=1.0, capsize=3)
    labels.bars(ax, bars, means, tops=[stats[i].top() for i in ok])
    for i, st in enumerate(stats):
        if i not in ok:
            ax.text(xs[i], 0, "n/a", ha="center", va="bottom", fontsize=7, color="grey")
    ax.set_xticks(xs)
    ax.set_xticklabels([pm.config_label(i, n, 14) for n, i in configs], rotation=55, ha="right",
                       rotation_mode="anchor", fontsize=7.5)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_ylim(bottom=0)


def figures_per_engine(pm, w, summary, engines, builds, metric, stem, what, per_engine=True):
    t1 = [g for g in summary.groups if g.experiment == "table1"]
    if not t1:
        return
    configs = table1_configs(t1)
    ylabel = ("seconds per 100,000 calls (s)" if metric == "s100k"
              else "seconds per 100,000 calls\n+ compile + instantiate (s)")
    stacked = metric == "incl"
    for engine in engines if per_engine else []:
        eg = [g for g in t1 if g.engine == engine]
        eb = [b for b in builds if any(g.host_build == b for g in eg)]
        if not eb:
            continue
        own = {g.config for g in eg}
        econfigs = [c for c in configs if c[0] in own]  # this engine's configurations, in Table 1 order
        fig, axes, labels = w.figure(1, len(eb), figsize=(6.6 * len(eb) + 0.6, 5.6), layout="constrained",
                                     squeeze=False)
        for ax, b in zip(axes[0], eb):
            _bars_panel(pm, ax, labels, [g for g in eg if g.host_build == b], econfigs, b, metric, stacked)
            ax.set_title(f"{pm.BUILD_LABEL.get(b, b)} — {summary.units_text('table1', b, engine)}", fontsize=10)
            ax.set_ylabel(ylabel)
        if stacked:  # outside the panels: no bar or label under it
            axes[0][-1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        scales = " (each panel has its own y scale)" if len(eb) > 1 else ""
        fig.suptitle(f"{what}: {pm.engine_title(t1, engine)}\n"
                     f"mean with 95% CI of the mean, per Table 1 configuration{scales}", fontsize=11)
        w.save(fig, f"{stem}_{pm.safe(engine)}", labels)
    # All engines in one grid.
    eng = [e for e in engines if any(g.engine == e for g in t1)]
    if len(eng) < 2:
        return
    fig, axes, labels = w.figure(len(eng), len(builds), figsize=(6.4 * len(builds) + 0.6, 3.7 * len(eng) + 1.0),
                                 layout="constrained", squeeze=False)
    for r, engine in enumerate(eng):
        for c, b in enumerate(builds):
            ax = axes[r][c]
            bg = [g for g in t1 if g.engine == engine and g.host_build == b]
            if not bg:
                ax.set_axis_off()
                ax.text(0.5, 0.5, f"{engine}: no {pm.BUILD_LABEL.get(b, b)} data", ha="center", va="center",
                        transform=ax.transAxes, color="grey")
                continue
            _bars_panel(pm, ax, labels, bg, configs, b, metric, stacked)
            ax.set_title(f"{engine} — {pm.BUILD_LABEL.get(b, b)}", fontsize=10)
            ax.set_ylabel("s / 100,000 calls" + (" (incl. compile)" if stacked else ""), fontsize=8.5)
            if r != len(eng) - 1:
                ax.set_xticklabels([])
            if stacked and r == 0 and c == len(builds) - 1:
                ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(f"{what}, every engine: mean with 95% CI ({summary.units_text('table1')}; each panel has its "
                 f"own y scale)", fontsize=12)
    w.save(fig, f"{stem}_all_engines", labels)


def _engine_bars(pm, ax, labels, groups, engines, builds, config, fontsize=7.0):
    """Per engine one bar per host build: mean ns per call with its 95% CI, labelled."""
    width = 0.8 / max(len(builds), 1)
    values = []
    for j, b in enumerate(builds):
        xs, sts = [], []
        for i, e in enumerate(engines):
            g = next((x for x in groups if x.engine == e and x.host_build == b and x.config == config), None)
            if g is None or not g.stats["ns"].ok():
                continue
            xs.append(i - 0.4 + width * (j + 0.5)), sts.append(g.stats["ns"])
        if not xs:
            continue
        ms = [st.mean for st in sts]
        values += ms
        bars = ax.bar(xs, ms, width=width * 0.95, color=pm.BUILD_COLOR.get(b, "#7570b3"), edgecolor="black",
                      linewidth=0.4, label=pm.BUILD_LABEL.get(b, b))
        err = [st.err() for st in sts]
        ax.errorbar(xs, ms, yerr=[[e[0] for e in err], [e[1] for e in err]], fmt="none", ecolor="black",
                    elinewidth=0.9, capsize=2.5)
        labels.bars(ax, bars, ms, tops=[st.top() for st in sts], fontsize=fontsize)
    log = pm.wide_range(values)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xticks(range(len(engines)))
    ax.grid(axis="y", alpha=0.35, which="major")
    if log:
        ax.grid(axis="y", alpha=0.12, which="minor")
    ax.set_axisbelow(True)
    return log


def figures_across_engines(pm, w, summary, engines, builds, wanted):
    t1 = [g for g in summary.groups if g.experiment == "table1"]
    if not t1:
        return
    configs = table1_configs(t1)
    names = [n for n, _ in configs]
    chosen = [c for c in wanted if c in names]
    for c in wanted:
        if c not in names:
            print(f"plot_micro.py: --config {c}: no such configuration in the data", file=sys.stderr)
    if not chosen and not wanted:
        by_index = {i: n for n, i in configs}
        chosen = ["pair-cached-preload-srs"] if "pair-cached-preload-srs" in names else \
                 [by_index[6]] if 6 in by_index else [names[0]]
    eng = [e for e in engines if any(g.engine == e for g in t1)]
    tiers = pm.engine_tiers(t1)
    for config in chosen:
        index = dict(configs)[config]
        fig, ax, labels = w.figure(figsize=(max(6.5, 1.25 * len(eng) + 3.0), 5.4), layout="constrained")
        log = _engine_bars(pm, ax, labels, t1, eng, builds, config, fontsize=7.5)
        pm.mark_tier_kinds(ax, eng, tiers, labels)
        ax.set_xticklabels(eng, rotation=20, ha="right", rotation_mode="anchor")
        ax.set_ylabel("ns per call" + (" (log scale)" if log else ""))
        ax.set_xlabel("engine")
        ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title(f"Table 1 configuration {pm.config_label(index, config, 60)} on every engine\n"
                     f"mean ns per call with 95% CI ({summary.units_text('table1', config=config)})", fontsize=11)
        w.save(fig, f"config_across_engines_{pm.safe(config)}", labels)
    # Small multiples: every configuration.
    cols = 4 if len(configs) > 6 else max(1, min(3, len(configs)))
    rows = math.ceil(len(configs) / cols)
    fig, axes, labels = w.figure(rows, cols, figsize=(4.6 * cols, 3.8 * rows + 0.8), layout="constrained",
                                 squeeze=False)
    for k, (config, index) in enumerate(configs):
        ax = axes[k // cols][k % cols]
        log = _engine_bars(pm, ax, labels, t1, eng, builds, config, fontsize=6.0)
        pm.mark_tier_kinds(ax, eng, tiers, labels)
        ax.set_xticklabels(eng, rotation=40, ha="right", rotation_mode="anchor", fontsize=7.5)
        ax.set_title(pm.config_label(index, config, 40).replace("\n", " ") + (" (log)" if log else ""), fontsize=9)
        ax.tick_params(axis="y", labelsize=7.5)
        if k % cols == 0:
            ax.set_ylabel("ns per call", fontsize=8.5)
    for k in range(len(configs), rows * cols):
        axes[k // cols][k % cols].set_axis_off()
    handles, names_ = [], []
    for row in axes:
        for ax in row:
            for h, l in zip(*ax.get_legend_handles_labels()):
                if l not in names_:
                    handles.append(h), names_.append(l)
    if handles:
        if len(configs) < rows * cols:  # an empty slot holds the legend
            axes[-1][-1].legend(handles, names_, loc="center", fontsize=10, title="host build")
        else:
            axes[0][-1].legend(handles, names_, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    fig.suptitle("Every Table 1 configuration across engines: mean ns per call with 95% CI "
                 "(log scale where values differ by more than 30x)", fontsize=11)
    w.save(fig, "configs_across_engines", labels)


def figure_directions(pm, w, summary, engines, builds):
    """Both directions of the hop per engine: host-to-guest (typed Pair call) beside guest-to-host
    (a guest loop calling a host function with two scalars), mean ns per call with 95% CI."""
    groups = summary.groups
    pairs = {"host → guest (pair-typed)": ("table1", "pair-typed"),
             "guest → host (host-pair)": ("hostcall", "host-pair")}
    if not any(g.experiment == "hostcall" for g in groups):
        print("plot_micro.py: no guest-to-host records: hop_directions skipped", file=sys.stderr)
        return
    for b in builds:
        es = [e for e in engines if any(g.engine == e and g.host_build == b and g.experiment == "hostcall"
                                        for g in groups)]
        if not es:
            continue
        fig, ax, labels = w.figure(figsize=(max(7.0, 0.9 * len(es) + 2.5), 5.4), layout="constrained")
        width = 0.38
        values = []
        for j, (label, (exp, cfg)) in enumerate(pairs.items()):
            xs, sts = [], []
            for i, e in enumerate(es):
                g = next((x for x in groups if x.engine == e and x.host_build == b and x.experiment == exp
                          and x.config == cfg), None)
                if g is None or not g.stats["ns"].ok():
                    continue
                xs.append(i - 0.2 + width * j), sts.append(g.stats["ns"])
            if not xs:
                continue
            ms = [st.mean for st in sts]
            values += ms
            bars = ax.bar(xs, ms, width=width * 0.95, color=["#1b9e77", "#7570b3"][j], edgecolor="black",
                          linewidth=0.4, label=label)
            err = [st.err() for st in sts]
            ax.errorbar(xs, ms, yerr=[[e[0] for e in err], [e[1] for e in err]], fmt="none", ecolor="black",
                        elinewidth=0.9, capsize=2.5)
            labels.bars(ax, bars, ms, tops=[st.top() for st in sts], fontsize=7.5)
        if pm.wide_range(values):
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        ax.set_xticks(range(len(es)))
        ax.set_xticklabels(es, rotation=30, ha="right")
        ax.set_ylabel("ns per call (mean, 95% CI)")
        ax.grid(axis="y", alpha=0.35)
        ax.set_axisbelow(True)
        ax.set_title(f"One hop each way — {pm.BUILD_LABEL.get(b, b)}\nthe host calling the guest, the guest "
                     f"calling the host (two i32 in, one out)", fontsize=10)
        ax.legend(fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        w.save(fig, f"hop_directions_{pm.safe(b)}", labels)
