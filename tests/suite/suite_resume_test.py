#!/usr/bin/env python3
"""Kills a quick suite part-way (SIGINT in the middle of a step), continues it with --resume, and
checks that the result equals an uninterrupted run's: the same steps complete, the same number of
records per step, the same summary groups with the same replication counts and hit counts (timings
differ, so they are not compared). Partial records of the interrupted step must be set aside, never
counted."""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_test_common import (check, fresh_dir, host_args, journal_state, main_wrapper, read_csv,  # noqa: E402
                               read_jsonl, run)

ENGINES = "native,wasm2c,v8-liftoff"


def summary_keys(run_dir):
    ms = read_csv(os.path.join(run_dir, "report", "micro_summary.csv"))
    micro = sorted((r["experiment"], r["host_build"], r["engine"], r["config"], r["batch_size"], r["payload_bytes"],
                    r["n"]) for r in ms)
    ss = read_csv(os.path.join(run_dir, "report", "sim_summary.csv"))
    sim = sorted((r["purpose"], r["trace"], r["host_build"], r["policy"], r["cache_bytes"], r["engine"], r["scenario"],
                  r["n"], r["hits"], r["bytes_hit"]) for r in ss)
    return micro, sim


def record_counts(run_dir):
    out = {}
    for name in sorted(os.listdir(os.path.join(run_dir, "records"))):
        if name.endswith(".jsonl"):
            out[name] = len(read_jsonl(os.path.join(run_dir, "records", name)))
    return out


# Long on purpose: run, interrupt, resume and compare read as one story.
def test(args):
    work = fresh_dir(args.work)
    hosts, _ = host_args(args.wasmhop)
    # More micro replications than --quick's 3: a micro step must last long enough to be interrupted
    # in the middle (quick micro steps now take a fraction of a second).
    common = ["--quick", "--seed", "11", "--micro-reps", "40", "--engines", ENGINES, "--no-report"] + hosts

    # The reference: uninterrupted.
    ref = os.path.join(work, "uninterrupted")
    r = run([args.wasmhop, "suite", "--out", ref] + common)
    check(r.returncode == 0, f"uninterrupted suite exited with {r.returncode}")

    # Interrupted: SIGINT while a micro step is running (after a few steps are done).
    cut = os.path.join(work, "interrupted")
    print(f"$ {args.wasmhop} suite --out {cut} {' '.join(common)}   (SIGINT part-way)", flush=True)
    p = subprocess.Popen([args.wasmhop, "suite", "--out", cut] + common, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    target = None
    deadline = time.time() + 600
    while time.time() < deadline and p.poll() is None:
        done, started = journal_state(cut)
        running = [s for s in started if s not in done]
        if len(done) >= 3 and running and running[0].startswith("micro."):
            time.sleep(0.1)  # let it write some records
            p.send_signal(signal.SIGINT)
            break
        time.sleep(0.05)
    out, err = p.communicate(timeout=120)
    sys.stdout.write(err[-3000:])
    interrupted = [json.loads(line) for line in open(os.path.join(cut, "journal.jsonl"))
                   if '"step-interrupted"' in line]
    check(interrupted, "the suite finished before it could be interrupted (no step-interrupted event)")
    target = interrupted[-1]["step"]
    check(p.returncode == 128 + signal.SIGINT, f"interrupted suite exited with {p.returncode}, expected 130")
    check("resume with:" in err and "--resume" in err, "no resume instruction printed")
    done_cut, _ = journal_state(cut)
    check(target not in done_cut, f"the interrupted step {target} is marked done")
    partial = os.path.join(cut, "records", target + ".jsonl")
    had_partial = os.path.exists(partial) and len(read_jsonl(partial)) > 0
    print(f"interrupted {target} ({'with' if had_partial else 'without'} partial records); "
          f"{len(done_cut)} steps were done", flush=True)

    # --resume continues it.
    r = run([args.wasmhop, "suite", "--resume", cut, "--no-report"])
    check(r.returncode == 0, f"--resume exited with {r.returncode}")
    if had_partial:
        discarded = os.listdir(os.path.join(cut, "records", "discarded"))
        check(any(n.startswith(target) for n in discarded), f"partial records of {target} were not set aside")
        check("discarding" in r.stderr, "the resume did not say it discarded partial records")

    # Same steps, same record counts, same summaries (keys, n, hit counts).
    d_ref, _ = journal_state(ref)
    d_cut, _ = journal_state(cut)
    check(set(d_ref) == set(d_cut), f"completed steps differ: {sorted(set(d_ref) ^ set(d_cut))}")
    check(record_counts(ref) == record_counts(cut), "record counts per step differ from the uninterrupted run")
    for d in (ref, cut):
        r = run([args.wasmhop, "report", d, "--no-plots"])
        check(r.returncode == 0, f"report of {d} exited with {r.returncode}")
    m_ref, s_ref = summary_keys(ref)
    m_cut, s_cut = summary_keys(cut)
    check(m_ref == m_cut, "micro summary groups (or their replication counts) differ")
    check(s_ref == s_cut, "simulator summary groups (or their counts) differ")

    # Resuming a finished run is harmless: nothing to do, the report is rebuilt.
    r = run([args.wasmhop, "suite", "--resume", cut, "--no-report"])
    check(r.returncode == 0 and "already done" in r.stderr, "resuming a complete run failed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmhop", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    main_wrapper(lambda: test(args))


if __name__ == "__main__":
    main()
