#!/usr/bin/env python3
"""A study across machines, in miniature: a quick suite run whole, and the same suite as two shards
(`--shard 1/2`, `--shard 2/2`), merged by `wasmhop report --out DIR SHARD1 SHARD2`. The shards split
the plan (every step in exactly one shard; gen in both), and the merged records and report equal the
unsharded run's in everything that does not depend on timing: the same record set (steps, configurations,
replications, checksums, exact hit counts) and the same summary groups with the same replication and hit
counts. Then the refusals: overlapping shards, one directory twice, mixed record versions, an unknown
record version (in run.json and in a record line), and directories of different plans."""

import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_test_common import (check, fresh_dir, journal_state, main_wrapper, own_build, read_csv,  # noqa: E402
                               read_jsonl, run)

ENGINES = "native,wasm3,wasm2c"


def records_by_step(run_dir):
    done, _ = journal_state(run_dir)
    return {step: read_jsonl(os.path.join(run_dir, "records", step + ".jsonl")) for step in done}


def identity(rec):
    """What a record says that does not depend on timing (sweep points calibrate their call counts)."""
    kind = rec["kind"]
    if kind == "micro":
        key = (kind, rec["step"], rec["experiment"], rec["engine"], rec["config"], rec["replication"],
               rec.get("batch_size"), rec.get("payload_bytes"))
        return key + ((rec["calls"], rec["checksum"]) if rec["experiment"] == "table1" else ())
    if kind == "sim":
        return (kind, rec["step"], rec["purpose"], rec["trace"], rec["replication"], rec["policy"], rec["cost"],
                rec["cache_bytes"], rec["size_change"], rec["engine"], rec["tier"], rec["abi"], rec["cached"],
                rec["requests"], rec["hits"], rec["bytes_requested"], rec["bytes_hit"])
    return (kind,) + tuple(sorted((k, json.dumps(v)) for k, v in rec.items()
                                  if k not in ("run_id", "timestamp", "host_build")))


def summary_keys(report_dir):
    ms = read_csv(os.path.join(report_dir, "report", "micro_summary.csv"))
    micro = sorted((r["experiment"], r["host_build"], r["engine"], r["config"], r["batch_size"], r["payload_bytes"],
                    r["n"]) for r in ms)
    ss = read_csv(os.path.join(report_dir, "report", "sim_summary.csv"))
    sim = sorted((r["purpose"], r["trace"], r["host_build"], r["policy"], r["cache_bytes"], r["engine"], r["scenario"],
                  r["n"], r["requests"], r["hits"], r["bytes_hit"], r["counts_agree"]) for r in ss)
    return micro, sim


def refused(argv, *words):
    r = run(argv)
    check(r.returncode == 2, f"{' '.join(argv[1:])}: exit status {r.returncode}, expected 2")
    for w in words:
        check(w in r.stderr, f"{' '.join(argv[1:])}: the error does not say '{w}': {r.stderr.strip()}")
    check(len(r.stderr.strip().splitlines()) == 1, "the error is not one line")


def copy_with(src, dst, edit):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".lock"))
    edit(dst)
    return dst


def set_run_json(key, value, section=None):
    def edit(d):
        p = os.path.join(d, "run.json")
        doc = json.load(open(p))
        (doc[section] if section else doc)[key] = value
        json.dump(doc, open(p, "w"))
    return edit


