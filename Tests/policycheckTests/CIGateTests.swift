import Foundation
import Testing

/// The CI gate end to end: every report format for the samples, waivers, baselines, the
/// configuration's gate keys and `policycheck init`, through the built binary.
///
/// The binary is `CLI.binary`: `.build/debug/policycheck`, or `$POLICYCHECK_BINARY` when set.
enum GateCLI {
    static let binary = CLI.binary

    static func run(_ arguments: [String], in directory: String = CLI.root) throws -> CommandResult {
        try CLI.run(arguments, in: directory)
    }

    /// A scratch folder holding copies of sample decision files, removed by the caller.
    static func workspace(_ samples: [String]) throws -> String {
        let directory = NSTemporaryDirectory() + "policycheck-ws-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/records", withIntermediateDirectories: true)
        for sample in samples {
            try FileManager.default.copyItem(atPath: CLI.root + "/samples/decisions/" + sample,
                                            toPath: directory + "/records/" + sample)
        }
        return directory
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func json(_ text: String) throws -> [String: Any] { try CLI.json(text) }

    /// Today plus `days`, as a waiver writes it.
    static func date(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    static func waiver(expires: String) -> String {
        """
        schema_version: 1
        waivers:
          - rule: SX-09-LEGALITY-REVIEW
            record: D-2023-031
            reason: 书面审查意见次日出具，经复核无实质影响
            approver: 市司法局
            document: 绍司函〔2023〕88号
            expires: \(expires)
        """
    }
}

@Suite("policycheck as a CI gate", .enabled(if: FileManager.default.fileExists(atPath: GateCLI.binary)))
struct CIGateTests {
    @Test("every format is produced for the samples, one file each with --output-dir")
    func everyFormat() throws {
        let out = NSTemporaryDirectory() + "policycheck-formats-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let formats = ["json", "sarif", "junit", "github", "markdown", "csv", "html", "text"]
        let result = try GateCLI.run(["check"] + (try CLI.samples("")) + formats.flatMap { ["--format", $0] } + ["--output-dir", out])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["policycheck-github.txt", "policycheck-junit.xml", "policycheck.csv", "policycheck.html",
                          "policycheck.json", "policycheck.md", "policycheck.sarif", "policycheck.txt"])
        let sarif = try GateCLI.json(try String(contentsOfFile: out + "/policycheck.sarif", encoding: .utf8))
        #expect(sarif["version"] as? String == "2.1.0")
        let csv = try Data(contentsOf: URL(fileURLWithPath: out + "/policycheck.csv"))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let junit = try String(contentsOfFile: out + "/policycheck-junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuites name=\"policycheck 绍政发〔2022〕6号\" tests=\"19\" failures=\"6\""))
        let github = try String(contentsOfFile: out + "/policycheck-github.txt", encoding: .utf8)
        #expect(github.hasPrefix("::error file=samples/decisions/bad-01-executive-meeting.yaml,line=2,col=1,title=SX-09-EXECUTIVE-MEETING"))
    }

    @Test("-o pairs with --format in order, `-` is standard output, and a mismatch is a usage error")
    func outputPairs() throws {
        let directory = NSTemporaryDirectory() + "policycheck-pairs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sample = CLI.root + "/samples/decisions/bad-02-legality-review-late.yaml"
        let both = try GateCLI.run(["check", sample, "--format", "github", "-o", "-", "--format", "sarif", "-o", "r.sarif"], in: directory)
        #expect(both.status == 1)
        #expect(both.stdout.hasPrefix("::error file="))
        #expect(FileManager.default.fileExists(atPath: directory + "/r.sarif"))
        let mismatch = try GateCLI.run(["check", sample, "--format", "github", "--format", "sarif", "-o", "r.sarif"], in: directory)
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("2 formats need -o FILE once per format"))
        let unknown = try GateCLI.run(["check", sample, "--format", "pdf"], in: directory)
        #expect(unknown.status == 2)
    }

    @Test("a waiver with a future expiry passes the run with the finding listed as waived; a past expiry fails it again")
    func waivers() throws {
        let workspace = try GateCLI.workspace(["bad-02-legality-review-late.yaml"])
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let record = "records/bad-02-legality-review-late.yaml"
        #expect(try GateCLI.run(["check", record], in: workspace).status == 1)

        try GateCLI.write(GateCLI.waiver(expires: GateCLI.date(30)), to: workspace + "/waivers.yaml")
        let future = try GateCLI.run(["check", record, "--waivers", "waivers.yaml", "--format", "json"], in: workspace)
        #expect(future.status == 0, "\(future.stderr)")
        let report = try GateCLI.json(future.stdout)
        let violation = try #require((report["violations"] as? [[String: Any]])?.first)
        let waived = try #require(violation["waived"] as? [String: Any])
        #expect(waived["reason"] as? String == "书面审查意见次日出具，经复核无实质影响")
        #expect(waived["approver"] as? String == "市司法局")
        #expect(waived["document"] as? String == "绍司函〔2023〕88号")
        #expect(waived["expires"] as? String == GateCLI.date(30))
        #expect((report["summary"] as? [String: Int])?["waived"] == 1)
        let text = try GateCLI.run(["check", record, "--waivers", "waivers.yaml"], in: workspace)
        #expect(text.stdout.contains("（已豁免）") && text.stdout.contains("绍司函〔2023〕88号"))

        let raw = try GateCLI.run(["check", record, "--waivers", "waivers.yaml", "--no-waivers"], in: workspace)
        #expect(raw.status == 2, "--waivers and --no-waivers contradict each other")
        try GateCLI.write("waivers: waivers.yaml\n", to: workspace + "/.policycheck.yml")
        #expect(try GateCLI.run(["check", record], in: workspace).status == 0, "the configuration names the waivers")
        #expect(try GateCLI.run(["check", record, "--no-waivers"], in: workspace).status == 1, "--no-waivers shows the raw result")

        try GateCLI.write(GateCLI.waiver(expires: GateCLI.date(-1)), to: workspace + "/waivers.yaml")
        let past = try GateCLI.run(["check", record, "--format", "json"], in: workspace)
        #expect(past.status == 1)
        #expect(past.stderr.isEmpty || !past.stderr.contains("error:"))
        let expired = try #require(((try GateCLI.json(past.stdout))["gate"] as? [String: Any])?["waivers"] as? [String: Any])
        #expect((expired["expired"] as? [[String: Any]])?.first?["matched"] as? Int == 1)
        let pastText = try GateCLI.run(["check", record], in: workspace)
        #expect(pastText.stdout.contains("waivers.yaml:3:5: warning: waiver for rule `SX-09-LEGALITY-REVIEW`, record `D-2023-031` expired on"))

        try GateCLI.write(GateCLI.waiver(expires: GateCLI.date(30)).replacingOccurrences(of: "D-2023-031", with: "D-1999-001"),
                          to: workspace + "/waivers.yaml")
        let unmatched = try GateCLI.run(["check", record], in: workspace)
        #expect(unmatched.status == 1)
        #expect(unmatched.stdout.contains("matches no finding [waiver-unmatched]"))

        try GateCLI.write("schema_version: 1\nwaivers:\n  - rule: SX-09-LEGALITY-REVEIW\n    reason: x\n", to: workspace + "/waivers.yaml")
        let bad = try GateCLI.run(["check", record], in: workspace)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("waivers.yaml:3:11: error: the pack has no rule `SX-09-LEGALITY-REVEIW` [unknown-rule]"))
        #expect(bad.stderr.contains("did you mean `SX-09-LEGALITY-REVIEW`?"))
    }

    @Test("a baseline written today makes the run pass; one new bad record fails it on exactly that record")
    func baselines() throws {
        let samples = try CLI.samples("").map { ($0 as NSString).lastPathComponent }
        let workspace = try GateCLI.workspace(samples)
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let records = samples.map { "records/" + $0 }
        let written = try GateCLI.run(["check"] + records + ["--write-baseline", "baseline.json"], in: workspace)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("wrote the baseline `baseline.json` with 12 finding(s)"))
        #expect(try GateCLI.run(["check"] + records + ["--baseline", "baseline.json"], in: workspace).status == 0)

        // One new bad record: a copy of a bad sample under a new id, placed in a new file.
        let source = try String(contentsOfFile: workspace + "/records/bad-05-comment-period.yaml", encoding: .utf8)
        try GateCLI.write(source.replacingOccurrences(of: "D-2024-011", with: "D-2024-111"), to: workspace + "/records/new-bad.yaml")
        let later = try GateCLI.run(["check"] + records + ["records/new-bad.yaml", "--baseline", "baseline.json", "--format", "json"], in: workspace)
        #expect(later.status == 1)
        let report = try GateCLI.json(later.stdout)
        let violations = try #require(report["violations"] as? [[String: Any]])
        let new = violations.filter { $0["baseline"] as? String == "new" }
        #expect(new.count == 1)
        #expect((new.first?["record"] as? [String: Any])?["id"] as? String == "D-2024-111")
        #expect(violations.filter { $0["baseline"] as? String == "unchanged" }.count == 12)

        // Fixing a record is counted; the baseline lives in the configuration too.
        try FileManager.default.removeItem(atPath: workspace + "/records/bad-02-legality-review-late.yaml")
        try GateCLI.write("baseline: baseline.json\n", to: workspace + "/.policycheck.yml")
        let fixed = try GateCLI.run(["check"] + records.filter { !$0.contains("bad-02") } + ["--format", "json"], in: workspace)
        #expect(fixed.status == 0)
        let counts = try #require(((try GateCLI.json(fixed.stdout))["gate"] as? [String: Any])?["baseline"] as? [String: Any])
        #expect(counts["fixed"] as? Int == 1 && counts["new"] as? Int == 0)
        let text = try GateCLI.run(["check"] + records.filter { !$0.contains("bad-02") }, in: workspace)
        #expect(text.stdout.contains("基线（baseline.json）：新增 0 项，已有 11 项，已修复 1 项"))

        try GateCLI.write("{\"schema_version\": 1, \"findings\": [{\"fingerprint\": \"x\", \"rule\": \"R\", \"count\": 1}]}", to: workspace + "/baseline.json")
        let broken = try GateCLI.run(["check"] + records.filter { !$0.contains("bad-02") }, in: workspace)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("baseline.json:1:52: error: a fingerprint is 64 lowercase hexadecimal digits"))
    }

    @Test("the configuration's formats are written beside standard output")
    func configuredFormats() throws {
        let workspace = try GateCLI.workspace(["bad-02-legality-review-late.yaml"])
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        try GateCLI.write("formats:\n  sarif: build/policycheck.sarif\n  junit: build/junit.xml\n", to: workspace + "/.policycheck.yml")
        let result = try GateCLI.run(["check", "records/bad-02-legality-review-late.yaml"], in: workspace)
        #expect(result.status == 1)
        #expect(result.stdout.contains("SX-09-LEGALITY-REVIEW"))
        #expect(FileManager.default.fileExists(atPath: workspace + "/build/policycheck.sarif"))
        #expect(FileManager.default.fileExists(atPath: workspace + "/build/junit.xml"))
    }

    @Test("the audit's reports locate aggregate findings in the input files")
    func auditSARIF() throws {
        let path = NSTemporaryDirectory() + "policycheck-audit-\(UUID().uuidString).sarif"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try GateCLI.run(["audit", "--period", "2023..2024", "samples/spending/expenses-2022-2024.csv", "--format", "sarif", "-o", path])
        #expect(result.status == 1)
        let sarif = try GateCLI.json(try String(contentsOfFile: path, encoding: .utf8))
        let results = try #require((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let aggregate = try #require(results.first { $0["ruleId"] as? String == "SX-17-THREE-PUBLIC-DECLINE" })
        let location = try #require((aggregate["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "samples/spending/expenses-2022-2024.csv")
    }

    @Test("init writes a commented starter that loads, and refuses to overwrite it without --force")
    func initCommand() throws {
        let directory = NSTemporaryDirectory() + "policycheck-init-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try GateCLI.run(["init"], in: directory)
        #expect(first.status == 0)
        let text = try String(contentsOfFile: directory + "/.policycheck.yml", encoding: .utf8)
        #expect(text.contains("# waivers: waivers.yaml") && text.contains("fail_on: error"))
        let again = try GateCLI.run(["init"], in: directory)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists; pass --force"))
        #expect(try GateCLI.run(["init", "--force"], in: directory).status == 0)
        let check = try GateCLI.run(["check", CLI.root + "/samples/decisions/ok-01-guotu-kongjian-guihua.yaml"], in: directory)
        #expect(check.status == 0, "\(check.stderr)")
    }
}
