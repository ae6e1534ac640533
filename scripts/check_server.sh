#!/usr/bin/env bash
# Checks `policycheck serve` from outside, as its clients do: starts the server built by `swift build`
# on a free loopback port, validates /openapi.yaml, runs schemathesis against it, drives the clerk's
# page in headless Chromium, compares /v1/check with `policycheck check --format json` on every
# sample decision, then stops the server with SIGTERM and checks it exited 0.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${POLICYCHECK_BIN:-$ROOT/.build/debug/policycheck}
TOOLS=$ROOT/.build-tools
VENV=$TOOLS/venv-server
ARTIFACTS=$TOOLS/artifacts
mkdir -p "$ARTIFACTS"

[ -x "$BIN" ] || { echo "check_server: $BIN is missing; run swift build first" >&2; exit 2; }

# Chromium and its driver come from Debian; install them only when missing.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
# Python 3.12 or later when there is one: hypothesis trips a CPython 3.11 bug (AST recursion depth mismatch).
PYTHON=python3
for candidate in python3.13 python3.12 /root/.pyenv/versions/3.1[2-9]*/bin/python3; do
    if "$candidate" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then PYTHON=$candidate; break; fi
done
if [ ! -x "$VENV/bin/st" ] || ! "$VENV/bin/python" -c "import selenium, openapi_spec_validator" 2>/dev/null; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis openapi-spec-validator selenium
fi

PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
LOG=$ARTIFACTS/server.log
DECISIONS=$ARTIFACTS/decisions.jsonl
rm -f "$DECISIONS"
"$BIN" serve --port "$PORT" --pack rules/shaoxing-2022-6 --decision-log "$DECISIONS" --mask-field title >"$LOG" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 100); do
    curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; echo "check_server: the server exited before it was ready" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$BASE/readyz" >/dev/null || { echo "check_server: /readyz did not answer" >&2; exit 1; }
echo "check_server: server up on $BASE"

passed=0
failed=0
step() {
    local name=$1
    shift
    if "$@"; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        failed=$((failed + 1))
    fi
}

curl -fsS "$BASE/openapi.yaml" -o "$ARTIFACTS/openapi.yaml"
step "openapi-spec-validator /openapi.yaml" "$VENV/bin/openapi-spec-validator" "$ARTIFACTS/openapi.yaml"

schemathesis() {
    # Run from the artifacts folder: hypothesis keeps its example database in the working directory.
    (cd "$ARTIFACTS" && "$VENV/bin/st" --config-file "$ROOT/scripts/server/schemathesis.toml" run "$BASE/openapi.yaml" --checks all --max-examples 30 --seed 1 --workers 2 \
        --phases examples,coverage,fuzzing --no-color --suppress-health-check all \
        --report junit --report-junit-path "$ARTIFACTS/schemathesis.xml" >"$ARTIFACTS/schemathesis.log" 2>&1)
    local status=$?
    sed -n '/SUMMARY/,$p' "$ARTIFACTS/schemathesis.log"
    return $status
}
step "schemathesis (all checks, 30 examples per operation)" schemathesis

step "API findings equal policycheck check --format json on samples/decisions" \
    "$VENV/bin/python" scripts/server/compare_cli.py "$BASE" "$BIN"

step "error cases answer with their status and a located message" \
    "$VENV/bin/python" scripts/server/error_cases.py "$BASE"

step "clerk's page in headless Chromium (screenshot in $ARTIFACTS)" \
    "$VENV/bin/python" scripts/server/browser_test.py "$BASE" "$ARTIFACTS"

step "decision log has one masked line per record checked" \
    "$VENV/bin/python" -c "
import json, sys
lines = [json.loads(l) for l in open('$DECISIONS', encoding='utf-8')]
assert lines, 'no decision lines'
assert all(l['pack']['hash'].startswith('sha256:') and l['record']['id'] for l in lines)
assert all(v == '***' for l in lines for f in l['findings'] for k, v in f['values'].items() if k == 'title')
print(len(lines), 'decision lines')"

kill -TERM "$SERVER"
status=0
wait "$SERVER" || status=$?
trap - EXIT
if [ "$status" -eq 0 ]; then
    echo "ok: SIGTERM stops the server with exit 0"
    passed=$((passed + 1))
else
    echo "FAILED: the server exited $status after SIGTERM"
    failed=$((failed + 1))
    tail -20 "$LOG"
fi

echo "server checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
