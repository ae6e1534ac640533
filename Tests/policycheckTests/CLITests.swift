import Foundation
import Testing

/// Runs the built `policycheck` on the samples, as a clerk or a CI job would, and pins what they see.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `.build/debug/policycheck`, or `$POLICYCHECK_BINARY` when set (a build with its own scratch path).
    static let binary = ProcessInfo.processInfo.environment["POLICYCHECK_BINARY"].map { $0.hasPrefix("/") ? $0 : root + "/" + $0 }
        ?? root + "/.build/debug/policycheck"

    static func run(_ arguments: [String], in directory: String = root) throws -> CommandResult {
        // Output goes to files, not pipes: reading a pipe through FileHandle traps on EINTR under load.
        let scratch = NSTemporaryDirectory() + "policycheck-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        FileManager.default.createFile(atPath: scratch + "/out", contents: nil)
        FileManager.default.createFile(atPath: scratch + "/err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/err"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CommandResult(status: process.terminationStatus,
                             stdout: try String(contentsOfFile: scratch + "/out", encoding: .utf8),
                             stderr: try String(contentsOfFile: scratch + "/err", encoding: .utf8))
    }

    static func samples(_ prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/samples/decisions")
            .filter { $0.hasPrefix(prefix) }.sorted().map { "samples/decisions/" + $0 }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite("policycheck check", .enabled(if: FileManager.default.fileExists(atPath: CLI.binary)))
struct CheckCommandTests {
    @Test("the compliant samples have no findings and exit 0")
    func compliantSamples() throws {
        let files = try CLI.samples("ok-")
        #expect(files.count >= 4)
        let result = try CLI.run(["check", "--fail-on", "info", "--format", "json"] + files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try CLI.json(result.stdout)
        #expect((report["violations"] as? [Any])?.isEmpty == true)
    }

    @Test("each non-compliant sample is flagged by the rule it breaks, and by nothing else")
    func nonCompliantSamples() throws {
        let files = try CLI.samples("bad-")
        #expect(files.count >= 8)
        var rulesSeen: Set<String> = []
        for file in files {
            let result = try CLI.run(["check", "--format", "json", "--fail-on", "warning", file])
            #expect(result.status == 1, "\(file)")
            let report = try CLI.json(result.stdout)
            let violations = try #require(report["violations"] as? [[String: Any]])
            #expect(violations.count == 1, "\(file): \(violations.map { $0["rule"] ?? "" })")
            guard let rule = violations.first?["rule"] as? String else { continue }
            // bad-02-legality-review-late.yaml breaks SX-09-LEGALITY-REVIEW, and so on.
            let slug = file.split(separator: "-").dropFirst(2).joined(separator: "-").replacingOccurrences(of: ".yaml", with: "")
            #expect(rule.lowercased().hasPrefix("sx-09-" + slug.split(separator: "-").prefix(2).joined(separator: "-")) ||
                    rule.lowercased().contains(slug.split(separator: "-").first.map(String.init) ?? "?"), "\(file) → \(rule)")
            #expect(violations.first?["clause"] as? String == "（九）")
            rulesSeen.insert(rule)
        }
        #expect(rulesSeen.count >= 8)
    }

    @Test("the JSON report keeps the DESIGN.md contract")
    func jsonContract() throws {
        let result = try CLI.run(["check", "--format", "json", "samples/decisions/bad-02-legality-review-late.yaml"])
        #expect(result.status == 1)
        let report = try CLI.json(result.stdout)
        #expect((report["tool"] as? [String: Any])?["name"] as? String == "policycheck")
        #expect((report["pack"] as? [String: Any])?["id"] as? String == "shaoxing-2022-6")
        #expect((report["pack"] as? [String: Any])?["document"] as? String == "绍政发〔2022〕6号")
        let summary = try #require(report["summary"] as? [String: Int])
        #expect(summary == ["records": 1, "violations": 1, "error": 1, "warning": 0, "info": 0, "waived": 0, "inputErrors": 0])
        let violation = try #require((report["violations"] as? [[String: Any]])?.first)
        #expect(violation["rule"] as? String == "SX-09-LEGALITY-REVIEW")
        #expect(violation["severity"] as? String == "error")
        #expect(violation["group"] is NSNull)
        #expect(violation["waived"] is NSNull)
        let record = try #require(violation["record"] as? [String: Any])
        #expect(record["type"] as? String == "decision")
        let source = try #require(record["source"] as? [String: Any])
        #expect(source["file"] as? String == "samples/decisions/bad-02-legality-review-late.yaml")
        #expect(source["line"] as? Int != nil && source["column"] as? Int != nil)
        let values = try #require(violation["values"] as? [String: Any])
        #expect(values["legality_review.completed_on"] as? String == "2023-09-22")
        #expect(values["deliberation.date"] as? String == "2023-09-21")
        #expect((report["inputErrors"] as? [Any])?.isEmpty == true)
    }

    @Test("messages carry the values found, in Chinese by default and in English with --lang en")
    func languages() throws {
        let zh = try CLI.run(["check", "samples/decisions/bad-05-comment-period.yaml"])
        #expect(zh.stdout.contains("14日"))
        #expect(zh.stdout.contains("[SX-09-COMMENT-PERIOD （九）]"))
        let en = try CLI.run(["check", "--lang", "en", "samples/decisions/bad-05-comment-period.yaml"])
        #expect(en.stdout.contains("14"))
        #expect(en.stdout.contains("checked 1 record(s)"))
        #expect(!en.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test("--fail-on decides which findings fail the run")
    func failOn() throws {
        let warningOnly = "samples/decisions/bad-03-legality-review-time.yaml"
        #expect(try CLI.run(["check", warningOnly]).status == 0)
        #expect(try CLI.run(["check", "--fail-on", "warning", warningOnly]).status == 1)
    }

    @Test("bad input exits 2 with a located message, and the other files are still checked")
    func badInput() throws {
        let directory = NSTemporaryDirectory() + "policycheck-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "type: decision\nid: X\ntitle: [oops\n".write(toFile: directory + "/broken.yaml", atomically: true, encoding: .utf8)
        try "".write(toFile: directory + "/empty.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", "--format", "json", directory + "/broken.yaml", directory + "/empty.yaml",
                                  directory + "/missing.yaml", directory, "samples/decisions/bad-01-executive-meeting.yaml"])
        #expect(result.status == 2)
        let report = try CLI.json(result.stdout)
        let errors = try #require(report["inputErrors"] as? [[String: Any]])
        let codes = Set(errors.compactMap { $0["code"] as? String })
        #expect(codes == ["yaml-syntax", "empty-file", "file-not-found", "is-directory"])
        #expect((report["violations"] as? [Any])?.count == 1, "the good file is still checked")
        #expect(result.stderr.contains("broken.yaml:") && result.stderr.contains("^"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("-o writes the report to a file")
    func outputFile() throws {
        let path = NSTemporaryDirectory() + "policycheck-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.run(["check", "--format", "json", "-o", path, "samples/decisions/ok-01-guotu-kongjian-guihua.yaml"])
        #expect(result.stdout.isEmpty)
        #expect(result.status == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try CLI.json(text)["summary"] != nil)
    }
}

@Suite("policycheck eval, test and rules", .enabled(if: FileManager.default.fileExists(atPath: CLI.binary)))
struct OtherCommandTests {
    @Test("eval prints the value, or the error, as the JSON contract says")
    func eval() throws {
        let value = try CLI.run(["eval", "--format", "json", "--", "0.1 + 0.2 == 0.3 && workdays_between(date('2022-06-06'), date('2022-06-15')) == 7"])
        #expect(value.status == 0)
        #expect(value.stdout == "{\"value\":true}\n")
        let number = try CLI.run(["eval", "--format", "json", "--bind", "x={\"a\": [1, 2.5]}", "--", "x.a[1] * 2"])
        #expect(number.stdout == "{\"value\":5}\n")
        let date = try CLI.run(["eval", "--format", "json", "--", "add_months(date('2024-01-31'), 1)"])
        #expect(date.stdout == "{\"value\":\"2024-02-29\"}\n")
        let error = try CLI.run(["eval", "--format", "json", "--", "1 / 0"])
        #expect(error.status == 1)
        #expect(error.stdout == "{\"error\":\"division by zero\"}\n")
        let syntax = try CLI.run(["eval", "--", "1 +"])
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("<expression>:1:"))
        let record = try CLI.run(["eval", "--record", "samples/decisions/bad-05-comment-period.yaml", "--",
                                  "days_between(participation.comment_start, participation.comment_end)"])
        #expect(record.stdout == "14\n")
    }

    @Test("test runs every example of the bundled pack and passes")
    func test() throws {
        let result = try CLI.run(["test"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(" 0 failed"))
    }

    @Test("rules list, show and lint")
    func rules() throws {
        let list = try CLI.run(["rules", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("SX-09-EXECUTIVE-MEETING"))
        let show = try CLI.run(["rules", "show", "SX-09-COMMENT-PERIOD"])
        #expect(show.stdout.contains("params.public_comment_min_days = 30 days [V]"))
        let unknown = try CLI.run(["rules", "show", "SX-09-COMMENT-PERIOT"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean `SX-09-COMMENT-PERIOD`?"))
        #expect([0, 1].contains(try CLI.run(["rules", "lint"]).status))
    }

    @Test("rules coverage lists all 17 clauses with their rules, as text, markdown and JSON")
    func coverage() throws {
        let json = try CLI.run(["rules", "coverage", "--format", "json"])
        #expect(json.status == 0)
        let rows = try #require(try CLI.json(json.stdout)["rows"] as? [[String: Any]])
        #expect(rows.count == 17)
        let nine = try #require(rows.first { $0["clause"] as? String == "（九）" })
        #expect((nine["rules"] as? [String])?.contains("SX-09-EXECUTIVE-MEETING") == true)
        #expect(rows.filter { $0["status"] as? String != "encoded" }.allSatisfy { !($0["manual"] as? String ?? "").isEmpty })
        let markdown = try CLI.run(["rules", "coverage", "--format", "markdown", "--lang", "en"])
        #expect(markdown.stdout.split(separator: "\n").filter { $0.hasPrefix("| （") }.count == 17)
        let text = try CLI.run(["rules", "coverage"])
        #expect(text.stdout.contains("17 clauses"))
    }

    @Test("a configuration file is validated with located errors")
    func configuration() throws {
        let directory = NSTemporaryDirectory() + "policycheck-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "fail_on: warning\nlang: fr\n".write(toFile: directory + "/.policycheck.yml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["check", "--pack", CLI.root + "/rules/shaoxing-2022-6", CLI.root + "/samples/decisions/ok-01-guotu-kongjian-guihua.yaml"], in: directory)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(".policycheck.yml:2:7: error: `lang` is zh or en"))
        try "fail_on: warning\nparams:\n  legality_review_min_workdays: 3\n".write(toFile: directory + "/.policycheck.yml", atomically: true, encoding: .utf8)
        let relaxed = try CLI.run(["check", "--pack", CLI.root + "/rules/shaoxing-2022-6",
                                   CLI.root + "/samples/decisions/bad-03-legality-review-time.yaml"], in: directory)
        #expect(relaxed.status == 0, "4 working days meet a 3-day minimum: \(relaxed.stdout)")
    }
}

@Suite("policycheck audit on the samples", .enabled(if: FileManager.default.fileExists(atPath: CLI.binary)))
struct AuditCommandTests {
    /// (rule, record or group, message) of each violation: what must not depend on the file format.
    func violations(_ file: String, _ extra: [String] = []) throws -> [String] {
        let result = try CLI.run(["audit", "--format", "json", "--lang", "en"] + extra + [file])
        #expect([0, 1].contains(result.status), "\(file): \(result.stderr)")
        let report = try CLI.json(result.stdout)
        #expect((report["inputErrors"] as? [Any])?.isEmpty == true, "\(file)")
        let items = try #require(report["violations"] as? [[String: Any]])
        return items.map { item in
            let owner = ((item["record"] as? [String: Any])?["id"] as? String)
                ?? ((item["group"] as? [String: Any])?.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
                ?? ""
            return "\(item["rule"] ?? "") \(owner) \(item["message"] ?? "")"
        }.sorted()
    }

    @Test("the CSV, GB18030 CSV, JSON Lines and XLSX copies of the spending sample give identical findings")
    func formatsAgree() throws {
        let csv = try violations("samples/spending/expenses-2022-2024.csv")
        #expect(csv.count >= 24)
        #expect(try violations("samples/spending/expenses-2022-2024.gb18030.csv") == csv)
        #expect(try violations("samples/spending/expenses-2022-2024.jsonl") == csv)
        #expect(try violations("samples/spending/expenses-2022-2024.xlsx") == csv)
    }

    @Test("findings streamed to disk (JSON and text) print the same report as findings held in memory (JSON and text beside SARIF), waivers and baseline included")
    func streamedEqualsHeld() throws {
        let directory = NSTemporaryDirectory() + "policycheck-stream-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        schema_version: 1
        waivers:
          - rule: SX-17-RECEPTION-ACCOMPANY
            record: JTJ-2024-003
            reason: 陪餐人数含翻译，经复核
            approver: 市财政局
            document: 绍财函〔2024〕12号
            expires: \(GateCLI.date(30))
          - rule: SX-17-THREE-PUBLIC-FLAT
            group: { unit: 绍兴市文化广电旅游局, year: 2024 }
            reason: 预算已按规定调整
            approver: 市财政局
            document: 绍财函〔2024〕13号
            expires: \(GateCLI.date(-3))
        """.write(toFile: directory + "/waivers.yaml", atomically: true, encoding: .utf8)
        let input = CLI.root + "/samples/spending/expenses-2022-2024.csv"
        /// The JSON and text reports of a streamed run and of one that holds its findings (SARIF needs them all).
        func pair(_ extra: [String], _ name: String) throws -> (streamed: String, held: String) {
            let streamed = try CLI.run(["audit", input, "--format", "json", "-o", "\(name)-s.json", "--format", "text", "-o", "\(name)-s.txt"] + extra,
                                       in: directory)
            let held = try CLI.run(["audit", input, "--format", "json", "-o", "\(name)-h.json", "--format", "text", "-o", "\(name)-h.txt",
                                    "--format", "sarif", "-o", "\(name).sarif"] + extra, in: directory)
            #expect(streamed.status == held.status, "\(streamed.stderr)")
            let read = { (file: String) in try String(contentsOfFile: directory + "/" + file, encoding: .utf8) }
            #expect(try read("\(name)-s.txt") == (try read("\(name)-h.txt")))
            return (try read("\(name)-s.json"), try read("\(name)-h.json"))
        }
        let plain = try pair([], "plain")
        #expect(plain.streamed == plain.held)
        let waived = try pair(["--waivers", "waivers.yaml"], "waived")
        #expect(waived.streamed == waived.held)
        let gate = try #require(try CLI.json(waived.streamed)["gate"] as? [String: Any])
        let waivers = try #require(gate["waivers"] as? [String: Any])
        #expect(waivers["applied"] as? Int == 1)
        #expect((waivers["expired"] as? [Any])?.count == 1)
        let written = try CLI.run(["audit", input, "--write-baseline", "baseline.json", "--format", "json", "-o", "b.json"], in: directory)
        #expect(written.status == 0, "\(written.stderr)")
        let baselined = try pair(["--baseline", "baseline.json"], "baselined")
        #expect(baselined.streamed == baselined.held)
        let counts = try #require((try CLI.json(baselined.streamed)["gate"] as? [String: Any])?["baseline"] as? [String: Any])
        #expect(counts["new"] as? Int == 0)
        #expect((counts["unchanged"] as? Int ?? 0) >= 24)
    }

    @Test("the planted spending violations are found, per record and per unit-year")
    func plantedSpending() throws {
        let found = try violations("samples/spending/expenses-2022-2024.csv")
        for expected in ["SX-17-RECEPTION-ACCOMPANY JTJ-2024-003", "SX-17-VEHICLE-STANDARD SJJ-2022-006",
                         "SX-17-TRAVEL-PREAPPROVAL FGW-2022-007", "SX-17-THREE-PUBLIC-DECLINE unit=绍兴市交通运输局,year=2024",
                         "SX-17-THREE-PUBLIC-FLAT unit=绍兴市文化广电旅游局,year=2024"] {
            #expect(found.contains { $0.hasPrefix(expected + " ") }, "\(expected)")
        }
    }

    @Test("the planted activity shortfalls of 2023–2024 are found, and nothing on the compliant records")
    func plantedActivities() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/samples/activities")
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "samples/activities/" + $0 }
        let result = try CLI.run(["audit", "--format", "json", "--period", "2023..2024"] + files)
        let report = try CLI.json(result.stdout)
        let rules = try #require(report["violations"] as? [[String: Any]]).compactMap { $0["rule"] as? String }.sorted()
        #expect(rules == ["SX-03-COLLECTIVE-STUDY", "SX-04-LEAVE-APPROVAL", "SX-06-RESEARCH-TOPIC", "SX-08-COURT-NOT-ABSENT",
                          "SX-08-LAW-STUDY", "SX-10-PROACTIVE-DISCLOSURE", "SX-10-PROPOSAL-DEADLINE", "SX-17-VEHICLE-PRIVATE-USE"])
        #expect(result.status == 1)
    }

    @Test("bad batch input exits 2 with row and column, and the other rows are still checked")
    func badBatch() throws {
        let directory = NSTemporaryDirectory() + "policycheck-audit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sample = try String(contentsOfFile: CLI.root + "/samples/spending/expenses-2022-2024.csv", encoding: .utf8)
        var lines = sample.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count < 6 { lines = sample.components(separatedBy: "\n") }
        lines[5] = lines[5].replacingOccurrences(of: ",", with: ",,", options: [], range: lines[5].range(of: ","))
        try lines.joined(separator: "\n").write(toFile: directory + "/broken.csv", atomically: true, encoding: .utf8)
        try Data([0x41, 0x2C, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: directory + "/binary.csv"))
        let result = try CLI.run(["audit", "--format", "json", directory + "/broken.csv", directory + "/binary.csv"])
        #expect(result.status == 2)
        let report = try CLI.json(result.stdout)
        let errors = try #require(report["inputErrors"] as? [[String: Any]])
        #expect(errors.contains { ($0["file"] as? String)?.hasSuffix("broken.csv") == true && $0["line"] as? Int == 6 })
        #expect(errors.contains { ($0["file"] as? String)?.hasSuffix("binary.csv") == true })
        #expect(((report["summary"] as? [String: Int])?["records"] ?? 0) >= 230)
    }
}