def test(args):
    work = fresh_dir(args.work)
    build = own_build(args.wasmhop)
    common = ["--quick", "--seed", "5", "--engines", ENGINES, "--builds", build, "--no-build", "--micro-reps", "2",
              "--no-report"]
    whole, s1, s2 = (os.path.join(work, n) for n in ("whole", "shard1", "shard2"))
    for out, extra in ((whole, []), (s1, ["--shard", "1/2"]), (s2, ["--shard", "2/2"])):
        r = run([args.wasmhop, "suite", "--out", out] + common + extra)
        check(r.returncode == 0, f"suite {' '.join(extra)} exited with {r.returncode}")

    # The shards split the plan: every step in exactly one of them, gen in both.
    plan = [s["id"] for s in json.load(open(os.path.join(whole, "run.json")))["steps"]]
    for d in (s1, s2):
        check([s["id"] for s in json.load(open(os.path.join(d, "run.json")))["steps"]] == plan,
              f"{d}: another plan than the unsharded run's")
    d1, d2 = set(journal_state(s1)[0]), set(journal_state(s2)[0])
    check(d1 & d2 == {"gen"}, f"steps in both shards: {sorted(d1 & d2)}")
    check(d1 | d2 == set(plan) == set(journal_state(whole)[0]), "the shards together do not cover the plan")
    check(abs(len(d1) - len(d2)) <= len(plan) // 2, f"unbalanced shards: {len(d1)} and {len(d2)} steps")
    print(f"shard 1: {len(d1)} steps, shard 2: {len(d2)} steps, plan: {len(plan)} steps", flush=True)

    # The merged record set equals the unsharded run's (what does not depend on timing).
    mine = records_by_step(whole)
    theirs = records_by_step(s1)
    theirs.update(records_by_step(s2))
    check(sorted(mine) == sorted(theirs), "the merged steps differ")
    for step in mine:
        a, b = sorted(map(identity, mine[step])), sorted(map(identity, theirs[step]))
        check(a == b, f"{step}: the records differ from the unsharded run's ({len(a)} vs {len(b)})")
    print(f"record sets equal: {sum(len(v) for v in mine.values())} records in {len(mine)} steps", flush=True)

    # The merged report's numbers equal the unsharded run's.
    merged = os.path.join(work, "merged")
    for argv in ([args.wasmhop, "report", whole, "--no-plots"],
                 [args.wasmhop, "report", "--out", merged, s1, s2, "--no-plots"]):
        r = run(argv)
        check(r.returncode == 0, f"{' '.join(argv[1:])} exited with {r.returncode}")
    m_whole, s_whole = summary_keys(whole)
    m_merged, s_merged = summary_keys(merged)
    check(m_whole == m_merged, "micro summary groups (or their replication counts) differ")
    check(s_whole == s_merged, "simulator summary groups (or their exact counts) differ")
    md = open(os.path.join(merged, "report.md"), encoding="utf-8").read()
    check("reproduced the native hit counts exactly" in md, "the merged report's count check is missing")
    check("shard 1/2" in md and "shard 2/2" in md, "the merged report does not name its shards")
    print(f"summaries equal: {len(m_whole)} micro groups, {len(s_whole)} simulator groups", flush=True)

    # Refusals: one clear line each.
    refused([args.wasmhop, "report", s1, s2], "--out")
    refused([args.wasmhop, "report", "--out", os.path.join(work, "x"), s1, whole], "completed in both")
    refused([args.wasmhop, "report", "--out", os.path.join(work, "x"), s1, s1], "given twice")
    v3 = copy_with(s2, os.path.join(work, "shard2-v3"), set_run_json("records_schema", 3))
    refused([args.wasmhop, "report", "--out", os.path.join(work, "x"), s1, v3], "different versions")
    v1 = copy_with(whole, os.path.join(work, "whole-v1"), set_run_json("records_schema", 1))
    refused([args.wasmhop, "report", v1], "record schema 1", "reads record schema 2 only")

    def old_record(d):
        p = os.path.join(d, "records", "gen.jsonl")
        rec = read_jsonl(p)[0]
        rec["schema"] = 1
        open(p, "w").write(json.dumps(rec) + "\n")
    line1 = copy_with(whole, os.path.join(work, "whole-line"), old_record)
    refused([args.wasmhop, "report", line1], "gen.jsonl:1", "record schema 1")
    other = copy_with(s2, os.path.join(work, "shard2-seed"), set_run_json("seed", 6, "params"))
    refused([args.wasmhop, "report", "--out", os.path.join(work, "x"), s1, other], "planned differently")
    r = run([args.wasmhop, "suite", "--shard", "3/2", "--out", os.path.join(work, "y")] + common)
    check(r.returncode == 2 and "--shard" in r.stderr and not os.path.exists(os.path.join(work, "y")),
          "--shard 3/2 is not refused")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmhop", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    main_wrapper(lambda: test(args))


if __name__ == "__main__":
    main()
