#!/usr/bin/env bash
# Load test of `policycheck serve` on loopback: wrk drives POST /v1/check with one decision record and,
# as the ceiling, GET /healthz of the same server, each for 30 s on 64 connections; prints requests/s,
# p50/p99 latency and non-2xx answers for both. Not part of scripts/test.sh.
#   scripts/load_server.sh [BINARY]   (default: the release build in .build-serve)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-serve/release/policycheck}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RECORD=${RECORD:-samples/decisions/ok-05-json.json}
[ -x "$BIN" ] || { echo "load_server: $BIN is missing; run swift build -c release --scratch-path .build-serve" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --port "$PORT" --pack rules/shaoxing-2022-6 >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

# One decision record as the body; wrk's done() prints what the table needs.
python3 - "$RECORD" "$WORK/check.lua" <<'PY'
import json, sys
body = open(sys.argv[1], encoding="utf-8").read()
assert "]==]" not in body
# A long bracket drops a newline that directly follows it, so the record starts on the bracket's line.
open(sys.argv[2], "w", encoding="utf-8").write(f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
""")
PY
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non2xx, socket, summary.requests))
end
LUA
cat "$WORK/check.lua" "$WORK/report.lua" >"$WORK/check-report.lua"

run() {
    local name=$1 url=$2 script=$3
    # A short warm-up, then the measured run.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$script" "$url" >/dev/null
    local line
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url" | grep '^RESULT')
    echo "$name $line"
}
check=$(run "POST /v1/check" "http://127.0.0.1:$PORT/v1/check" "$WORK/check-report.lua")
health=$(run "GET /healthz" "http://127.0.0.1:$PORT/healthz" "$WORK/report.lua")

# The answer wrk measured is the real report: one record, no input errors.
curl -fsS -X POST -H 'Content-Type: application/json' --data-binary "@$RECORD" "http://127.0.0.1:$PORT/v1/check" \
    | python3 -c 'import json, sys; r = json.load(sys.stdin); assert r["summary"]["records"] == 1 and not r["inputErrors"], r'

python3 - "$check" "$health" "$DURATION" "$CONNECTIONS" "$RECORD" <<'PY'
import sys
rows = []
for line in sys.argv[1:3]:
    name, rest = line.split(" RESULT ")
    rps, p50, p99, non2xx, socket, total = rest.split()
    rows.append((name, float(rps), float(p50), float(p99), int(non2xx), int(socket), int(total)))
print(f"wrk on loopback, {sys.argv[3]}, {sys.argv[4]} connections; /v1/check body: {sys.argv[5]}")
print(f"{'endpoint':<16} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'socket errors':>14} {'requests':>9}")
for name, rps, p50, p99, non2xx, socket, total in rows:
    print(f"{name:<16} {rps:>11.0f} {p50:>8.2f} {p99:>8.2f} {non2xx:>8} {socket:>14} {total:>9}")
ratio = rows[0][1] / rows[1][1]
print(f"/v1/check at {ratio:.2f} of the trivial endpoint's requests/s")
PY
kill -TERM "$SERVER"
wait "$SERVER" && echo "server stopped cleanly on SIGTERM"
trap 'rm -rf "$WORK"' EXIT
