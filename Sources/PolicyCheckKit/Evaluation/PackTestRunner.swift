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
        for test in pack.tests {
            guard let rule = pack.rule(test.ruleID) else { continue }
            result.casesRun += 1
            if let problem = check(evaluator.outcome(of: rule, for: test.record), expectsViolation: test.expectsViolation) {
                result.failures.append(Failure(ruleID: rule.id, location: test.location,
                                               message: "test case \"\(test.name)\" of `\(rule.id)` \(problem)"))
            }
        }
        result.failures.sort { $0.location < $1.location }
        return result
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
