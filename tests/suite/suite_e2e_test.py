#!/usr/bin/env python3
"""End to end: `wasmhop suite --quick` into a temporary directory, then checks the records, the
summaries and the report (every expected figure present and embedded, numbers finite), that
`wasmhop report DIR` rebuilds the same statistics from the raw records, and the one-line errors for
bad input."""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_test_common import (Failure, check, finite, fresh_dir, host_args, journal_state, main_wrapper,  # noqa: E402
                               read_csv, read_jsonl, run)


# Long on purpose: one quick study, then every check on what it wrote, in the order it wrote it.
def test(args):
    work = fresh_dir(args.work)
    out = os.path.join(work, "run")
    hosts, builds = host_args(args.wasmhop)
    r = run([args.wasmhop, "suite", "--quick", "--seed", "7", "--micro-reps", "2", "--out", out] + hosts)
    check(r.returncode == 0, f"suite --quick exited with {r.returncode}")
    check("report:" in r.stderr, "the suite did not say where the report is")
    check(re.search(r"\[\s*\d+/\d+\] .*elapsed, ~.* left", r.stderr), "no progress lines (done/total, elapsed, left)")

    # The plan, the journal and the records.
    suite = json.load(open(os.path.join(out, "run.json")))
    steps = [s["id"] for s in suite["steps"]]
    check(suite["params"]["seed"] == 7 and suite["params"]["mode"] == "quick", "run.json: seed/mode not recorded")
    check(suite["params"]["micro_reps"] == 2, "run.json: --micro-reps not recorded")
    check(steps[0] == "gen", "gen is not the first step")
    engines = [e["id"] for e in suite["params"]["engines"]]
    check(len(engines) >= 2, f"too few engines: {engines}")
    done, _ = journal_state(out)
    check(set(done) == set(steps), f"steps not done: {sorted(set(steps) - set(done))}")
    for b in builds:
        for e in engines:
            check(f"micro.{b}.{e}" in steps, f"no micro step for {b}/{e}")
            check(f"sim-time.{b}.{e}.r1" in steps, f"no sim-time step for {b}/{e}")
    micro, sim = 0, 0
    for s in steps:
        path = os.path.join(out, "records", s + ".jsonl")
        check(os.path.exists(path), f"no records for {s}")
        recs = read_jsonl(path)
        check(len(recs) == done[s]["records"], f"{s}: {len(recs)} records, the journal says {done[s]['records']}")
        for rec in recs:
            kind = rec.get("kind", "micro")
            if kind == "micro":
                micro += 1
                check(finite(rec["ns_per_call"]) and rec["ns_per_call"] > 0, f"{s}: bad ns_per_call {rec}")
            elif kind == "sim":
                sim += 1
                check(finite(rec["sim_cpu_seconds"]) and rec["hits"] <= rec["requests"], f"{s}: bad sim row {rec}")
    check(micro > 0 and sim > 0, f"records: {micro} micro, {sim} sim")

    # The environment.
    env = json.load(open(os.path.join(out, "environment.json")))
    for path in (("machine", "cpu_model"), ("machine", "cores_online"), ("os", "name"), ("source", "git_revision"),
                 ("command_line", "argv"), ("toolchain", "c++")):
        node = env
        for k in path:
            check(isinstance(node, dict) and k in node, f"environment.json lacks {'.'.join(path)}")
            node = node[k]
    for b in builds:
        hb = env["host_builds"][b]
        check(hb["build_info"]["host_build"] == b and hb["build_info"]["cxx_flags"] is not None, f"{b}: build info")
        check(any(e.get("version") for e in hb["engines"]), f"{b}: no engine versions")

    # Summaries: finite numbers.
    ms = read_csv(os.path.join(out, "report", "micro_summary.csv"))
    check(len(ms) > 0, "empty micro summary")
    for row in ms:
        check(finite(row["ns_per_call_mean"]), f"micro summary: {row['engine']} {row['config']} not finite")
    ss = read_csv(os.path.join(out, "report", "sim_summary.csv"))
    timed = [row for row in ss if row["purpose"] == "time"]
    check(len(timed) > 0, "no timed simulator groups")
    for row in ss:
        check(finite(row["cpu_s_mean"]) and finite(row["hit_rate"]), f"sim summary row not finite: {row}")
    check(all(row["counts_agree"] == "true" for row in ss), "replications disagree on hit counts")
    rs = read_csv(os.path.join(out, "report", "sim_ratios.csv"))
    check(any(row["purpose"] == "time" for row in rs), "no scripted / native ratios (sim_ratios.csv)")
    for row in rs:
        check(finite(row["cpu_ratio_geomean"]) and float(row["cpu_ratio_min"]) <= float(row["cpu_ratio_geomean"])
              <= float(row["cpu_ratio_max"]), f"sim ratios row: {row}")

    # The report: findings first, every expected figure present, embedded, numbers finite.
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    check(md.index("## Findings") < md.index("## The paper's figures"), "findings do not come first")
    findings = md[md.index("## Findings"):md.index("## The paper's figures")]
    check("cheapest sandboxed hop" in findings, "no cheapest-hop finding")
    check("Best ABI for arbitrary data" in findings, "no best-ABI finding")
    check("5–10×" in findings, "no penalty beside the paper's 5-10x")
    check("reproduced the native hit counts exactly" in findings, "the engines' hit counts differ from native")
    check(not re.search(r"\b(nan|inf)\b|n/a", findings, re.IGNORECASE), "non-finite number in the findings")
    expected = ["fig3_4_all_engines.png", "fig5_all_engines.png", "configs_across_engines.png", "fig6_hit_rate"]
    for b in builds:
        expected += [f"fig7_ci_{b}.png", f"batch_sweep_{b}.png", f"payload_sweep_{b}.png",
                     f"payload_throughput_{b}.png", f"hop_directions_{b}.png"]
    expected.append("ratio_")
    for name in expected:
        m = re.search(r"\]\((report/figures/[^)]*" + re.escape(name) + r"[^)]*)\)", md)
        check(m, f"report.md lacks the figure {name}")
        check(os.path.getsize(os.path.join(out, m.group(1))) > 5000, f"{m.group(1)} is empty")
    images = html.count("src=\"data:image/png;base64,")
    check(images >= len(expected), f"report.html embeds {images} images, expected at least {len(expected)}")
    check(not re.search(r"<img[^>]+src=\"(?!data:)", html), "report.html links an image instead of embedding it")
    for b in builds:
        check(f"Micro-benchmark, Table 1, {b} host" in md, f"no Table 1 statistics for {b}")

    # `wasmhop report DIR` rebuilds the same statistics from the raw records alone.
    before = open(os.path.join(out, "report", "micro_summary.csv")).read()
    before_sim = open(os.path.join(out, "report", "sim_summary.csv")).read()
    r = run([args.wasmhop, "report", out, "--no-plots"])
    check(r.returncode == 0, f"wasmhop report exited with {r.returncode}")
    check(open(os.path.join(out, "report", "micro_summary.csv")).read() == before, "micro summary changed on rebuild")
    check(open(os.path.join(out, "report", "sim_summary.csv")).read() == before_sim, "sim summary changed on rebuild")

    # Bad input: one clear line, non-zero status.
    r = run([args.wasmhop, "suite", "--quick", "--out", out] + hosts)
    check(r.returncode == 2 and "exists" in r.stderr and "--resume" in r.stderr, "an existing --out is not refused")
    check(len(r.stderr.strip().splitlines()) == 1, "the error is not one line")
    r = run([args.wasmhop, "suite", "--resume", os.path.join(work, "nowhere")])
    check(r.returncode == 2 and "not a directory" in r.stderr, "--resume of a missing directory is not refused")
    r = run([args.wasmhop, "report", work])
    check(r.returncode == 2 and "run.json" in r.stderr, "report of a non-suite directory is not refused")
    r = run([args.wasmhop, "suite", "--quick", "--engines", "no-such-engine", "--out", os.path.join(work, "x")] + hosts)
    check(r.returncode == 2 and "no-such-engine" in r.stderr, "an unknown engine is not refused")
    r = run([args.wasmhop, "suite", "--quick", "--micro-reps", "0", "--out", os.path.join(work, "x")] + hosts)
    check(r.returncode != 0 and "--micro-reps" in r.stderr and not os.path.exists(os.path.join(work, "x")),
          "--micro-reps 0 is not refused")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmhop", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    main_wrapper(lambda: test(args))


if __name__ == "__main__":
    main()
