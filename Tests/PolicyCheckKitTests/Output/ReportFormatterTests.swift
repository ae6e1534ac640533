import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PolicyCheckKit
import Testing

/// A small fixed report on the mini pack, with every kind of finding, a waiver, a baseline and input
/// problems, and each format's output for it compared with a golden file.
///
/// Regenerate the golden files after a deliberate change with
/// `POLICYCHECK_UPDATE_GOLDEN=1 swift test --filter "report formats"`, then read the diff.
@Suite("report formats")
struct ReportFormatterTests {
    static let goldenDirectory = Fixtures.repositoryRoot + "/Tests/PolicyCheckKitTests/Output/Golden"
    static let updating = ProcessInfo.processInfo.environment["POLICYCHECK_UPDATE_GOLDEN"] == "1"

    static func location(_ line: Int, _ column: Int = 1) -> PolicyCheckKit.SourceLocation {
        PolicyCheckKit.SourceLocation(file: "data/spend.csv", line: line, column: column)
    }

    static func record(_ id: String, _ line: Int) -> RecordReference {
        RecordReference(id: id, type: "spend", location: location(line))
    }

    /// The report before the gate: what a run found.
    static var rawReport: Report {
        let findings = [
            Finding(ruleID: "MINI-CAP", severity: .error, clause: "（一）", kind: .violation,
                    message: "A2 金额2000元超过1000元", record: record("A2", 3),
                    values: [("amount", .number(2000)), ("id", .string("A2"))]),
            Finding(ruleID: "MINI-CAP", severity: .error, clause: "（一）", kind: .violation,
                    message: "A4 金额1500.5元超过1000元, \"含税\"", record: record("A4", 5),
                    values: [("amount", .number(Decimal(string: "1500.5") ?? 0)), ("id", .string("A4"))]),
            Finding(ruleID: "MINI-CAP", severity: .info, clause: "（一）", kind: .notEvaluated,
                    message: "无法判定：`amount` is absent", record: record("A5", 6)),
            Finding(ruleID: "MINI-DECLINE", severity: .error, clause: "（一）", kind: .violation,
                    message: "甲局2024年接待费1100元，高于上年100元", record: nil,
                    group: [("unit", .string("甲局")), ("year", .number(2024))],
                    values: [("total", .number(1100)), ("previous.total", .number(100))], location: location(3)),
            Finding(ruleID: "MINI-MEETINGS", severity: .warning, clause: "（一）", kind: .violation,
                    message: "乙局2024年会议0次", record: nil,
                    group: [("unit", .string("乙局")), ("year", .number(2024))], values: [("count()", .number(0))]),
        ]
        var report = Report(toolVersion: "0.1.0", packID: "mini", document: "测试〔2024〕1号", recordCount: 5, findings: findings,
                            inputErrors: [.error(.fieldType, "`abc` is not a number", at: location(7, 5), help: "write amounts as `1234.56`")],
                            inputWarnings: [.warning(.unknownRecordField, "unknown field `备注`", at: location(1, 7))])
        report.inputFiles = ["data/spend.csv"]
        report.checkedRecords = [record("A1", 2), record("A2", 3), record("A3", 4), record("A4", 5), record("A5", 6)]
        return report
    }

    static let waivers = WaiverSet(file: "waivers.yaml", waivers: [
        Waiver(rule: "MINI-CAP", record: "A2", group: nil, reason: "专项接待，经批准", approver: "财务处",
               document: "测财〔2024〕3号", expires: LocalDate(year: 2026, month: 6, day: 30) ?? LocalDate(daysSinceEpoch: 0),
               location: PolicyCheckKit.SourceLocation(file: "waivers.yaml", line: 3, column: 5)),
        Waiver(rule: "MINI-MEETINGS", record: nil, group: [.init(name: "unit", value: "乙局")], reason: "机构改革",
               approver: "办公室", document: "测办〔2023〕9号", expires: LocalDate(year: 2025, month: 12, day: 31) ?? LocalDate(daysSinceEpoch: 0),
               location: PolicyCheckKit.SourceLocation(file: "waivers.yaml", line: 9, column: 5)),
        Waiver(rule: "MINI-CAP", record: "A9", group: nil, reason: "已撤销的记录", approver: "财务处",
               document: "测财〔2024〕4号", expires: LocalDate(year: 2026, month: 6, day: 30) ?? LocalDate(daysSinceEpoch: 0),
               location: PolicyCheckKit.SourceLocation(file: "waivers.yaml", line: 15, column: 5)),
    ])

