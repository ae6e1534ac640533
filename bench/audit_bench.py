#!/usr/bin/env python3
"""Batch audit of an expense export: policycheck against DuckDB running the same checks in SQL.

    python3 bench/audit_bench.py [--binary PATH] [--pack DIR] [--sizes 100k,1m] [--runs 3] [--jobs N]

Setup, done once and skipped when already there:
  - bench/.venv, a virtual environment with duckdb installed from PyPI;
  - bench/out/expenses-100k.csv and expenses-1m.csv, written by bench/gen_expenses.py
    (bench/out/ is git-ignored).

What is measured, for each size, as whole processes (start-up, reading and parsing the
CSV, checking, writing the findings), run side by side and interleaved — N runs of each,
alternating which goes first, the file read once beforehand so both find it in the page
cache:
  (a) `policycheck audit FILE --type expense --period 2022..2024 --format json -o …` with the
      pack's rules as shipped: every enabled rule, which is more than the SQL covers (the
      report says how many);
  (b) DuckDB in a Python subprocess: bench/duckdb_checks.sql reads the same CSV with
      read_csv_auto and writes the findings of the rules it covers to two CSV files.
Wall time is the median of the runs (min–max shown); peak RSS is the largest of the runs, as
GNU time (/usr/bin/time, Debian's `time`) reports it for the command alone; without it, os.wait4's
ru_maxrss, which also counts the pages the child shared with this script before exec. Both
tools use all cores unless --jobs is given.

Then the check: for every rule the SQL covers (the rule ids it selects), the set of
(rule, record id) and of (rule, unit, year) found by each tool must be the same. Counts
per rule are printed side by side with any difference (its first 10 keys); the exit
status is 1 on a mismatch, 2 if a tool failed. Findings policycheck marks "not evaluated"
are not violations and are not compared (the SQL leaves those rows out as NULL).
Finally: whether policycheck's peak RSS stays flat from the smallest size to the largest.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(BENCH, "out")
VENV = os.path.join(BENCH, ".venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
SQL = os.path.join(BENCH, "duckdb_checks.sql")
SIZES = {"100k": 100_000, "1m": 1_000_000}
PERIOD = (2022, 2024)
BUNDLED_PACK = os.path.join(ROOT, "rules", "shaoxing-2022-6")

# Run by the venv's Python: the SQL file, then its two views written out as CSV.
DUCKDB_RUN = """
import sys, duckdb
csv_path, sql_path, first, last, records_out, groups_out, threads = sys.argv[1:]
quote = lambda text: "'" + text.replace("'", "''") + "'"
con = duckdb.connect()
if int(threads):
    con.execute(f"SET threads = {int(threads)}")
con.execute(f"SET VARIABLE expense_csv = {quote(csv_path)}")
con.execute(f"SET VARIABLE period_start = {int(first)}")
con.execute(f"SET VARIABLE period_end = {int(last)}")
con.execute(open(sql_path, encoding="utf-8").read())
con.execute(f"COPY (SELECT * FROM record_findings) TO {quote(records_out)} (HEADER)")
con.execute(f"COPY (SELECT * FROM group_findings) TO {quote(groups_out)} (HEADER)")
"""


def ensure_duckdb():
    """bench/.venv with duckdb, created and installed from PyPI if missing."""
    if not os.path.exists(VENV_PYTHON):
        print("creating bench/.venv …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if subprocess.run([VENV_PYTHON, "-c", "import duckdb"], capture_output=True).returncode != 0:
        print("installing duckdb into bench/.venv …", flush=True)
        subprocess.run([VENV_PYTHON, "-m", "pip", "install", "--quiet", "duckdb"], check=True)
    return subprocess.run([VENV_PYTHON, "-c", "import duckdb; print(duckdb.__version__)"],
                          capture_output=True, text=True, check=True).stdout.strip()


def ensure_csv(label, rows):
    path = os.path.join(OUT, f"expenses-{label}.csv")
    if not os.path.exists(path):
        print(f"generating {os.path.relpath(path, ROOT)} ({rows} rows) …", flush=True)
        subprocess.run([sys.executable, os.path.join(BENCH, "gen_expenses.py"), "--rows", str(rows), "--out", path],
                       check=True)
    return path


def warm(path):
    """Read the file once, so that every timed run finds it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# A child's ru_maxrss counts the pages it shared with this process before exec, and this process holds
