#!/usr/bin/env python3
"""Produces every report format for the samples and checks each as its consumer would.

- sarif:    valid against the OASIS SARIF 2.1.0 JSON schema (../shared/data/sarif-schema-2.1.0.json
            beside the checkout; skipped with a message where it is absent), every result's rule
            listed, every result located in a file that exists.
- junit:    valid against scripts/schemas/junit.xsd (the common Jenkins/Ant JUnit model), counts
            consistent with the test cases.
- csv:      starts with a UTF-8 byte-order mark, parses, one row per finding.
- github:   every line a well-formed workflow command or the summary.
- markdown: tables with as many cells as their header.
- html:     rendered in headless Chromium through the DevTools protocol: no console error, no
            failed load, sorting and filtering work, both charts drawn; a screenshot is kept.
- CI gate:  the README's GitHub Actions step and pre-commit configurations are the files under
            docs/examples/; the workflow's check step is run and its SARIF validated; the plain
            git hook and the pre-commit framework hook are run on a scratch repository.

Run by scripts/test.sh with the venv it installs (jsonschema, lxml, websocket-client, pre-commit).
Prints `N passed, N failed` last and exits 1 when a check fails.
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = ROOT.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
JUNIT_SCHEMA = ROOT / "scripts" / "schemas" / "junit.xsd"
FORMATS = ["json", "sarif", "junit", "github", "markdown", "csv", "html"]
FILES = {"json": "policycheck.json", "sarif": "policycheck.sarif", "junit": "policycheck-junit.xml",
         "github": "policycheck-github.txt", "markdown": "policycheck.md", "csv": "policycheck.csv",
         "html": "policycheck.html"}

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok    {what}")
    else:
        failed += 1
        print(f"  FAIL  {what}")
    return condition


def run(args, cwd=ROOT, env=None, expect=None):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if expect is not None and result.returncode not in expect:
        print(f"  `{' '.join(map(str, args))}` exited {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def produce(binary, name, args, out):
    """Runs one command with every format into `out`; findings in the samples make it exit 1."""
    if out.exists():
        shutil.rmtree(out)
    command = [str(binary)] + args + sum([["--format", f] for f in FORMATS], []) + ["--output-dir", str(out)]
    result = run(command, expect={1})
    check(result.returncode == 1, f"{name}: every format written, exit 1 for the samples' findings")
    check(all((out / FILES[f]).is_file() for f in FORMATS), f"{name}: one file per format in {out.relative_to(ROOT)}")
    return json.loads((out / "policycheck.json").read_text(encoding="utf-8"))


def check_sarif(name, path, report):
    doc = json.loads(path.read_text(encoding="utf-8"))
    if SARIF_SCHEMA.is_file():
        import jsonschema
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
        for error in errors[:5]:
            print(f"    {list(error.path)}: {error.message[:300]}")
        check(not errors, f"{name}: SARIF valid against the OASIS SARIF 2.1.0 schema")
    else:
        print(f"  skip  {name}: SARIF schema not found at {SARIF_SCHEMA} (../shared/data beside the checkout); structure checked only")
    run_ = doc["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    results = run_["results"]
    check(len(results) == len(report["violations"]), f"{name}: one SARIF result per finding ({len(results)})")
    check(all(rules[r["ruleIndex"]] == r["ruleId"] for r in results), f"{name}: every result's rule listed at its ruleIndex")
    rule = run_["tool"]["driver"]["rules"][0]
    check(all(k in rule["properties"]["title"] for k in ("zh", "en")) and rule["help"]["text"] and rule["properties"]["clause"],
          f"{name}: rules carry the bilingual title, clause and the document's wording as help")
    located = all(r["locations"] and (ROOT / urllib.request.url2pathname(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])).is_file()
                  for r in results)
    check(located, f"{name}: every result, aggregate ones too, located in an input file that exists")


def check_junit(name, path, report):
    from lxml import etree
    schema = etree.XMLSchema(etree.parse(str(JUNIT_SCHEMA)))
    doc = etree.parse(str(path))
    valid = schema.validate(doc)
    for error in list(schema.error_log)[:5]:
        print(f"    line {error.line}: {error.message}")
    check(valid, f"{name}: JUnit XML valid against {JUNIT_SCHEMA.relative_to(ROOT)}")
    root = doc.getroot()
    suites = root.findall("testsuite")
    cases = root.findall("testsuite/testcase")
    consistent = all(int(s.get("tests")) == len(s.findall("testcase"))
                     and int(s.get("failures")) == len(s.findall("testcase[failure]")) for s in suites)
    consistent = consistent and int(root.get("tests")) == len(cases)
    check(consistent, f"{name}: JUnit counts agree with the test cases ({len(suites)} suites, {len(cases)} cases)")
    files = {v["record"]["source"]["file"] if v["record"] else (v.get("source") or {}).get("file") for v in report["violations"]}
    check({s.get("name") for s in suites} >= {f for f in files if f}, f"{name}: one test suite per input file with findings")


def check_csv(name, path, report):
    raw = path.read_bytes()
    check(raw.startswith(b"\xef\xbb\xbf"), f"{name}: CSV starts with the UTF-8 byte-order mark")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    check(len(rows) == len(report["violations"]) + 1 and len({len(r) for r in rows}) == 1,
          f"{name}: CSV parses, a header and one row per finding ({len(rows) - 1}), every row as wide as the header")


def check_github(name, path):
    command = re.compile(r"^::(error|warning|notice) (file=[^,:]+,)?(line=\d+,)?(col=\d+,)?title=[^,:]*::.+$")
    lines = path.read_text(encoding="utf-8").splitlines()
    commands = [l for l in lines if l.startswith("::")]
    bad = [l for l in commands if not command.match(l)]
    for line in bad[:3]:
        print(f"    {line[:200]}")
    check(commands and not bad, f"{name}: {len(commands)} well-formed workflow commands")
    check(not lines[-1].startswith("::") and "policycheck" in lines[-1], f"{name}: the summary is the last line")


def check_markdown(name, path):
    text = path.read_text(encoding="utf-8")
    ok = text.startswith("## policycheck")
    widths = []
    for block in re.split(r"\n\n+", text):
        rows = [l for l in block.splitlines() if l.startswith("|")]
        if rows:
            widths.append(len({len(re.findall(r"(?<!\\)\|", r)) for r in rows}) == 1)
    check(ok and widths and all(widths), f"{name}: Markdown summary with {len(widths)} well-formed tables")


class DevTools:
    """A page of headless Chromium driven through the DevTools protocol."""

    def __init__(self, chromium, profile):
        import websocket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--remote-allow-origins=*",
             f"--remote-debugging-address=127.0.0.1", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
             "--window-size=1280,2000", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        targets = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as response:
                    targets = [t for t in json.load(response) if t.get("type") == "page"]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        if not targets:
            self.close()
            raise RuntimeError("Chromium's DevTools endpoint did not come up")
        self.socket = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def send(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.socket.settimeout(max(0.1, deadline - time.time()))
            self.events.append(json.loads(self.socket.recv()))
        raise RuntimeError(f"no {method} within {timeout} s")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        try:
            self.socket.close()
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def check_html(name, path, report, chromium, artifacts, expect_spending):
    profile = tempfile.mkdtemp(prefix="policycheck-chromium-")
    browser = None
    try:
        browser = DevTools(chromium, profile)
        browser.send("Page.enable")
        browser.send("Runtime.enable")
        browser.send("Log.enable")
        browser.send("Network.enable")
        browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=2000, deviceScaleFactor=1, mobile=False)
        browser.send("Page.navigate", url=path.resolve().as_uri())
        browser.wait_for("Page.loadEventFired")
        time.sleep(0.3)
        problems = []
        for event in browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                problems.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                problems.append("console.error: " + " ".join(str(a.get("value", "")) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                problems.append("log: " + params["entry"].get("text", ""))
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file:", "data:")):
                    problems.append("fetched " + url)
        for problem in problems[:5]:
            print(f"    {problem}")
        check(not problems, f"{name}: the HTML renders offline without console errors or outside requests")
        rows = browser.evaluate("document.querySelectorAll('#findings-table tbody tr').length")
        check(rows == len(report["violations"]), f"{name}: the findings table has one row per finding ({rows})")
        charts = browser.evaluate("[...document.querySelectorAll('#by-clause svg rect, #spending svg rect')].map(r => r.closest('section').id)")
        check("by-clause" in charts, f"{name}: the findings-per-clause chart is drawn")
        if expect_spending:
            check("spending" in charts, f"{name}: the “三公” spending chart is drawn")
        sorted_ok = browser.evaluate("""(() => {
            const heading = document.querySelector('#findings-table thead th:nth-child(2)');
            heading.click();
            const ids = [...document.querySelectorAll('#findings-table tbody tr td:nth-child(2) code')].map(c => c.textContent);
            const ascending = ids.every((id, i) => i === 0 || ids[i - 1].localeCompare(id, document.documentElement.lang) <= 0);
            heading.click();
            const again = [...document.querySelectorAll('#findings-table tbody tr td:nth-child(2) code')].map(c => c.textContent);
            return ascending && again[0] === ids[ids.length - 1];
        })()""")
        check(sorted_ok, f"{name}: clicking a column heading sorts the table, a second click reverses it")
        rule = report["violations"][0]["rule"]
        expected = sum(1 for v in report["violations"] if rule in (v["rule"], v["message"]) or rule in json.dumps(v, ensure_ascii=False))
        filtered = browser.evaluate(f"""(() => {{
            const input = document.getElementById('filter-text');
            input.value = {json.dumps(rule)};
            input.dispatchEvent(new Event('input'));
            const shown = [...document.querySelectorAll('#findings-table tbody tr')].filter(r => !r.hidden).length;
            const counter = Number(document.getElementById('filter-count').textContent);
            input.value = '';
            input.dispatchEvent(new Event('input'));
            return [shown, counter];
        }})()""")
        check(filtered[0] == filtered[1] and 1 <= filtered[0] <= expected,
              f"{name}: filtering by `{rule}` shows its rows and counts them ({filtered[0]})")
        shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        import base64
        target = artifacts / f"{name}.png"
        target.write_bytes(base64.b64decode(shot["data"]))
        check(target.stat().st_size > 10_000, f"{name}: screenshot kept at {target.relative_to(ROOT)}")
    except Exception as error:  # noqa: BLE001 — reported as a failed check, not a crash
        check(False, f"{name}: HTML rendered in headless Chromium ({error})")
    finally:
        if browser:
            browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def readme_embeds(path):
    return path.read_text(encoding="utf-8").strip() in (ROOT / "README.md").read_text(encoding="utf-8")


def check_workflow(binary, artifacts):
    import yaml
    example = ROOT / "docs" / "examples" / "github-workflow.yml"
    check(readme_embeds(example), "workflow: the README shows docs/examples/github-workflow.yml as it is tested")
    workflow = yaml.safe_load(example.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["records"]["steps"]
    upload = next((s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")), None)
    check(upload is not None and workflow["permissions"].get("security-events") == "write" and "cancelled" in upload.get("if", ""),
          "workflow: uploads SARIF to code scanning, with security-events: write, even when the check fails")
    step = next(s for s in steps if "policycheck check" in s.get("run", ""))
    work = Path(tempfile.mkdtemp(prefix="policycheck-workflow-"))
    try:
        (work / "records").mkdir()
        for sample in sorted((ROOT / "samples" / "decisions").glob("*.yaml")):
            shutil.copy(sample, work / "records" / sample.name)
        bin_dir = work / "bin"
        bin_dir.mkdir()
        (bin_dir / "policycheck").symlink_to(binary)
        env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", GITHUB_STEP_SUMMARY=str(work / "summary.md"))
        result = run(["bash", "-e", "-c", step["run"]], cwd=work, env=env)
        check(result.returncode == 1 and result.stdout.startswith("::"),
              "workflow: the check step fails on the bad sample records and prints annotations")
        sarif = work / upload["with"]["sarif_file"]
        check(sarif.is_file() and (work / "summary.md").read_text(encoding="utf-8").startswith("## policycheck"),
              "workflow: the step writes the SARIF file the upload step names, and the job summary")
        if sarif.is_file():
            if SARIF_SCHEMA.is_file():
                import jsonschema
                schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
                check(jsonschema.Draft4Validator(schema).is_valid(json.loads(sarif.read_text(encoding="utf-8"))),
                      "workflow: its SARIF is valid against the SARIF 2.1.0 schema")
            shutil.copy(sarif, artifacts / "workflow.sarif")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def git(repo, *args, env=None):
    return run(["git", "-c", "user.name=policycheck", "-c", "user.email=ci@example.invalid", "-c", "commit.gpgsign=false", *args],
               cwd=repo, env=env)


def scratch_repository(binary):
    repo = Path(tempfile.mkdtemp(prefix="policycheck-hook-"))
    git(repo, "init", "-q")
    (repo / "records").mkdir()
    bin_dir = repo.parent / (repo.name + "-bin")
    bin_dir.mkdir()
    (bin_dir / "policycheck").symlink_to(binary)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return repo, bin_dir, env


def check_git_hook(binary):
    hook = ROOT / "scripts" / "pre-commit"
    check(readme_embeds(hook), "git hook: the README shows scripts/pre-commit as it is tested")
    repo, bin_dir, env = scratch_repository(binary)
    try:
        shutil.copy(hook, repo / ".git" / "hooks" / "pre-commit")
        os.chmod(repo / ".git" / "hooks" / "pre-commit", 0o755)
        shutil.copy(ROOT / "samples/decisions/ok-01-guotu-kongjian-guihua.yaml", repo / "records" / "ok.yaml")
        git(repo, "add", "records/ok.yaml")
        good = git(repo, "commit", "-q", "-m", "a compliant record", env=env)
        check(good.returncode == 0, "git hook: a commit of a compliant record goes through")
        shutil.copy(ROOT / "samples/decisions/bad-02-legality-review-late.yaml", repo / "records" / "bad.yaml")
        git(repo, "add", "records/bad.yaml")
        bad = git(repo, "commit", "-q", "-m", "a record that breaks a rule", env=env)
        check(bad.returncode != 0 and "SX-09-LEGALITY-REVIEW" in bad.stdout + bad.stderr and "records/bad.yaml:2:1:" in bad.stdout + bad.stderr,
              "git hook: a commit of a record that breaks a rule is stopped, with the finding at its file and line")
        # The staged version is checked, not the working tree's.
        shutil.copy(ROOT / "samples/decisions/ok-02-gongjiao-piaojia-tingzheng.yaml", repo / "records" / "bad.yaml")
        staged = git(repo, "commit", "-q", "-m", "still the bad staged version", env=env)
        check(staged.returncode != 0, "git hook: it checks the staged version, not the working tree")
    finally:
        shutil.rmtree(repo, ignore_errors=True)
        shutil.rmtree(bin_dir, ignore_errors=True)


def check_pre_commit_framework(binary, tools):
    config = ROOT / "docs" / "examples" / "pre-commit-config.yaml"
    check(readme_embeds(config), "pre-commit: the README shows docs/examples/pre-commit-config.yaml as it is tested")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    manifest = run([str(pre_commit), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")])
    check(manifest.returncode == 0, "pre-commit: .pre-commit-hooks.yaml is a valid hook manifest")
    repo, bin_dir, env = scratch_repository(binary)
    env["PRE_COMMIT_HOME"] = str(tools / "pre-commit-home")
    try:
        shutil.copy(config, repo / ".pre-commit-config.yaml")
        check(run([str(pre_commit), "validate-config", ".pre-commit-config.yaml"], cwd=repo, env=env).returncode == 0,
              "pre-commit: the configuration is valid")
        git(repo, "add", ".pre-commit-config.yaml")
        install = run([str(pre_commit), "install"], cwd=repo, env=env)
        check(install.returncode == 0, "pre-commit: `pre-commit install` sets the hook up")
        shutil.copy(ROOT / "samples/decisions/ok-01-guotu-kongjian-guihua.yaml", repo / "records" / "ok.yaml")
        git(repo, "add", "records/ok.yaml")
        good = git(repo, "commit", "-q", "-m", "a compliant record", env=env)
        check(good.returncode == 0, "pre-commit: a commit of a compliant record goes through")
        shutil.copy(ROOT / "samples/decisions/bad-05-comment-period.yaml", repo / "records" / "bad.yaml")
        git(repo, "add", "records/bad.yaml")
        bad = git(repo, "commit", "-q", "-m", "a record that breaks a rule", env=env)
        check(bad.returncode != 0 and "SX-09-COMMENT-PERIOD" in bad.stdout + bad.stderr,
              "pre-commit: a commit of a record that breaks a rule is stopped by the hook")
    finally:
        shutil.rmtree(repo, ignore_errors=True)
        shutil.rmtree(bin_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "debug" / "policycheck"))
    parser.add_argument("--tools", default=str(ROOT / ".build-tools"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    args = parser.parse_args()
    binary = Path(args.binary).resolve()
    tools = Path(args.tools).resolve()
    artifacts = tools / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    started = time.time()

    print("reports for samples/decisions (check)")
    decisions = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples" / "decisions").iterdir() if p.is_file())
    check_out = artifacts / "check"
    check_report = produce(binary, "check", ["check"] + decisions, check_out)
    print("reports for the spending batch and activity logs, 2023..2024 (audit)")
    activities = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples" / "activities").glob("*.yaml"))
    audit_out = artifacts / "audit"
    audit_report = produce(binary, "audit", ["audit", "--period", "2023..2024", "samples/spending/expenses-2022-2024.csv"] + activities, audit_out)

    for name, out, report in (("check", check_out, check_report), ("audit", audit_out, audit_report)):
        print(f"validating the {name} reports")
        check_sarif(name, out / FILES["sarif"], report)
        check_junit(name, out / FILES["junit"], report)
        check_csv(name, out / FILES["csv"], report)
        check_github(name, out / FILES["github"])
        check_markdown(name, out / FILES["markdown"])

    print("the HTML reports in headless Chromium")
    if shutil.which(args.chromium) or Path(args.chromium).is_file():
        check_html("audit-zh", audit_out / FILES["html"], audit_report, args.chromium, artifacts, expect_spending=True)
        english = artifacts / "check-en.html"
        run([str(binary), "check", "--lang", "en", "--format", "html", "-o", str(english)] + decisions, expect={1})
        check_html("check-en", english, check_report, args.chromium, artifacts, expect_spending=False)
    else:
        check(False, f"chromium not found (`{args.chromium}`): scripts/test.sh installs it")

    print("CI gate: the GitHub Actions workflow and the pre-commit hooks")
    check_workflow(binary, artifacts)
    check_git_hook(binary)
    check_pre_commit_framework(binary, tools)

    print(f"report checks took {time.time() - started:.1f} s; artifacts in {artifacts.relative_to(ROOT)}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
