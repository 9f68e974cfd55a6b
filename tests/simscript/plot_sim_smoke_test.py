#!/usr/bin/env python3
"""Smoke test of the simulator's summaries and tools/plot_sim.py: synthetic `wasmhop sim --json` rows (native
baseline, two engines, three replications, a hit-rate sweep) are summarized by C++ (--summarize --sim: what
`wasmhop sim --out` writes), whose ratio table must be exact, then drawn: every figure must be written, and
a summary of another schema refused. Exit 0 pass, 1 fail, 77 skipped (no matplotlib)."""

import argparse
import csv
import json
import os
import subprocess
import sys


def row(policy, size, engine, tier, abi, cached, hits, cpu):
    req, breq = 1000, 100000
    return {"policy": policy, "cost": "-", "cache_bytes": size, "size_change": "first-size", "engine": engine,
            "tier": tier, "abi": abi, "cached": cached, "requests": req, "hits": hits, "bytes_requested": breq,
            "bytes_hit": hits * 90, "setup_seconds": 0.001, "sim_seconds": cpu * 2, "sim_cpu_seconds": cpu}


# Long on purpose: write the records, summarize, plot, then check each figure, top to bottom.
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", required=True)
    ap.add_argument("--summarize", required=True, help="wasmhop_report_summarize (--sim rows -> summaries)")
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib missing: skipped")
        return 77
    os.makedirs(a.work, exist_ok=True)
    records = []
    for k, size in enumerate([1 << 20, 2 << 20, 4 << 20, 8 << 20]):
        for p, base in (("lru", 800), ("fifo", 700)):
            records.append(row(p, size, "native", "-", "direct", True, base + 20 * k, 0.01))
    for rep_cpu in (0.04, 0.02, 0.03):  # three replications: median 0.03 -> ratio 3
        for p, base in (("lru", 840), ("fifo", 740)):
            for engine, tier in (("wasm2c", "aot"), ("v8", "dynamic")):
                for abi in ("pair", "batch"):
                    for cached in (True, False):
                        records.append(row(p, 4 << 20, engine, tier, abi, cached, base, rep_cpu))
    sim_json = os.path.join(a.work, "sim.json")
    with open(sim_json, "w") as f:
        json.dump({"records": records}, f)
    summary_dir = os.path.join(a.work, "summary")
    r = subprocess.run([a.summarize, "--sim", sim_json, summary_dir], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"summarize --sim exited {r.returncode}: {r.stderr}")
        return 1
    with open(os.path.join(summary_dir, "sim_ratios.csv")) as f:
        ratios = list(csv.DictReader(f))
    if len(ratios) != 8:
        print(f"expected 8 engine x scenario rows, got {len(ratios)}")
        return 1
    for x in ratios:
        if abs(float(x["cpu_ratio_geomean"]) - 3.0) > 1e-9 or x["policies"] != "2" or x["schema"] != "2":
            print(f"wrong ratio row {x}")
            return 1

    out = os.path.join(a.work, "out")
    r = subprocess.run([sys.executable, a.script, summary_dir, "--out", out, "--formats", "png"], capture_output=True,
                       text=True)
    print(r.stdout, r.stderr)
    if r.returncode != 0:
        print(f"plot_sim.py exited {r.returncode}")
        return 1
    want = ["fig6_hit_rate.png", "fig6_byte_hit_rate.png", "fig7_time_4MiB_wasm2c.png", "fig7_time_4MiB_v8.png",
            "fig7_time_4MiB_all.png", "ratio_4MiB.png"]
    for name in want:
        p = os.path.join(out, name)
        if not os.path.exists(p) or os.path.getsize(p) == 0:
            print(f"missing {name}")
            return 1
        if open(p, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
            print(f"{name} is not a PNG")
            return 1

    # A summary of another schema is refused with exit status 2.
    old = os.path.join(a.work, "old")
    os.makedirs(old, exist_ok=True)
    with open(os.path.join(summary_dir, "sim_summary.csv")) as f, open(os.path.join(old, "sim_summary.csv"), "w") as g:
        g.write(f.read().replace(",2\n", ",1\n"))
    r = subprocess.run([sys.executable, a.script, old, "--out", os.path.join(a.work, "old_out")], capture_output=True,
                       text=True)
    if r.returncode != 2 or "schema 1" not in r.stderr:
        print(f"old schema: exit {r.returncode}: {r.stderr}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
