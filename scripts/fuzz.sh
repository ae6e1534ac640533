#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ and runs them: scripts/fuzz.sh [TARGET|all] [SECONDS]
#
# Targets: expression records csv xlsx pack. Each runs for SECONDS (default 60) on one job, at the
# lowest priority, from a corpus seeded with Fuzz/seeds/ and the repository's samples, rules and
# test fixtures; the corpus grows in Fuzz/corpus/ (not committed). A crash, out-of-memory or timeout
# input is kept in Fuzz/crashes/TARGET/ and the script exits 1 (slow-unit-* files there are only
# inputs that took long, often because the machine was busy). Logs go to Fuzz/logs/.
#
# Environment: FUZZ_RUNS=N stops a target after N executions; FUZZ_NO_BUILD=1 reuses the last build;
# FUZZ_SANITIZE=none builds without AddressSanitizer (faster, but unsafe-pointer bugs go unseen).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
all_targets=(expression records csv xlsx pack)
target=${1:-all}
seconds=${2:-60}
if [[ $target == all ]]; then targets=("${all_targets[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "unknown target \`$t\`; targets: ${all_targets[*]}" >&2; exit 2; }
done

scratch=.build-fuzz
sanitizers=(--sanitize=fuzzer)
[[ ${FUZZ_SANITIZE:-address} == none ]] || sanitizers+=(--sanitize="${FUZZ_SANITIZE:-address}")
if [[ ${FUZZ_NO_BUILD:-0} != 1 ]]; then
    nice -n 19 swift build --package-path Fuzz --scratch-path "$scratch" -c release "${sanitizers[@]}" 2>&1 \
        | grep -v "Cannot export local symbol '__asan_extra_spill_area'" >&2
fi
bin=$(swift build --package-path Fuzz --scratch-path "$scratch" -c release "${sanitizers[@]}" --show-bin-path)

# The largest input each target mutates: enough for a few rows or a small workbook, small enough to stay fast.
max_len() {
    case $1 in
        expression) echo 512 ;;
        records | csv | pack) echo 8192 ;;
        xlsx) echo 65536 ;;
    esac
}

# Copies the committed seeds and the repository's own inputs of the target's kind into its corpus.
seed() {
    local t=$1 corpus=Fuzz/corpus/$1
    mkdir -p "$corpus"
    [[ -d Fuzz/seeds/$t ]] && cp -f Fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null || true
    case $t in
        expression)
            # Each `expr:` of the conformance cases and each expression of the bundled rules, one per file.
            python3 - "$corpus" <<'PY'
import hashlib, pathlib, re, sys
corpus = pathlib.Path(sys.argv[1])
pattern = re.compile(r"^\s*-?\s*(expr|require|when|where|value|expect|measure):\s*(.+?)\s*$")
for path in list(pathlib.Path("Tests/PolicyCheckKitTests/Expression/Cases").glob("*.yaml")) + list(pathlib.Path("rules").rglob("*.yaml")):
    for line in path.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if not match:
            continue
        text = match.group(2)
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            text = text[1:-1]
        data = text.encode("utf-8")
        (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)
PY
            ;;
        records)
            cp -f samples/decisions/*.yaml samples/decisions/*.json samples/activities/*.yaml samples/spending/*.yaml "$corpus"/
            head -n 3 samples/spending/expenses-2022-2024.jsonl > "$corpus"/expenses.jsonl
            ;;
        csv)
            head -n 6 samples/spending/expenses-2022-2024.csv > "$corpus"/expenses.csv
            head -n 6 samples/spending/expenses-2022-2024.gb18030.csv > "$corpus"/expenses.gb18030.csv
            ;;
        xlsx)
            cp -f Tests/PolicyCheckKitTests/Input/Fixtures/*.xlsx samples/spending/*.xlsx "$corpus"/
            ;;
        pack)
            cp -f Tests/PolicyCheckKitTests/Fixtures/mini-pack/rules/c01/*.yaml "$corpus"/
            find rules -path '*/rules/*.yaml' -size -8k -exec cp -f {} "$corpus"/ \;
            ;;
    esac
}

mkdir -p Fuzz/logs
status=0
summary=()
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "Fuzz/crashes/$t"
    before=$(ls "Fuzz/crashes/$t" | grep -cv '^slow-unit-' || true)
    # libFuzzer's timeout is wall time: at the lowest priority on a busy machine a 0.3 s input can wait
    # 10 s for the processor, so a unit counts as hung only after two minutes.
    options=(-max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=120 -rss_limit_mb=4096 -detect_leaks=0
             -artifact_prefix="Fuzz/crashes/$t/" -print_final_stats=1)
    [[ -n ${FUZZ_RUNS:-} ]] && options+=(-runs="$FUZZ_RUNS")
    [[ -f Fuzz/$t.dict ]] && options+=(-dict="Fuzz/$t.dict")
    log=Fuzz/logs/$t.log
    echo "fuzz-$t: ${seconds}s, log $log" >&2
    # Swift's own backtracer would hold the crashing process for seconds; libFuzzer's handler saves the input.
    # No leak checking: Swift keeps enum tags in pointers' spare bits, so LeakSanitizer cannot follow
    # them and reports objects that globals still hold.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
        nice -n 19 "$bin/fuzz-$t" "${options[@]}" "Fuzz/corpus/$t" >"$log" 2>&1 || true
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    time_used=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    after=$(ls "Fuzz/crashes/$t" | grep -cv '^slow-unit-' || true)
    found=$((after - before))
    summary+=("$(printf '%-10s %12s executions %6ss  %d new crash input(s)' "$t" "${runs:-?}" "${time_used:-?}" "$found")")
    if ((found > 0)) || ! grep -q '^Done ' "$log"; then status=1; fi
done
printf '%s\n' "${summary[@]}"
exit $status
