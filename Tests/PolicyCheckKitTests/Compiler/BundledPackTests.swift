import Foundation
import PolicyCheckKit
import Testing

@Suite("The bundled 绍政发〔2022〕6号 pack")
struct BundledPackTests {
    @Test("compiles with no diagnostics at all")
    func compilesCleanly() {
        let compilation = PackCompiler.compile(directory: Fixtures.bundledPackPath)
        #expect(compilation.pack != nil)
        #expect(compilation.diagnostics.map(\.description) == [])
    }

    @Test("lists the document's 17 clauses in order")
    func seventeenClauses() {
        let numbers = Fixtures.bundledPack.manifest.clauses.map(\.number)
        #expect(numbers == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）",
                            "（十）", "（十一）", "（十二）", "（十三）", "（十四）", "（十五）", "（十六）", "（十七）"])
    }

    @Test("every rule's examples and every test case pass, and every rule has both kinds")
    func examplesPass() {
        let result = PackTestRunner(pack: Fixtures.bundledPack).run()
        #expect(result.failures.map { "\($0.location): \($0.message)" } == [])
        #expect(result.rulesWithBothExamples == result.ruleCount)
        #expect(result.examplesRun >= 2 * result.ruleCount)
        #expect(result.casesRun > 0)
    }

    @Test("every rule names a clause of the pack and cites its basis")
    func rulesAreTraceable() {
        let pack = Fixtures.bundledPack
        for rule in pack.rules {
            #expect(pack.clause(rule.clause) != nil, "\(rule.id)")
            #expect(!rule.basis.isEmpty, "\(rule.id)")
        }
    }

    @Test("the decision rules of clause (九) are all there")
    func decisionRules() {
        let ids = Set(Fixtures.bundledPack.rules.map(\.id))
        for id in ["SX-09-EXECUTIVE-MEETING", "SX-09-LEGALITY-REVIEW", "SX-09-LEGALITY-REVIEW-TIME", "SX-09-PUBLIC-PARTICIPATION",
                   "SX-09-COMMENT-PERIOD", "SX-09-HEARING-NOTICE", "SX-09-EXPERT-REVIEW", "SX-09-RISK-ASSESSMENT",
                   "SX-09-DELIBERATION-RECORD", "SX-09-PARTY-REPORT", "SX-09-PUBLISH"] {
            #expect(ids.contains(id), "\(id)")
        }
    }

    @Test("a broken example fails `test` with that example's location")
    func brokenExampleIsLocated() throws {
        let directory = try Fixtures.copyOfBundledPack()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/rules/c09-decisions/SX-09-COMMENT-PERIOD.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Turn the first pass example's 31-day window into a 10-day one: it now breaks the rule.
        guard let range = text.range(of: "comment_end: \"2022-05-31\"") ?? text.range(of: "comment_end: 2022-05-31") else {
            Issue.record("the rule's pass example has changed; update this test")
            return
        }
        try text.replacingCharacters(in: range, with: "comment_end: \"2022-05-10\"").write(toFile: file, atomically: true, encoding: .utf8)
        let pack = try #require(PackCompiler.compile(directory: directory).pack)
        let result = PackTestRunner(pack: pack).run()
        let failure = try #require(result.failures.first)
        #expect(failure.ruleID == "SX-09-COMMENT-PERIOD")
        #expect(failure.location.file == file)
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        #expect(abs(failure.location.line - line) <= 3)
        #expect(failure.message.contains("was reported as a violation"))
    }

    @Test("a parameter override changes the outcome, and a bad one is a located error")
    func parameterOverrides() throws {
        func node(_ yaml: String) throws -> LocatedNode {
            guard case .success(let nodes) = YAMLSource(file: ".policycheck.yml", text: yaml).documents(), let first = nodes.first else {
                throw CancellationError()
            }
            return first
        }
        let name = Located("public_comment_min_days", at: SourceLocation(file: ".policycheck.yml", line: 2, column: 3))
        let good = PackCompiler.compile(directory: Fixtures.bundledPackPath,
                                        options: .init(parameterOverrides: [(name, try node("15"))]))
        #expect(good.pack?.parameters["public_comment_min_days"] == .number(15))

        let wrongType = PackCompiler.compile(directory: Fixtures.bundledPackPath,
                                             options: .init(parameterOverrides: [(name, try node("thirty"))]))
        #expect(wrongType.pack == nil)
        #expect(wrongType.diagnostics.contains { $0.code == .fieldType && $0.location?.file == ".policycheck.yml" })

        let wrongUnit = PackCompiler.compile(directory: Fixtures.bundledPackPath,
                                             options: .init(parameterOverrides: [(name, try node("{ value: 30, unit: workdays }"))]))
        #expect(wrongUnit.diagnostics.contains { $0.message.contains("measured in days") })

        let unknown = Located("public_coment_min_days", at: name.location)
        let misspelt = PackCompiler.compile(directory: Fixtures.bundledPackPath,
                                            options: .init(parameterOverrides: [(unknown, try node("30"))]))
        #expect(misspelt.diagnostics.first?.help == "did you mean `public_comment_min_days`?")
    }
}
