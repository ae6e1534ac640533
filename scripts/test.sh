#!/usr/bin/env bash
# The test command of the README: builds, runs the Swift test suite, then the bundled pack's own examples.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
# Under CI the suite includes the tests of gigabyte inputs, which take minutes in a debug build.
if [ "${CI:-}" = "true" ]; then export POLICYCHECK_LARGE_TESTS=1; fi
swift test
.build/debug/policycheck test
scripts/check_reports.sh
scripts/check_server.sh
# Data races in the parallel audit pass the plain run unseen: CI also runs the threaded tests under
# ThreadSanitizer (its own build, about ten minutes); POLICYCHECK_SANITIZE=thread|address|all asks for
# it locally, POLICYCHECK_SANITIZE=none skips it.
sanitize=${POLICYCHECK_SANITIZE:-${CI:+thread}}
if [[ -n $sanitize && $sanitize != none ]]; then scripts/sanitize.sh "$sanitize"; fi
