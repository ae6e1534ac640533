import Foundation
import Testing
@testable import PolicyCheckKit

/// Aggregate rules whose per-record parts are the same share one table of groups; what each rule finds
/// must not depend on whether it shares.
@Suite("aggregate rules with the same per-record parts share their groups")
struct AggregateTableSharingTests {
    static func spendingRecords() throws -> [Record] {
        // The JSON Lines copy of the spending sample, read as one JSON array.
        let path = Fixtures.repositoryRoot + "/samples/spending/expenses-2022-2024.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
        let result = Fixtures.readRecords("[" + lines.joined(separator: ",\n") + "]", file: "expenses.json", type: "expense")
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
        return result.records
    }

    static func findings(_ rules: [CompiledAggregateRule], _ records: [Record], period: AuditPeriod?) -> [String] {
        var accumulator = AggregateAccumulator(rules: rules, period: period)
        for record in records { accumulator.add(record) }
        return accumulator.finish(period: period, language: .en).map { finding in
            "\(finding.ruleID) \(finding.kind) \(finding.group.map { $0.map { "\($0.name)=\($0.value)" } } ?? []) \(finding.message)"
        }
    }

    @Test("the bundled pack's three-public rules: together, each finds what it finds alone")
    func sameFindingsTogetherAndAlone() throws {
        let records = try Self.spendingRecords()
        let rules = Fixtures.bundledPack.aggregateRules.filter { $0.appliesTo == "expense" }
        let decline = try #require(rules.first { $0.id == "SX-17-THREE-PUBLIC-DECLINE" })
        let flat = try #require(rules.first { $0.id == "SX-17-THREE-PUBLIC-FLAT" })
        #expect(decline.recordSideSignature == flat.recordSideSignature)
        let budget = try #require(rules.first { $0.id == "SX-17-THREE-PUBLIC-BUDGET" })
        #expect(budget.recordSideSignature != decline.recordSideSignature, "it groups by category as well")
        for period in [AuditPeriod(parsing: "2022..2024"), AuditPeriod(parsing: "2023..2024"), nil] {
            let together = Self.findings(rules, records, period: period)
            let alone = rules.flatMap { Self.findings([$0], records, period: period) }
            #expect(together == alone)
        }
        #expect(Self.findings([decline], records, period: AuditPeriod(parsing: "2022..2024")).contains { $0.hasPrefix("SX-17-THREE-PUBLIC-DECLINE violation") },
                "the samples' planted rise is found")
    }

    @Test("a different measure argument or where keeps the tables apart")
    func differentPartsDoNotShare() throws {
        let rules = Fixtures.bundledPack.aggregateRules
        let signatures = Dictionary(grouping: rules, by: \.recordSideSignature)
        for (_, group) in signatures where group.count > 1 {
            let first = group[0]
            for rule in group.dropFirst() {
                #expect(rule.appliesTo == first.appliesTo && rule.whereText == first.whereText && rule.keyNames == first.keyNames
                        && rule.measures.map(\.kind) == first.measures.map(\.kind)
                        && rule.measures.map(\.argumentText) == first.measures.map(\.argumentText))
            }
        }
        // Every measure argument is recorded, so two sums of different fields cannot look alike.
        #expect(rules.allSatisfy { rule in rule.measures.allSatisfy { $0.kind == .count || $0.argumentText != nil } })
    }
}
