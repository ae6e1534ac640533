#!/usr/bin/env python3
"""Checks every samples/decisions file through POST /v1/check and through `policycheck check --format json`;
the violations and summaries must be equal (the file name aside: the API reports `request.yaml` / `request.json`)."""
import json
import pathlib
import subprocess
import sys
import urllib.error
import urllib.request

base, binary = sys.argv[1], sys.argv[2]
root = pathlib.Path(__file__).resolve().parents[2]


def post(path, body, content_type):
    request = urllib.request.Request(base + path, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def comparable(report):
    violations = []
    for finding in report["violations"]:
        finding = dict(finding)
        if finding.get("record"):
            finding["record"] = dict(finding["record"], source=dict(finding["record"]["source"], file=None))
        violations.append(finding)
    return violations, report["summary"]


failures = 0
samples = sorted(p for p in (root / "samples/decisions").iterdir() if p.suffix in (".yaml", ".json"))
for sample in samples:
    for lang in ("zh", "en"):
        cli = subprocess.run([binary, "check", "--format", "json", "--lang", lang, str(sample.relative_to(root))],
                             cwd=root, capture_output=True, text=True)
        expected = json.loads(cli.stdout)
        content_type = "application/json" if sample.suffix == ".json" else "application/yaml"
        status, actual = post(f"/v1/check?lang={lang}", sample.read_bytes(), content_type)
        same = status == 200 and comparable(actual) == comparable(expected)
        if not same:
            failures += 1
            print(f"  differs: {sample.name} ({lang}): HTTP {status}")
        elif lang == "zh":
            rules = sorted({f["rule"] for f in actual["violations"]})
            print(f"  {sample.name}: {len(actual['violations'])} finding(s) {' '.join(rules)}")
print(f"compared {len(samples)} samples in 2 languages: {len(samples) * 2 - failures} equal, {failures} different")
sys.exit(1 if failures else 0)
