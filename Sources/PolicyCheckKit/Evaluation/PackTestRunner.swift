/// Runs every rule's pass and fail examples and the pack's test cases: `policycheck test`.
public struct PackTestRunner: Sendable {
    public struct Failure: Sendable {
        public var ruleID: String
        public var location: SourceLocation
        public var message: String
    }

    public struct Result: Sendable {
        public var examplesRun = 0
        public var casesRun = 0
        public var rulesWithBothExamples = 0
        public var ruleCount = 0
        public var failures: [Failure] = []
        public var passed: Bool { failures.isEmpty }
    }

    public var pack: CompiledPack

    public init(pack: CompiledPack) { self.pack = pack }

    public func run(language: Language = .en) -> Result {
        let evaluator = RecordEvaluator(pack: pack, language: language)
        var result = Result()
        result.ruleCount = pack.rules.count
        for rule in pack.rules {
            let hasPass = rule.examples.contains { !$0.expectsViolation }
            let hasFail = rule.examples.contains { $0.expectsViolation }
            if hasPass && hasFail { result.rulesWithBothExamples += 1 }
            for example in rule.examples {
                result.examplesRun += 1
                if let problem = check(evaluator.outcome(of: rule, for: example.record), expectsViolation: example.expectsViolation) {
                    result.failures.append(Failure(ruleID: rule.id, location: example.location,
                                                   message: "\(example.expectsViolation ? "fail" : "pass") example of `\(rule.id)` \(problem)"))
                }
            }
        }
        result.ruleCount += pack.aggregateRules.count
        for rule in pack.aggregateRules {
            let hasPass = rule.examples.contains { !$0.expectsViolation }
            let hasFail = rule.examples.contains { $0.expectsViolation }
            if hasPass && hasFail { result.rulesWithBothExamples += 1 }
            for example in rule.examples {
                result.examplesRun += 1
                let findings = Self.findings(of: rule, records: example.records, period: example.period, language: language)
                if let problem = check(findings, expectsViolation: example.expectsViolation) {
                    result.failures.append(Failure(ruleID: rule.id, location: example.location,
                                                   message: "\(example.expectsViolation ? "fail" : "pass") example of `\(rule.id)` \(problem)"))
                }
            }
        }
        for test in pack.tests {
            let problem: String?
            if let rule = pack.rule(test.ruleID), let record = test.records.first {
                evaluator.period = test.period
                problem = check(evaluator.outcome(of: rule, for: record), expectsViolation: test.expectsViolation)
                evaluator.period = nil
            } else if let rule = pack.aggregateRules.first(where: { $0.id == test.ruleID }) {
                problem = check(Self.findings(of: rule, records: test.records, period: test.period, language: language),
                                expectsViolation: test.expectsViolation)
            } else {
                continue
            }
            result.casesRun += 1
            if let problem {
                result.failures.append(Failure(ruleID: test.ruleID, location: test.location,
                                               message: "test case \"\(test.name)\" of `\(test.ruleID)` \(problem)"))
            }
        }
        result.failures.sort { $0.location < $1.location }
        return result
    }

    static func findings(of rule: CompiledAggregateRule, records: [Record], period: AuditPeriod?,
                         language: Language) -> [Finding] {
        var accumulator = AggregateAccumulator(rules: [rule], period: period)
        accumulator.judgesRulesWithoutRecords = true
        for record in records { accumulator.add(record) }
        return accumulator.finish(period: period, language: language)
    }

    /// Nil when an aggregate rule's findings are what the example expects, else what happened instead.
    private func check(_ findings: [Finding], expectsViolation: Bool) -> String? {
        if let error = findings.first(where: { $0.kind == .notEvaluated }) {
            return "could not be evaluated: \(error.message)"
        }
        let violations = findings.filter { $0.kind == .violation }
        if expectsViolation { return violations.isEmpty ? "found no violation in any group" : nil }
        return violations.first.map { "was reported as a violation: \($0.message)" }
    }

    /// Nil when the outcome is what the example expects, else what happened instead.
    private func check(_ outcome: RuleOutcome, expectsViolation: Bool) -> String? {
        switch outcome {
        case .violated(let message, _):
            return expectsViolation ? nil : "was reported as a violation: \(message)"
        case .passed, .notApplicable:
            return expectsViolation ? "was not reported as a violation" : nil
        case .notEvaluated(let error):
            return "could not be evaluated: \(error.message)"
        }
    }
}
