/// JUnit XML, which CI systems show as test results: one `testsuite` per input file, one
/// `testcase` per record and one per aggregate group with a finding.
///
/// A test case fails when it has findings that fail the run (at or above `--fail-on`, not waived,
/// not in the baseline); its `failure` carries their messages. A case whose findings are all
/// waived is `skipped` with the waiver; findings that do not fail the run are listed in its
/// `system-out`. Input errors are `error` cases. `check` lists every record it read; `audit`, whose
/// batches may hold millions of rows, lists the records and groups that have findings.
public struct JUnitFormatter: ReportFormatter {
    public static let identifier = "junit"
    public static let defaultFileName = "policycheck-junit.xml"

    public init() {}

    struct Outcome {
        var type: String
        var message: String
        var body: String
    }

    struct TestCase {
        var name: String
        var classname: String
        var file: String?
        var line: Int?
        var failure: Outcome?
        var error: Outcome?
        var skipped: String?
        var systemOut: [String] = []
    }

    struct TestSuite {
        var name: String
        var cases: [TestCase]
        var tests: Int { cases.count }
        var failures: Int { cases.filter { $0.failure != nil }.count }
        var errors: Int { cases.filter { $0.error != nil }.count }
        var skipped: Int { cases.filter { $0.failure == nil && $0.error == nil && $0.skipped != nil }.count }
    }

    struct TestSuites {
        var name: String
        var suites: [TestSuite]
    }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        render(document(report, pack: pack, options: options))
    }

    func document(_ report: Report, pack: CompiledPack, options: FormatOptions) -> TestSuites {
        let presentation = ReportPresentation(report: report, pack: pack, language: options.language)
        let zh = options.language == .zh
        // Cases keyed by where their record starts (ids may repeat across files), or by rule and group.
        var cases: [String: TestCase] = [:]
        var order: [String: [String]] = [:]
        func add(_ key: String, file: String, _ make: () -> TestCase) {
            if cases[key] == nil {
                cases[key] = make()
                order[file, default: []].append(key)
            }
        }
        for record in report.checkedRecords ?? [] {
            add("r\(record.location)", file: record.location.file) {
                TestCase(name: record.id, classname: record.type, file: record.location.file, line: record.location.line)
            }
        }
        var findingsByCase: [String: [Finding]] = [:]
        for finding in report.findings {
            let file = presentation.file(of: finding) ?? (zh ? "（无文件）" : "(no file)")
            let key: String
            if let record = finding.record {
                key = "r\(record.location)"
                add(key, file: file) { TestCase(name: record.id, classname: record.type, file: file, line: record.location.line) }
            } else {
                let group = presentation.groupText(finding) ?? ""
                key = "g\(finding.ruleID)\u{1F}\(group)"
                add(key, file: file) {
                    TestCase(name: group.isEmpty ? finding.ruleID : "\(finding.ruleID) \(group)", classname: finding.ruleID,
                             file: file, line: finding.location?.line)
                }
            }
            findingsByCase[key, default: []].append(finding)
        }
        for (key, findings) in findingsByCase {
            guard var testCase = cases[key] else { continue }
            let failing = findings.filter { Report.fails($0, failOn: options.failOn) }
            if let first = failing.first {
                let more = failing.count > 1 ? (zh ? "（另有 \(failing.count - 1) 项）" : " (and \(failing.count - 1) more)") : ""
                testCase.failure = Outcome(type: first.ruleID, message: first.message + more,
                                           body: failing.map { line($0, presentation) }.joined(separator: "\n"))
            }
            let others = findings.filter { !Report.fails($0, failOn: options.failOn) }
            testCase.systemOut = others.map { line($0, presentation) }
            if failing.isEmpty, let waived = findings.first(where: { $0.waived != nil })?.waived {
                testCase.skipped = presentation.waiverText(waived)
            }
            cases[key] = testCase
        }
        for (offset, diagnostic) in report.inputErrors.enumerated() {
            let file = diagnostic.location?.file ?? (zh ? "（输入）" : "(input)")
            let place = diagnostic.location.map { "\($0.line):\($0.column)" } ?? "\(offset + 1)"
            add("e\(offset)", file: file) {
                TestCase(name: (zh ? "输入错误 " : "input error ") + place, classname: "input", file: diagnostic.location?.file,
                         line: diagnostic.location?.line,
                         error: Outcome(type: diagnostic.code.rawValue, message: diagnostic.message, body: diagnostic.description))
            }
        }
        // Suites in the order the files were given, then any others by name.
        let given = report.inputFiles.filter { order[$0] != nil }
        let rest = order.keys.filter { !report.inputFiles.contains($0) }.sorted()
        let suites = (given + rest).map { file in
            TestSuite(name: file, cases: (order[file] ?? []).compactMap { cases[$0] })
        }
        return TestSuites(name: "policycheck \(report.document)", suites: suites)
    }

    private func line(_ finding: Finding, _ presentation: ReportPresentation) -> String {
        let place = finding.location.map { "\($0): " } ?? ""
        var text = "\(place)\(presentation.severityWord(finding.severity)): \(finding.message) [\(finding.ruleID) \(finding.clause)]"
        if let waiver = finding.waived { text += " " + presentation.waiverText(waiver) }
        if finding.baselineState == .unchanged { text += presentation.zh ? "（基线已有）" : " (in baseline)" }
        return text
    }

    func render(_ document: TestSuites) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let suites = document.suites
        out += "<testsuites" + attributes([
            ("name", document.name), ("tests", "\(suites.map(\.tests).reduce(0, +))"),
            ("failures", "\(suites.map(\.failures).reduce(0, +))"), ("errors", "\(suites.map(\.errors).reduce(0, +))"),
        ]) + ">\n"
        for suite in suites {
            out += "  <testsuite" + attributes([
                ("name", suite.name), ("tests", "\(suite.tests)"), ("failures", "\(suite.failures)"),
                ("errors", "\(suite.errors)"), ("skipped", "\(suite.skipped)"),
            ]) + ">\n"
            for testCase in suite.cases {
                var fields = [("name", testCase.name), ("classname", testCase.classname)]
                if let file = testCase.file { fields.append(("file", file)) }
                if let line = testCase.line { fields.append(("line", "\(line)")) }
                let children = testCase.failure != nil || testCase.error != nil || testCase.skipped != nil || !testCase.systemOut.isEmpty
                out += "    <testcase" + attributes(fields) + (children ? ">\n" : "/>\n")
                guard children else { continue }
                if let failure = testCase.failure {
                    out += "      <failure" + attributes([("type", failure.type), ("message", failure.message)]) + ">"
                        + Self.escapeText(failure.body) + "</failure>\n"
                }
                if let error = testCase.error {
                    out += "      <error" + attributes([("type", error.type), ("message", error.message)]) + ">"
                        + Self.escapeText(error.body) + "</error>\n"
                }
                if let skipped = testCase.skipped {
                    out += "      <skipped" + attributes([("message", skipped)]) + "/>\n"
                }
                if !testCase.systemOut.isEmpty {
                    out += "      <system-out>" + Self.escapeText(testCase.systemOut.joined(separator: "\n")) + "</system-out>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    private func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(Self.escapeAttribute($0.1))\"" }.joined()
    }

    /// Text content: markup characters escaped, characters XML 1.0 forbids dropped.
    static func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An attribute value: as text, plus quotes and the whitespace that attribute normalisation would flatten.
    static func escapeAttribute(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
