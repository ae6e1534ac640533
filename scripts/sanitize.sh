#!/usr/bin/env bash
# The test suite under the sanitizers: scripts/sanitize.sh [address|thread|all]
#
# address: the whole suite under AddressSanitizer (scratch path .build-asan), the CLI tests running
#          the sanitized binary.
# thread:  the tests that run work on several threads under ThreadSanitizer (scratch path .build-tsan):
#          the parallel audit and its block pipeline, the pack loader's parallel parse, and the server;
#          SANITIZE_THREAD_FILTER replaces that selection ('.' for the whole suite).
# Each prints its wall time; any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
case $which in address | thread | all) ;; *) echo "usage: scripts/sanitize.sh [address|thread|all]" >&2; exit 2 ;; esac

# Swift keeps enum tags in pointers' spare bits, which LeakSanitizer cannot follow: it would report
# objects that are still held. halt_on_error stops at the first report so it is not lost in the log.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
thread_filter=${SANITIZE_THREAD_FILTER:-'AuditRun|BlockPipeline|PackDiagnostics|BundledPack|Server'}

run() {
    local name=$1; shift
    local started=$SECONDS
    echo "== $name" >&2
    "$@"
    echo "== $name: passed in $((SECONDS - started))s" >&2
}

if [[ $which == address || $which == all ]]; then
    POLICYCHECK_BINARY=.build-asan/debug/policycheck \
        run "AddressSanitizer, whole suite" swift test --sanitize=address --scratch-path .build-asan
fi
if [[ $which == thread || $which == all ]]; then
    run "ThreadSanitizer, $thread_filter" swift test --sanitize=thread --scratch-path .build-tsan --filter "$thread_filter"
fi