# the reports it has read by then: GNU time, itself a small process, forks the command and reports the
# command's own peak. Without it the figure is an upper bound.
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(argv):
    """(wall seconds, peak RSS MiB) of one whole process; raises on an unexpected exit status."""
    with tempfile.TemporaryFile() as stderr, tempfile.NamedTemporaryFile("r") as peak:
        wrapped = [GNU_TIME, "-f", "%M", "-o", peak.name] + argv if GNU_TIME else argv
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # policycheck exits 1 when it finds errors
            stderr.seek(0)
            raise RuntimeError(f"{argv[0]} exited {code}:\n{stderr.read().decode(errors='replace')[-3000:]}")
        # GNU time's last line is the figure; a note such as "Command exited with non-zero status 1" may precede it.
        kib = int(peak.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return elapsed, kib / 1024.0


def covered_rules():
    """The rule ids bench/duckdb_checks.sql selects."""
    with open(SQL, encoding="utf-8") as f:
        return sorted(set(re.findall(r"SELECT '(SX-[A-Z0-9-]+)'", f.read())))


def pack_rules(pack):
    """(enabled rules, enabled rules on expense records) of a pack folder, read from the rule files."""
    enabled = expense = 0
    for folder, _, files in os.walk(os.path.join(pack, "rules")):
        for name in files:
            if not name.endswith(".yaml"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            if re.search(r"^enabled:\s*false\b", text, re.M):
                continue
            enabled += 1
            expense += bool(re.search(r"^applies_to:\s*expense\b", text, re.M))
    return enabled, expense


def policycheck_findings(report_path, rules):
    """The violations of `rules` in a policycheck JSON report: {(rule, id)} and {(rule, unit, year)}."""
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    records, groups = set(), set()
    for finding in report["violations"]:
        if finding["kind"] != "violation" or finding["rule"] not in rules:
            continue
        if finding["record"]:
            records.add((finding["rule"], finding["record"]["id"]))
        else:
            group = finding["group"]
            groups.add((finding["rule"], group["unit"], int(group["year"])))
    return records, groups


def duckdb_findings(records_path, groups_path):
    with open(records_path, encoding="utf-8") as f:
        records = {(row["rule"], row["id"]) for row in csv.DictReader(f)}
    with open(groups_path, encoding="utf-8") as f:
        groups = {(row["rule"], row["unit"], int(row["year"])) for row in csv.DictReader(f)}
    return records, groups


def compare(label, rules, ours, theirs):
    """Print counts per rule side by side and any difference; True when the sets agree."""
    ours_all, theirs_all = ours[0] | ours[1], theirs[0] | theirs[1]
    ours_count = collections.Counter(key[0] for key in ours_all)
    theirs_count = collections.Counter(key[0] for key in theirs_all)
    print(f"\nfindings per rule, {label} ({'=' if ours_all == theirs_all else '≠'}):")
    print(f"  {'rule':<36} {'policycheck':>11} {'DuckDB':>8}")
    agree = True
    for rule in rules:
        mark = "" if ours_count[rule] == theirs_count[rule] else "   ← counts differ"
        print(f"  {rule:<36} {ours_count[rule]:>11} {theirs_count[rule]:>8}{mark}")
        only_ours = sorted(key[1:] for key in ours_all - theirs_all if key[0] == rule)
        only_theirs = sorted(key[1:] for key in theirs_all - ours_all if key[0] == rule)
        for side, keys in (("only policycheck", only_ours), ("only DuckDB", only_theirs)):
            if keys:
                agree = False
                shown = ", ".join("/".join(str(part) for part in key) for key in keys[:10])
                print(f"      {side} ({len(keys)}): {shown}{' …' if len(keys) > 10 else ''}")
    return agree


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.environ.get("POLICYCHECK", os.path.join(ROOT, ".build/release/policycheck")),
                        help="the policycheck binary (default: $POLICYCHECK, else .build/release/policycheck)")
    parser.add_argument("--pack", help="the rule pack folder (default: the bundled pack)")
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="threads for both tools (default: all cores)")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        parser.error(f"no policycheck binary at {args.binary}: build one (swift build -c release) or pass --binary")
    sizes = [label.strip() for label in args.sizes.split(",")]
    if any(label not in SIZES for label in sizes):
        parser.error(f"--sizes: choose among {', '.join(SIZES)}")

    duckdb_version = ensure_duckdb()
    files = {label: ensure_csv(label, SIZES[label]) for label in sizes}
    rules = covered_rules()
    pack = args.pack or BUNDLED_PACK
    enabled, on_expense = pack_rules(pack)
    version = subprocess.run([args.binary, "--version"], capture_output=True, text=True).stdout.strip()
    binary_stamp = os.stat(args.binary).st_mtime_ns
    print(f"policycheck {version} ({args.binary}), DuckDB {duckdb_version}, {os.cpu_count()} cores, "
          f"threads: {args.jobs or 'all'}, {args.runs} interleaved runs each")
    print(f"note: policycheck runs every enabled rule of the pack — {enabled} rules, {on_expense} of them on "
          f"expense records — while the SQL checks {len(rules)} of them.")

    results, agree = {}, True
    for label in sizes:
        path = files[label]
        report = os.path.join(OUT, f"policycheck-{label}.json")
        records_out = os.path.join(OUT, f"duckdb-{label}-records.csv")
        groups_out = os.path.join(OUT, f"duckdb-{label}-groups.csv")
        commands = {
            "policycheck": [args.binary, "audit", path, "--type", "expense", "--period", f"{PERIOD[0]}..{PERIOD[1]}",
                            "--format", "json", "--no-progress", "-o", report]
                           + (["--pack", args.pack] if args.pack else [])
                           + (["--jobs", str(args.jobs)] if args.jobs else []),
            "DuckDB": [VENV_PYTHON, "-c", DUCKDB_RUN, path, SQL, str(PERIOD[0]), str(PERIOD[1]), records_out, groups_out,
                       str(args.jobs)],
        }
        warm(path)
        samples = {tool: [] for tool in commands}
        for i in range(args.runs):
            order = list(commands) if i % 2 == 0 else list(reversed(commands))
            for tool in order:
                try:
                    samples[tool].append(run(commands[tool]))
                except RuntimeError as error:
                    print(f"{tool} failed on {label}: {error}", file=sys.stderr)
                    return 2
                print(f"  {label} run {i + 1}: {tool} {samples[tool][-1][0]:.2f} s", flush=True)
        results[label] = {tool: (statistics.median(w for w, _ in runs), min(w for w, _ in runs),
                                 max(w for w, _ in runs), max(m for _, m in runs)) for tool, runs in samples.items()}
        agree &= compare(label, rules, policycheck_findings(report, set(rules)), duckdb_findings(records_out, groups_out))

    print(f"\n{'size':<6} {'tool':<12} {'wall s (median)':>16} {'min–max':>14} {'rows/s':>11} {'peak RSS MiB':>13}"
          f" {'policycheck/DuckDB':>19}")
    for label in sizes:
        pc, db = results[label]["policycheck"], results[label]["DuckDB"]
        for tool, (wall, low, high, rss) in results[label].items():
            ratio = f"wall {pc[0] / db[0]:.1f}×, RSS {pc[3] / db[3]:.1f}×" if tool == "policycheck" else ""
            print(f"{label:<6} {tool:<12} {wall:>16.2f} {f'{low:.2f}–{high:.2f}':>14} {SIZES[label] / wall:>11,.0f}"
                  f" {rss:>13.0f} {ratio:>19}")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        before, after = results[small]["policycheck"][3], results[large]["policycheck"][3]
        growth = after / before
        verdict = "flat" if growth <= 1.25 else "not flat"
        print(f"\npolicycheck peak RSS {small} → {large}: {before:.0f} → {after:.0f} MiB ({growth:.2f}×): {verdict}"
              f" (flat = within 25 % for {SIZES[large] // SIZES[small]}× the rows)")
    if os.stat(args.binary).st_mtime_ns != binary_stamp:
        print(f"\nwarning: {args.binary} was replaced during the runs; the timings mix two builds")
    print("\nfindings: " + ("the same for every rule the SQL covers" if agree else "MISMATCH (see above)"))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
