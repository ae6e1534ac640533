/// A per-record rule ready to run: its expressions planned into closures over the record's slots.
public struct CompiledRule: Sendable {
    public let id: String
    public let title: LocalizedText
    public let clause: String
    public let basis: String
    public let source: String
    public let appliesTo: String
    public let severity: Severity
    public let enabled: Bool
    public let location: SourceLocation
    /// The parameters the rule reads, in the order it names them.
    public let parameters: [String]
    /// Source text of the rule's expressions, for `rules show` and the handbook.
    public let whenText: String?
    public let requireText: String
    /// `let` names and their expressions as written.
    public let letTexts: [(name: String, expression: String)]
    public let examples: [RuleExample]

    let lets: [(slot: Int, evaluate: Evaluator)]
    let when: Evaluator?
    let require: Evaluator
    let messages: (zh: MessageTemplate, en: MessageTemplate)
    let localCount: Int
    let readPaths: [(path: String, evaluate: Evaluator)]
    let effectiveFrom: LocalDate?
    let effectiveTo: LocalDate?
    let dateField: Evaluator?
}

/// A pass or fail example that a rule carries, as a bound (partial) record.
public struct RuleExample: Sendable {
    public var record: Record
    public var expectsViolation: Bool
    public var location: SourceLocation
}

/// A case from the pack's `tests/` folder.
public struct CompiledTestCase: Sendable {
    public var name: String
    public var ruleID: String
    /// One record for a per-record rule; a group's worth for an aggregate rule.
    public var records: [Record]
    public var period: AuditPeriod?
    public var expectsViolation: Bool
    public var location: SourceLocation
}

/// What one rule says of one record.
public enum RuleOutcome: Sendable {
    case notApplicable
    case passed
    case violated(message: String, values: [(path: String, value: Value)])
    case notEvaluated(EvaluationError)
}
