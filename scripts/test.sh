#!/usr/bin/env bash
# The test command of the README: builds, runs the Swift test suite, then the bundled pack's own examples.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift test
.build/debug/policycheck test
scripts/check_reports.sh
scripts/check_server.sh
