"""Shared helpers of the suite tests: running wasmhop, finding a Debug host, reading results."""

import csv
import json
import math
import os
import shutil
import subprocess
import sys


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def debug_binary_next_to(release_binary):
    """The Debug host the suite itself would find: build/debug or the sibling build dir named with 'debug'."""
    bin_dir = os.path.dirname(os.path.abspath(release_binary))
    build_dir = os.path.dirname(bin_dir)
    root = os.path.dirname(build_dir)
    name = os.path.basename(build_dir)
    candidates = [os.path.join(root, "debug", "bin", "wasmhop")]
    if "release" in name:
        candidates.append(os.path.join(root, name.replace("release", "debug"), "bin", "wasmhop"))
    for c in candidates:
        if os.access(c, os.X_OK):
            r = subprocess.run([c, "suite", "--build-info"], capture_output=True, text=True)
            if r.returncode == 0 and json.loads(r.stdout).get("host_build") == "debug":
                return c
    return None


def own_build(wasmhop):
    r = subprocess.run([wasmhop, "suite", "--build-info"], capture_output=True, text=True)
    check(r.returncode == 0, f"{wasmhop} suite --build-info failed")
    return json.loads(r.stdout)["host_build"]


def host_args(wasmhop):
    """Suite options using this binary's own host build (never building a preset from a test: --no-build),
    plus a Debug host next to a Release binary when one exists."""
    own = own_build(wasmhop)
    if own == "release":
        dbg = debug_binary_next_to(wasmhop)
        if dbg:
            return ["--debug-binary", dbg, "--no-build"], ["release", "debug"]
        print("note: no Debug host next to this binary; the suite runs the Release host only", flush=True)
    return ["--builds", own, "--no-build"], [own]


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    return path


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def journal_state(run_dir):
    done, started = {}, {}
    path = os.path.join(run_dir, "journal.jsonl")
    if not os.path.exists(path):
        return done, started
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("event") == "step-start":
                started[ev["step"]] = ev
                done.pop(ev["step"], None)
            elif ev.get("event") == "step-done":
                done[ev["step"]] = ev
    return done, started


def finite(x):
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def run(argv, timeout=900):
    print("$ " + " ".join(argv), flush=True)
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    sys.stdout.write(r.stdout[-3000:])
    sys.stdout.write(r.stderr[-6000:])
    sys.stdout.flush()
    return r


def main_wrapper(fn):
    try:
        fn()
    except Failure as e:
        print(f"FAILED: {e}", flush=True)
        sys.exit(1)
    print("PASSED", flush=True)
