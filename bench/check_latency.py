#!/usr/bin/env python3
"""Whole-process latency of `policycheck check` on one decision record, release build.

Prints, for each command, the median / min / max wall time and the peak RSS over N runs
(after one warm-up), and ratios against two peers run side by side in the same loop:
  - `policycheck --version`: process start-up alone (no pack loaded);
  - `policycheck rules list`: start-up + loading and compiling the bundled pack;
  - `python3 + PyYAML` parsing the same pack files (parse only, no checking): a familiar floor.
The time to load and compile the pack is `rules list` minus `--version`.

Usage: bench/check_latency.py [--runs N] [--binary PATH]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/policycheck"))
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib"], cwd=ROOT, check=True)

    pyyaml_peer = (
        "import yaml, glob, os\n"
        "for f in sorted(glob.glob('rules/shaoxing-2022-6/**/*.yaml', recursive=True)):\n"
        "    yaml.safe_load(open(f, encoding='utf-8'))\n"
    )
    commands = {
        "check one record": [args.binary, "check", "samples/decisions/ok-01-guotu-kongjian-guihua.yaml"],
        "check 19 records": [args.binary, "check"] + sorted(
            os.path.join("samples/decisions", f) for f in os.listdir(os.path.join(ROOT, "samples/decisions"))),
        "load+compile pack (rules list)": [args.binary, "rules", "list"],
        "start-up (--version)": [args.binary, "--version"],
        "peer: python3+PyYAML parse pack": [sys.executable, "-c", pyyaml_peer],
    }
    results = {name: [] for name in commands}
    for name, argv in commands.items():  # warm-up
        run_once(argv)
    for _ in range(args.runs):  # interleaved, so drift hits every command alike
        for name, argv in commands.items():
            results[name].append(run_once(argv))

    print(f"{'command':34} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'peak RSS MiB':>13}  exit")
    medians = {}
    for name, samples in results.items():
        times = [s[0] * 1000 for s in samples]
        medians[name] = statistics.median(times)
        rss = max(s[1] for s in samples)
        exits = sorted({s[2] for s in samples})
        print(f"{name:34} {medians[name]:10.1f} {min(times):8.1f} {max(times):8.1f} {rss:13.1f}  {exits}")
    compile_ms = medians["load+compile pack (rules list)"] - medians["start-up (--version)"]
    print()
    print(f"load and compile the pack (rules list − start-up): {compile_ms:.1f} ms")
    print(f"ratio check-one-record / python3+PyYAML parse-only: "
          f"{medians['check one record'] / medians['peer: python3+PyYAML parse pack']:.2f}")
    print(f"ratio check-one-record / start-up: {medians['check one record'] / medians['start-up (--version)']:.2f}")


if __name__ == "__main__":
    main()
