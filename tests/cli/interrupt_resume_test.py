#!/usr/bin/env python3
"""SIGINT / SIGTERM in the middle of `wasmhop micro` and `wasmhop sim`: exit status 128 + signal,
valid partial records, a message naming the --resume command; --resume DIR (the one journal and
results directory of src/run) then finishes the run and the result equals an uninterrupted run's
(micro: the same record counts per step; sim: the same exact hit counts as the native engine)."""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [ln for ln in f.read().split("\n") if ln.strip()]


def wait_for(pred, what, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.05)
    raise Failure(f"timed out waiting for {what}")


def interrupt(argv, ready, sig, what):
    """Starts argv, waits for ready(), sends sig; returns (exit status, stderr)."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: ready() or p.poll() is not None, what)
        check(p.poll() is None, f"{what}: the run ended before it could be interrupted")
        p.send_signal(sig)
        _, err = p.communicate(timeout=300)
    finally:
        if p.poll() is None:
            p.kill()
    return p.returncode, err


def journal_done(run_dir):
    done = set()
    for ln in lines(os.path.join(run_dir, "journal.jsonl")):
        try:
            ev = json.loads(ln)
        except ValueError:
            continue
        if ev.get("event") == "step-done":
            done.add(ev["step"])
    return done


def records_of(run_dir):
    """Every record of the run's records/*.jsonl (every line is valid JSON)."""
    out = []
    rec_dir = os.path.join(run_dir, "records")
    for name in sorted(os.listdir(rec_dir)) if os.path.isdir(rec_dir) else []:
        if name.endswith(".jsonl"):
            out += [json.loads(ln) for ln in lines(os.path.join(rec_dir, name))]
    return out


def test_micro(wasmhop, work, host_build):
    out = os.path.join(work, "micro")
    # Step 1 (native) is short; step 2 (the interpreter, many replications) is interrupted mid-way.
    argv = [wasmhop, "micro", "--builds", host_build, "--engines", "native,wabt-interp", "--reps", "6",
            "--calls", "20000", "--no-batch", "--no-payload", "--no-hostcall", "--no-plots", "--out", out]
    second = os.path.join(out, "records", f"micro.{host_build}.wabt-interp.jsonl")

    def second_step_started():
        return f"micro.{host_build}.native" in journal_done(out) and len(lines(second)) > 0

    rc, err = interrupt(argv, second_step_started, signal.SIGINT, "micro's second step")
    check(rc == 130, f"micro: exit status {rc} after SIGINT (expected 130)\n{err}")
    check("interrupted by SIGINT" in err and "micro --resume " + out in err, f"micro: no resume message:\n{err}")
    partial = records_of(out)
    check(any(r["engine"] == "wabt-interp" for r in partial), "micro: no partial records of the interrupted step")
    check(all(r["kind"] == "micro" and r["schema"] == 2 for r in partial), "micro: records without kind/schema")

    r = subprocess.run([wasmhop, "micro", "--resume", out, "--engines", "native"], capture_output=True, text=True)
    check(r.returncode == 2 and "leave out --engines" in r.stderr, "micro: --resume with other options not refused")
    r = subprocess.run([wasmhop, "micro", "--resume", out, "--no-plots"], capture_output=True, text=True)
    check(r.returncode == 0, f"micro --resume exited with {r.returncode}\n{r.stderr}")
    per_engine = {}
    for rec in records_of(out):
        per_engine[rec["engine"]] = per_engine.get(rec["engine"], 0) + 1
    check(per_engine.get("native") == per_engine.get("wabt-interp") and per_engine["native"] > 0,
          f"micro: records per engine after --resume differ: {per_engine}")
    aside = os.path.join(out, "records", "discarded")
    discarded = [ln for n in os.listdir(aside) for ln in lines(os.path.join(aside, n))] if os.path.isdir(aside) else []
    check(len(discarded) > 0, "micro: the interrupted step's partial records were not set aside")
    check(os.path.exists(os.path.join(out, "micro_summary.csv")), "micro: no summary after --resume")


def test_sim(wasmhop, work):
    trace = os.path.join(work, "trace.txt")
    r = subprocess.run([wasmhop, "gen", "--preset", "paper", "--requests", "60000", "-o", trace], capture_output=True)
    check(r.returncode == 0, "gen failed")
    common = ["--trace", trace, "--policy", "fifo,lru,lfu,gds", "--cache-size", "1MiB:16MiB", "-q"]
    ref = os.path.join(work, "sim-native")
    r = subprocess.run([wasmhop, "sim", *common, "--out", ref], capture_output=True, text=True)
    check(r.returncode == 0, f"native sim failed: {r.stderr}")
    out = os.path.join(work, "sim")
    argv = [wasmhop, "sim", *common, "--engine", "wabt-interp", "--abi", "pair", "--timed", "--out", out]
    rows = os.path.join(out, "records", "sim.jsonl")
    rc, err = interrupt(argv, lambda: len(lines(rows)) >= 1, signal.SIGTERM, "sim's first row")
    check(rc == 143, f"sim: exit status {rc} after SIGTERM (expected 143)\n{err}")
    check("interrupted by SIGTERM" in err and "--resume" in err, f"sim: no resume message:\n{err}")
    kept = [json.loads(ln) for ln in lines(rows)]
    doc = json.load(open(os.path.join(out, "sim.json")))
    check(doc.get("interrupted") is True and len(doc["records"]) == len(kept) < 20,
          f"sim: partial sim.json does not match the rows ({len(doc['records'])} vs {len(kept)})")

    r = subprocess.run([wasmhop, "sim", "--resume", out, "--policy", "lru"], capture_output=True, text=True)
    check(r.returncode == 1 and "leave out --policy" in r.stderr, "sim: --resume with other options not refused")
    r = subprocess.run([wasmhop, "sim", "--resume", out], capture_output=True, text=True)
    check(r.returncode == 0, f"sim --resume exited with {r.returncode}\n{r.stderr}")
    records = [json.loads(ln) for ln in lines(rows)]
    check(len(records) == len(final_rows(out)) and len({r["step"] for r in records}) == len(records),
          "sim: records after --resume are not one per simulation")
    final = json.load(open(os.path.join(out, "sim.json")))
    native = json.load(open(os.path.join(ref, "sim.json")))
    check("interrupted" not in final, "sim: still marked interrupted after --resume")
    key = lambda rec: (rec["policy"], rec["cache_bytes"])  # noqa: E731
    got = {key(x): x["hits"] for x in final["records"]}
    want = {key(x): x["hits"] for x in native["records"]}
    check(got == want, f"sim: hits after --resume differ from native: {got} vs {want}")
    r = subprocess.run([wasmhop, "sim", "--resume", os.path.join(work, "nowhere")], capture_output=True, text=True)
    check(r.returncode == 1 and "--resume" in r.stderr, "sim: --resume of no results directory is not refused")


def final_rows(run_dir):
    return json.load(open(os.path.join(run_dir, "sim.json")))["records"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmhop", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--host-build", default="release", help="this binary's host build (release or debug)")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    try:
        test_micro(args.wasmhop, args.work, args.host_build)
        test_sim(args.wasmhop, args.work)
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
