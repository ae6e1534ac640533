import Foundation
import Testing
@testable import PolicyCheckKit

/// A finding's JSON is written straight to bytes (`JSONFormatter.writeFinding`) for speed; the JSON tree
/// (`findingJSON` below) printed by `writePretty`, which prints as Foundation's encoder does, is what it must equal.
@Suite("a finding's JSON written directly equals the tree's")
struct FindingJSONTests {
    static func printedBothWays(_ finding: Finding) -> (direct: String, tree: String) {
        var direct: [UInt8] = [], tree: [UInt8] = []
        JSONFormatter.writeFinding(finding, into: &direct, indent: 2)
        Self.findingJSON(finding).writePretty(into: &tree, indent: 2)
        return (String(decoding: direct, as: UTF8.self), String(decoding: tree, as: UTF8.self))
    }

    /// The finding as a JSON tree, keys in any order: `writePretty` sorts them.
    static func findingJSON(_ finding: Finding) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("clause", .string(finding.clause)),
            ("group", finding.group.map { JSONValue.object($0.map { ($0.name, JSONValue($0.value)) }) } ?? .null),
            ("kind", .string(finding.kind.rawValue)),
            ("message", .string(finding.message)),
            ("record", finding.record.map { record in
                JSONValue.object([("id", .string(record.id)), ("source", JSONFormatter.sourceJSON(record.location)),
                                  ("type", .string(record.type))])
            } ?? .null),
            ("rule", .string(finding.ruleID)),
            ("severity", .string(finding.severity.rawValue)),
            ("values", .object(finding.values.map { ($0.path, JSONValue($0.value)) })),
            ("waived", finding.waived.map(JSONFormatter.waiverJSON) ?? .null),
        ]
        if finding.record == nil, let location = finding.groupLocation { fields.append(("source", JSONFormatter.sourceJSON(location))) }
        // Only with a baseline in force: a fingerprint costs a digest per finding, which a large audit need not pay.
        if let state = finding.baselineState {
            fields.append(("baseline", .string(state.rawValue)))
            fields.append(("fingerprint", .string(finding.fingerprint)))
        }
        return .object(fields)
    }

    @Test("every finding of the bundled pack over the spending and activity samples, in both languages")
    func bundledPackFindings() throws {
        let files = try ["samples/spending", "samples/activities"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: Fixtures.repositoryRoot + "/" + folder)
                .filter { ($0.hasSuffix(".csv") && !$0.contains("gb18030")) || $0.hasSuffix(".yaml") }
                .map { Fixtures.repositoryRoot + "/" + folder + "/" + $0 }
        }
        var compared = 0
        for language in [Language.zh, .en] {
            let report = AuditRun(pack: Fixtures.bundledPack,
                                  options: AuditOptions(language: language, period: AuditPeriod(parsing: "2022..2024"), workers: 1))
                .run(files)
            for finding in report.findings {
                let printed = Self.printedBothWays(finding)
                #expect(printed.direct == printed.tree, "\(finding.ruleID) \(finding.record?.id ?? "group")")
                compared += 1
            }
            #expect(report.findings.contains { $0.record == nil }, "aggregate findings are among them")
        }
        #expect(compared > 50)
    }

    @Test("waived, baselined and escaped findings, and one with nothing to report")
    func unusualFindings() throws {
        let waiver = Waiver(rule: "R", record: "A\"1", group: nil, reason: "理由\n第二行", approver: "财务处",
                            document: "绍财〔2024〕1号", expires: try #require(LocalDate(parsing: "2025-12-31")),
                            location: SourceLocation(file: "waivers.yaml", line: 3, column: 5))
        var waived = Finding(ruleID: "R", severity: .error, clause: "（一）", kind: .violation, message: "tab\there \\ \u{1}",
                             record: RecordReference(id: "A\"1", type: "spend", location: SourceLocation(file: "a b/c.csv", line: 12, column: 1)),
                             values: [("z", .list([.number(1), .string("x")])), ("a", .null), ("m", .date(try #require(LocalDate(parsing: "2024-02-29"))))])
        waived.waived = waiver
        waived.baselineState = .new
        let bare = Finding(ruleID: "G", severity: .info, clause: "（十七）", kind: .notEvaluated, message: "", record: nil, values: [])
        for finding in [waived, bare] {
            let printed = Self.printedBothWays(finding)
            #expect(printed.direct == printed.tree)
        }
    }

    @Test("the word-at-a-time escape test agrees with the byte test on random bytes, every escape at every place")
    func escapeTestAgrees() {
        var random = SplitMix64(seed: 0xE5CA_9E00)
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xE7, 0xFF, 0x61]
        for _ in 0..<20_000 {
            let bytes = (0..<random.int(in: 0...40)).map { _ in random.chance(90) ? 0x61 : random.pick(alphabet) }
            let expected = bytes.contains(where: JSONValue.needsEscape)
            #expect(bytes.withUnsafeBufferPointer(JSONValue.containsEscape) == expected, "\(bytes)")
        }
    }
}
