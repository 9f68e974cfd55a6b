#!/usr/bin/env python3
"""Smoke test of tools/plot_micro.py (run by CTest as report.plot_micro_smoke).

Generates synthetic micro-benchmark records (JSON Lines, the fields of src/run/micro_record.hpp), summarizes
them with the C++ summarizer (--summarize: records -> micro_summary.json, the only input the script reads),
runs the plot script on the summary, on partial data (one engine, one host build, no sweeps) and on bad
input (not JSON, an old schema, a missing file), and checks that the expected files exist and are non-empty,
and that the script draws C++'s numbers (every bar of one figure labelled with the summary's mean).
Exits 77 (CTest: skipped) when matplotlib is not importable.

    plot_smoke_test.py --script tools/plot_micro.py --summarize build/.../wasmhop_report_summarize
                       --work DIR [--replications 5]
"""

import argparse
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys

TABLE1 = [
    (0, "native", "native", dict()),
    (1, "pair-uncached-hotload", "pair", dict(cached=False, loading="hotload")),
    (2, "pair-uncached-preload", "pair", dict(cached=False, loading="preload")),
    (3, "pair-cached-hotload", "pair", dict(cached=True, loading="hotload", srs=False)),
    (4, "pair-cached-preload", "pair", dict(cached=True, loading="preload", srs=False)),
    (5, "pair-cached-hotload-srs", "pair", dict(cached=True, loading="hotload", srs=True)),
    (6, "pair-cached-preload-srs", "pair", dict(cached=True, loading="preload", srs=True)),
    (7, "bincode-uncached", "bincode", dict(cached=False, memory="dynamic")),
    (8, "bincode-cached", "bincode", dict(cached=True, memory="dynamic")),
    (9, "pod-uncached-dynamic", "pod", dict(cached=False, memory="dynamic")),
    (10, "pod-cached-dynamic", "pod", dict(cached=True, memory="dynamic")),
    (11, "pod-uncached-static", "pod", dict(cached=False, memory="static")),
    (12, "pod-cached-static", "pod", dict(cached=True, memory="static")),
    (13, "flatbuffers-cached", "flatbuffers", dict(cached=True, memory="dynamic")),
]
# ns per call of Pair cached on each engine, and the per-call cost of one extra guest call / by-name lookup.
ENGINES = {
    "native": (1.2, 1.0, 15.0, "Native", "1.0", ""),
    "wasm2c": (2.0, 2.0, 40.0, "wasm2c", "1.0.32", ""),
    "v8": (55.0, 55.0, 180.0, "V8", "10.2.154.26", "dynamic"),
    "v8-liftoff": (115.0, 110.0, 190.0, "V8", "10.2.154.26", "liftoff"),
    "v8-turbofan": (56.0, 55.0, 185.0, "V8", "10.2.154.26", "turbofan"),
    "wabt-interp": (110.0, 120.0, 60.0, "wabt interpreter", "1.0.32", ""),
}


def config_cost(base, call, lookup, index):
    if index == 0:
        return 0.8
    cost = base
    _, name, abi, f = TABLE1[index]
    if not f.get("cached", True):
        cost += lookup * (2 if f.get("memory") == "dynamic" else 1)
    if f.get("loading") == "hotload":
        cost += 0.1 * base
    if abi in ("bincode", "pod", "flatbuffers"):
        cost += 6.0 + (call if f.get("memory") == "dynamic" else 0.0)
    if abi == "bincode":
        cost += 4.0
    if abi == "flatbuffers":
        cost += 25.0
    return cost


