#!/usr/bin/env bash
# Checks every report format as its consumer would (scripts/check_reports.py): SARIF against the
# OASIS schema, JUnit against scripts/schemas/junit.xsd, the CSV's byte-order mark, the HTML in
# headless Chromium, the README's GitHub Actions workflow and pre-commit hooks on a scratch repository.
# Installs what it needs first: a venv under .build-tools/ from PyPI, and Chromium with a CJK font
# from Debian's packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.build-tools
VENV=$TOOLS/venv
BIN=${POLICYCHECK_BIN:-.build/debug/policycheck}

[ -x "$BIN" ] || { echo "check_reports: $BIN is missing; run swift build first" >&2; exit 2; }

if ! command -v chromium >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    echo "check_reports: installing Chromium and a CJK font from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! "$VENV/bin/python" -c "import jsonschema, lxml, websocket, yaml" 2>/dev/null || [ ! -x "$VENV/bin/pre-commit" ]; then
    echo "check_reports: installing jsonschema, lxml, websocket-client and pre-commit into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check jsonschema lxml websocket-client pre-commit
fi
exec "$VENV/bin/python" scripts/check_reports.py --binary "$BIN" --tools "$TOOLS"
