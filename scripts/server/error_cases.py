#!/usr/bin/env python3
"""Each error case of the API answers with its status and a located message, in the report's shape."""
import json
import sys
import urllib.error
import urllib.request

base = sys.argv[1]


def call(method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


cases = [
    ("unparseable JSON", "POST", "/v1/check", b'{\n  "id": "D-1",\n  "type": "decision",,\n}', "application/json", 400, "request.json:3:"),
    ("unparseable YAML", "POST", "/v1/check", b"id: [1, 2\ntype: decision\n", "application/yaml", 400, "request.yaml:"),
    ("not a record", "POST", "/v1/check", b'"hello"', "application/json", 400, "request.json:1:1"),
    ("unknown record type", "POST", "/v1/check", b'{\n  "id": "D-1",\n  "type": "decisoin"\n}', "application/json", 422, "request.json:3:11"),
    ("body over 1 MiB", "POST", "/v1/check", b"#" * (1 << 20) + b"\n", "application/yaml", 413, "request:1:1"),
    ("wrong content type", "POST", "/v1/check", b"{}", "text/plain", 415, "request:1:1"),
    ("bad lang", "POST", "/v1/check?lang=fr", b"{}", "application/json", 400, "query:1:1"),
    ("audit wrong content type", "POST", "/v1/audit", b"{}", "application/json", 415, "request:1:1"),
]
failures = 0
for name, method, path, body, content_type, status, where in cases:
    got, headers, raw = call(method, path, body, {"Content-Type": content_type})
    report = json.loads(raw)
    errors = report.get("inputErrors", [])
    locations = [f"{e.get('file')}:{e.get('line')}:{e.get('column')}" for e in errors]
    located = any(loc.startswith(where) for loc in locations)
    ok = got == status and located and all(e.get("message") for e in errors)
    failures += not ok
    print(f"  {'ok' if ok else 'FAILED'}: {name}: HTTP {got} (want {status}) at {', '.join(locations) or '—'}"
          + (f": {errors[0]['message']}" if errors else ""))
for name, method, path, status in [("unknown path", "GET", "/v2/x", 404), ("wrong method", "GET", "/v1/check", 405),
                                   ("unknown rule", "GET", "/v1/rules/NO-SUCH-RULE", 404)]:
    got, headers, raw = call(method, path)
    message = json.loads(raw).get("error", {}).get("message", "")
    ok = got == status and bool(message)
    failures += not ok
    print(f"  {'ok' if ok else 'FAILED'}: {name}: HTTP {got} (want {status}): {message}")
sys.exit(1 if failures else 0)
