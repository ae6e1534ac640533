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

@Suite("The bundled pack's documents and profiles")
struct BundledPackDocumentTests {
    @Test("docs/handbook.md is the handbook the rules generate today")
    func handbookIsCurrent() throws {
        let committed = try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/handbook.md", encoding: .utf8)
        let generated = HandbookWriter(pack: Fixtures.bundledPack).markdown()
        #expect(committed == generated, "run: policycheck rules doc -o docs/handbook.md")
    }

    @Test("the zhejiang-shaoxing profile leaves unknown local tables not configured; an unknown profile is an error")
    func profiles() throws {
        let profile = Located("zhejiang-shaoxing", at: SourceLocation(file: ".policycheck.yml", line: 1, column: 10))
        let local = try #require(PackCompiler.compile(directory: Fixtures.bundledPackPath, options: .init(profile: profile)).pack)
        #expect(local.parameters["meeting_caps"] == .null)
        #expect(local.parameters["audit_cycle_years"] == .number(5))
        #expect(Fixtures.bundledPack.parameters["meeting_caps"] != .null)
        let record = """
            type: expense
            id: X
            unit: 绍兴市财政局
            date: 2024-03-01
            category: 会议费
            amount: 99999
            meeting_class: 三类
            start_on: 2024-03-01
            end_on: 2024-03-01
            delegates: 10
            staff: 1
            """
        let findings = RecordCheck(pack: local, language: .en)
            .run([.init(file: "x.yaml", text: .success(record))]).findings.filter { $0.ruleID == "SX-17-MEETING-COST-CAP" }
        #expect(findings.map(\.kind) == [.notEvaluated])
        #expect(findings.first?.severity == .info)
        #expect(findings.first?.message.contains("`meeting_caps` is not configured") == true)

        let unknown = PackCompiler.compile(directory: Fixtures.bundledPackPath,
                                           options: .init(profile: Located("zhejiang", at: profile.location)))
        #expect(unknown.pack == nil)
        #expect(unknown.diagnostics.first?.help == "profiles: central-default, zhejiang-shaoxing")
    }

    @Test("the coverage table lists all 17 clauses, and every rule names one of them")
    func coverage() {
        let table = CoverageTable(pack: Fixtures.bundledPack)
        #expect(table.rows.count == 17)
        let listed = Set(table.rows.flatMap(\.rules))
        #expect(listed == Set(Fixtures.bundledPack.allRuleSummaries.map(\.id)))
        #expect(table.rows.filter { $0.status != .encoded }.allSatisfy { !$0.manual.isEmpty })
    }
}
