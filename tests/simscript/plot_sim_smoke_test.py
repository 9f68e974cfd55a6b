#!/usr/bin/env python3
"""Smoke test of tools/plot_sim.py: a synthetic `wasmhop sim` CSV (native baseline, two engines, two
replications, a hit-rate sweep) must give every figure and the exact ratio table.
Exit 0 pass, 1 fail, 77 skipped (no matplotlib)."""

import argparse
import csv
import os
import subprocess
import sys

HEADER = ("policy,cost,cache_bytes,size_change,engine,tier,abi,cached,requests,hits,bytes_requested,bytes_hit,"
          "hit_rate,byte_hit_rate,setup_seconds,sim_seconds,sim_cpu_seconds,requests_per_second,warmup,read_seconds")


def row(policy, size, engine, tier, abi, cached, hits, cpu):
    req, breq = 1000, 100000
    return (f"{policy},-,{size},first-size,{engine},{tier},{abi},{'true' if cached else 'false'},{req},{hits},{breq},"
            f"{hits * 90},{hits / req:.6f},{hits * 90 / breq:.6f},0.001,{cpu * 2:.6f},{cpu:.6f},1,0,0.1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib missing: skipped")
        return 77
    os.makedirs(a.work, exist_ok=True)
    path = os.path.join(a.work, "sim.csv")
    lines = [HEADER]
    for k, size in enumerate([1 << 20, 2 << 20, 4 << 20, 8 << 20]):
        for p, base in (("lru", 800), ("fifo", 700)):
            lines.append(row(p, size, "native", "-", "direct", True, base + 20 * k, 0.01))
    for rep_cpu in (0.04, 0.02, 0.03):  # three replications: median 0.03 -> ratio 3
        for p, base in (("lru", 840), ("fifo", 740)):
            for engine, tier in (("wasm2c", "aot"), ("v8", "dynamic")):
                for abi in ("pair", "batch"):
                    for cached in (True, False):
                        lines.append(row(p, 4 << 20, engine, tier, abi, cached, base, rep_cpu))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    out = os.path.join(a.work, "out")
    r = subprocess.run([sys.executable, a.script, path, "--out", out, "--formats", "png"], capture_output=True,
                       text=True)
    print(r.stdout, r.stderr)
    if r.returncode != 0:
        print(f"plot_sim.py exited {r.returncode}")
        return 1
    want = ["fig6_hit_rate.png", "fig6_byte_hit_rate.png", "fig7_time_4MiB_wasm2c.png", "fig7_time_4MiB_v8.png",
            "fig7_time_4MiB_all.png", "ratio_4MiB.png", "sim_times_4MiB.csv", "sim_ratios_4MiB.csv"]
    for name in want:
        p = os.path.join(out, name)
        if not os.path.exists(p) or os.path.getsize(p) == 0:
            print(f"missing {name}")
            return 1
        if name.endswith(".png") and open(p, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
            print(f"{name} is not a PNG")
            return 1
    with open(os.path.join(out, "sim_ratios_4MiB.csv")) as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 8:
        print(f"expected 8 engine x scenario rows, got {len(rows)}")
        return 1
    for r in rows:
        if abs(float(r["geomean_ratio"]) - 3.0) > 1e-9 or r["policies"] != "2":
            print(f"wrong ratio row {r}")
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