    /// The report as every format sees it: waivers applied on 2026-01-15 and a baseline holding A4's finding.
    static var report: Report {
        let raw = rawReport
        let known = raw.findings.filter { $0.record?.id == "A4" }
        var baselineReport = raw
        baselineReport.findings = known
        var baseline = Baseline(recording: baselineReport)
        baseline.file = "baseline.json"
        let today = LocalDate(year: 2026, month: 1, day: 15) ?? LocalDate(daysSinceEpoch: 0)
        return ReportGate(waivers: waivers, baseline: baseline, today: today).apply(to: raw)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var format: String
        var language: Language
        var testDescription: String { "\(format) (\(language.rawValue))" }
        var goldenName: String {
            let type = ReportFormatters.type(named: format)
            let name = type?.defaultFileName ?? format
            return language == .zh ? name : name.replacingOccurrences(of: "policycheck", with: "policycheck-en")
        }
    }

    static let cases: [Case] = ReportFormatters.identifiers.map { Case(format: $0, language: .zh) }
        + ["text", "markdown", "html", "sarif"].map { Case(format: $0, language: .en) }

    static func output(_ format: String, language: Language = .zh) throws -> String {
        let formatter: any ReportFormatter = format == HTMLFormatter.identifier
            ? HTMLFormatter(spendingRule: { $0 == "MINI-DECLINE" })
            : try #require(ReportFormatters.formatter(named: format))
        return try formatter.format(report, pack: Fixtures.miniPack, options: FormatOptions(language: language, failOn: .error))
    }

    @Test("every format matches its golden file", arguments: cases)
    func golden(_ testCase: Case) throws {
        let text = try Self.output(testCase.format, language: testCase.language)
        let path = Self.goldenDirectory + "/" + testCase.goldenName
        // Bytes, not strings: Foundation drops the CSV's byte-order mark when it decodes a file.
        if Self.updating {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let expected = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Data(text.utf8) == expected, "\(testCase.goldenName) differs; if the change is meant, regenerate with POLICYCHECK_UPDATE_GOLDEN=1")
    }

    @Test("every format is listed once and has its own file name")
    func registry() {
        #expect(ReportFormatters.identifiers == ["text", "json", "sarif", "junit", "github", "markdown", "csv", "html"])
        #expect(Set(ReportFormatters.all.map { $0.defaultFileName }).count == ReportFormatters.all.count)
    }

    @Test("output is deterministic: two runs give the same bytes")
    func deterministic() throws {
        for format in ReportFormatters.identifiers {
            #expect(try Self.output(format) == Self.output(format), "\(format)")
        }
    }