def record(rng, run_id, experiment, engine, build, index, name, abi, extra, rep, calls, ns, **sweep):
    base, _, _, engine_name, version, tier = ENGINES[engine]
    ns = ns * (4.0 if build == "debug" and engine != "native" else 1.0) * rng.gauss(1.0, 0.03)
    loop_s = ns * calls * 1e-9
    r = dict(kind="micro", schema=2, run_id=run_id, step=f"micro.{build}.{engine}",
             timestamp="2024-05-01T12:00:00.000Z", experiment=experiment, engine=engine, engine_name=engine_name, engine_version=version, tier=tier, host_build=build,
             config=name, config_index=index, abi=abi, cached=extra.get("cached", True),
             loading=extra.get("loading", ""), memory=extra.get("memory", ""), replication=rep, calls=calls,
             loop_s=loop_s, compile_s=(0.0 if engine == "native" else 0.002 + 0.004 * (engine == "wasm2c")) *
             rng.gauss(1.0, 0.05), instantiate_s=0.0002 * rng.gauss(1.0, 0.05), ns_per_call=loop_s * 1e9 / calls)
    if "srs" in extra:
        r["srs"] = extra["srs"]
    r.update(sweep)
    return r


def synthesize(path, replications, engines=None, builds=("debug", "release"), sweeps=True, seed=7):
    rng = random.Random(seed)
    engines = engines or list(ENGINES)
    lines = []
    for build in builds:
        for engine in engines:
            if engine == "v8-turbofan" and build == "debug" and len(engines) > 1:
                continue  # a missing (engine, build) pair: the plots must cope
            base, call, lookup = ENGINES[engine][:3]
            for index, name, abi, extra in TABLE1:
                if index == 0 and engine != "native":
                    continue
                ns = config_cost(base, call, lookup, index)
                for rep in range(replications):
                    lines.append(record(rng, "synthetic-run", "table1", engine, build, index, name, abi, extra, rep,
                                        100000, ns))
            if not sweeps or build != "release":
                continue
            for k in range(11):  # N = 1 ... 1024
                n = 1 << k
                ns = base + 0.9 * n + (0.05 * base * n if engine == "wabt-interp" else 0.0)
                for rep in range(replications):
                    lines.append(record(rng, "synthetic-run", "batch", engine, build, 14, "batch-cached", "batch",
                                        dict(cached=True, memory="static"), rep, 20000, ns, batch_size=n))
            for abi, name in (("pod", "pod-cached-static-payload"), ("bincode", "bincode-cached-payload")):
                for k in range(3, 17):  # 8 B ... 64 KiB
                    size = 1 << k
                    ns = base + 8.0 + size * (0.05 if abi == "pod" else 0.12)
                    for rep in range(replications):
                        lines.append(record(rng, "synthetic-run", "payload", engine, build, 15, name, abi,
                                            dict(cached=True, memory="static"), rep, 10000, ns, payload_bytes=size))
    # A batch reference: the guest's own work per record, natively.
    if sweeps:
        for rep in range(replications):
            lines.append(record(rng, "synthetic-run", "batch", "native", "release", 0, "native-batch-work", "native",
                                dict(), rep, 100000, 0.9, batch_size=1))
    with open(path, "w") as f:
        for r in lines:
            f.write(json.dumps(r) + "\n")
        f.write("{ this line is malformed\n")  # the script must skip it with a note
    return len(lines)