    @Test("SARIF: rules, locations, the waiver as a suppression, baseline states")
    func sarif() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.output("sarif").utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["MINI-CAP", "MINI-DECLINE", "MINI-MEETINGS"])
        let title = try #require((rules[0]["properties"] as? [String: Any])?["title"] as? [String: String])
        #expect(title == ["zh": "单笔不超过上限", "en": "Each spend within the cap"])
        #expect((rules[0]["help"] as? [String: Any])?["text"] as? String == "（一） 节约\n压缩开支")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 5)
        let waived = try #require(results.first { ($0["suppressions"] as? [Any])?.isEmpty == false })
        let suppression = try #require((waived["suppressions"] as? [[String: Any]])?.first)
        #expect(suppression["kind"] as? String == "external" && suppression["status"] as? String == "accepted")
        #expect(results.compactMap { $0["baselineState"] as? String }.sorted() == ["new", "new", "new", "unchanged"])
        // The missing group has no record; it is placed in the input file holding records of its type.
        let meetings = try #require(results.first { $0["ruleId"] as? String == "MINI-MEETINGS" })
        let physical = try #require(((meetings["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "data/spend.csv")
        #expect(physical["region"] == nil)
    }

    @Test("JUnit: one suite per file, one case per record and per group, failures carry the messages")
    func junit() throws {
        let text = try Self.output("junit")
        #if canImport(FoundationXML) || os(macOS)
        let document = try XMLDocument(xmlString: text)
        let suites = try document.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.count == 1)
        let cases = try document.nodes(forXPath: "//testcase")
        // Five records, two groups, one input error.
        #expect(cases.count == 8)
        let failures = try document.nodes(forXPath: "//testcase/failure/@message").compactMap(\.stringValue)
        #expect(failures == ["甲局2024年接待费1100元，高于上年100元"])
        #expect(try document.nodes(forXPath: "//testcase[@name='A2']/skipped").count == 1)
        #expect(try document.nodes(forXPath: "//testcase/error").count == 1)
        #endif
        #expect(text.contains("tests=\"8\" failures=\"1\" errors=\"1\" skipped=\"1\""))
    }

    @Test("CSV: a byte-order mark, quoting, a row per finding, formulas defused")
    func csv() throws {
        let text = try Self.output("csv")
        #expect(text.hasPrefix("\u{FEFF}文件,行,列,级别,规则"))
        #expect(Array(text.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 6)
        #expect(text.contains("\"A4 金额1500.5元超过1000元, \"\"含税\"\"\""))
        #expect(CSVFormatter.cell("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVFormatter.cell("-1") == "'-1")
    }

    @Test("GitHub: workflow commands with escaped properties and data")
    func github() throws {
        let lines = try Self.output("github").split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("::error file=data/spend.csv,line=3,col=1,title=MINI-DECLINE （一） 接待费逐年压缩::") })
        #expect(lines.contains { $0.hasPrefix("::notice file=data/spend.csv,line=3,col=1,title=MINI-CAP") && $0.contains("已豁免") })
        #expect(GitHubFormatter.escapeData("50%\nnext") == "50%25%0Anext")
        #expect(GitHubFormatter.escapeProperty("a:b,c") == "a%3Ab%2Cc")
    }

    @Test("HTML: one self-contained page with both charts and the findings table")
    func html() throws {
        let text = try Self.output("html")
        #expect(text.hasPrefix("<!DOCTYPE html>"))
        #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("<script src") && !text.contains("<link rel=\"stylesheet\""))
        #expect(text.contains("id=\"findings-table\""))
        #expect(text.components(separatedBy: "<tr data-severity=").count - 1 == 5)
        #expect(text.contains("<section id=\"spending\">") && text.contains("甲局 2023：100"))
        #expect(HTMLFormatter.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        let english = try Self.output("html", language: .en)
        #expect(english.contains("<html lang=\"en\">") && english.contains("All findings"))
    }

    @Test("JSON keeps the contract: waived as an object, the gate beside the summary")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.output("json").utf8)) as? [String: Any])
        let violations = try #require(object["violations"] as? [[String: Any]])
        let waived = try #require(violations.first { !($0["waived"] is NSNull) }?["waived"] as? [String: Any])
        #expect(waived["reason"] as? String == "专项接待，经批准")
        #expect(waived["approver"] as? String == "财务处")
        #expect(waived["document"] as? String == "测财〔2024〕3号")
        #expect(waived["expires"] as? String == "2026-06-30")
        let gate = try #require(object["gate"] as? [String: Any])
        let baseline = try #require(gate["baseline"] as? [String: Any])
        #expect(baseline["new"] as? Int == 3 && baseline["unchanged"] as? Int == 1 && baseline["fixed"] as? Int == 0)
        let waivers = try #require(gate["waivers"] as? [String: Any])
        #expect((waivers["expired"] as? [Any])?.count == 1 && (waivers["unmatched"] as? [Any])?.count == 1)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["waived"] == 1 && summary["violations"] == 4)
    }
}