def run_plot(args, inputs, out, formats=("png", "svg")):
    if os.path.exists(out):
        shutil.rmtree(out)
    cmd = [sys.executable, args.script] + inputs + ["--out", out, "--formats", ",".join(formats)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    return p


def check(cond, msg, failures):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def check_files(p, out, expected, failures, label, formats=("png", "svg")):
    check(p.returncode == 0, f"{label}: exit status {p.returncode}\nstderr:\n{p.stderr}", failures)
    check("Traceback" not in p.stderr, f"{label}: traceback on stderr:\n{p.stderr}", failures)
    printed = [line for line in p.stdout.splitlines() if line.strip()]
    for stem in expected:
        for ext in formats:
            f = os.path.join(out, f"{stem}.{ext}")
            check(os.path.isfile(f) and os.path.getsize(f) > 1000, f"{label}: {f} missing or empty", failures)
            check(f in printed, f"{label}: {f} not printed on stdout", failures)
    for f in printed:
        check(os.path.isfile(f), f"{label}: printed {f} does not exist", failures)


def summarize(args, records, out_dir, failures):
    s = subprocess.run([args.summarize, records, out_dir], capture_output=True, text=True, timeout=120)
    check(s.returncode == 0, f"summarize {records}: exit {s.returncode}: {s.stderr}", failures)
    check(":" in s.stderr and "malformed" in s.stderr, "summarize: the malformed line was not reported", failures)
    return os.path.join(out_dir, "micro_summary.json")


def labels_match_summary(summary_path, failures):
    """Draws config_across_engines' bars through the script's own code and checks that every bar carries
    the summary's mean (the script draws C++'s numbers, it computes none)."""
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import plot_micro
    import plot_micro_bars
    import plot_labels
    summary = plot_micro.load_summary(summary_path)
    plt = plot_micro.plot_env.pyplot(plot_micro.__file__)
    fig, ax = plt.subplots()
    labels = plot_labels.Labels()
    t1 = [g for g in summary.groups if g.experiment == "table1"]
    engines = plot_micro.engine_order(t1)
    plot_micro_bars._engine_bars(plot_micro, ax, labels, t1, engines, ["release"], "pair-cached-preload-srs")
    labels.finish(fig)
    drawn = sorted(t.get_text() for t in ax.texts)
    want = sorted(plot_labels.fmt_value(g.stats["ns"].mean) for g in t1
                  if g.host_build == "release" and g.config == "pair-cached-preload-srs")
    check(drawn == want and len(want) == len(ENGINES), f"bar labels {drawn} != summary means {want}", failures)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", required=True)
    ap.add_argument("--summarize", required=True, help="wasmhop_report_summarize executable (records -> summary)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--replications", type=int, default=5)
    args = ap.parse_args()

    if importlib.util.find_spec("matplotlib") is None:
        print("matplotlib is not installed for", sys.executable, "- skipping")
        return 77

    os.makedirs(args.work, exist_ok=True)
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.script)))
    failures = []
    records = os.path.join(args.work, "synthetic.jsonl")
    n = synthesize(records, args.replications)
    print(f"{n} synthetic records in {records}")
    summary = summarize(args, records, os.path.join(args.work, "summary"), failures)

    engines = list(ENGINES)
    full = ([f"fig3_4_{e}" for e in engines] + [f"fig5_{e}" for e in engines] +
            ["fig3_4_all_engines", "fig5_all_engines", "config_across_engines_pair-cached-preload-srs",
             "configs_across_engines", "batch_sweep_release", "payload_sweep_release"])

    out = os.path.join(args.work, "full")
    p = run_plot(args, [summary], out)
    check_files(p, out, full, failures, "summary")
    labels_match_summary(os.path.dirname(summary), failures)  # a directory holding the summary reads the same

    partial = os.path.join(args.work, "partial.jsonl")
    synthesize(partial, 3, engines=["v8"], builds=("release",), sweeps=False)
    psummary = summarize(args, partial, os.path.join(args.work, "partial_summary"), failures)
    out = os.path.join(args.work, "partial")
    p = run_plot(args, [psummary], out)
    check_files(p, out, ["fig3_4_v8", "fig5_v8", "config_across_engines_pair-cached-preload-srs",
                         "configs_across_engines"], failures, "partial")
    check(not os.path.exists(os.path.join(out, "batch_sweep_release.png")), "partial: unexpected batch plot",
          failures)

    garbage = os.path.join(args.work, "garbage.json")
    with open(garbage, "w") as f:
        f.write("not json\n")
    p = run_plot(args, [garbage], os.path.join(args.work, "garbage"))
    check(p.returncode == 2, f"garbage: expected exit 2, got {p.returncode}", failures)
    check("Traceback" not in p.stderr, f"garbage: traceback:\n{p.stderr}", failures)

    old = os.path.join(args.work, "old_schema.json")
    with open(old, "w") as f:
        json.dump({"schema": 1, "confidence": 0.95, "groups": []}, f)
    p = run_plot(args, [old], os.path.join(args.work, "old"))
    check(p.returncode == 2 and "schema 1" in p.stderr, f"old schema: exit {p.returncode}: {p.stderr}", failures)

    p = run_plot(args, [os.path.join(args.work, "does-not-exist.json")], os.path.join(args.work, "missing"))
    check(p.returncode == 2, f"missing input: expected exit 2, got {p.returncode}", failures)

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("plot smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
