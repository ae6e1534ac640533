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

    /// What evaluation needs, in one shared object: a record's rules are walked without copying their descriptions.
    let program: RuleProgram
    /// The record's top-level fields the rule reads.
    let fieldsRead: Set<String>

    var when: Evaluator? { program.when }
    var require: Evaluator { program.require }
    var localCount: Int { program.localCount }
    var guardField: (slot: Int, value: Value)? { program.guardField }

    init(id: String, title: LocalizedText, clause: String, basis: String, source: String, appliesTo: String,
         severity: Severity, enabled: Bool, location: SourceLocation, parameters: [String], whenText: String?,
         requireText: String, letTexts: [(name: String, expression: String)], examples: [RuleExample],
         when: Evaluator?, require: @escaping Evaluator, messages: (zh: MessageTemplate, en: MessageTemplate), localCount: Int,
         readPaths: [(path: String, evaluate: Evaluator)], effectiveFrom: LocalDate?, effectiveTo: LocalDate?,
         dateField: Evaluator?, guardField: (slot: Int, value: Value)?, fieldsRead: Set<String>) {
        self.id = id
        self.title = title
        self.clause = clause
        self.basis = basis
        self.source = source
        self.appliesTo = appliesTo
        self.severity = severity
        self.enabled = enabled
        self.location = location
        self.parameters = parameters
        self.whenText = whenText
        self.requireText = requireText
        self.letTexts = letTexts
        self.examples = examples
        self.fieldsRead = fieldsRead
        program = RuleProgram(id: id, clause: clause, severity: severity, when: when, require: require, messages: messages,
                              localCount: localCount, readPaths: readPaths, effectiveFrom: effectiveFrom,
                              effectiveTo: effectiveTo, dateField: dateField, guardField: guardField)
    }
}

/// The evaluation side of a per-record rule: immutable, shared by every worker.
final class RuleProgram: Sendable {
    let id: String
    let clause: String
    let severity: Severity
    let when: Evaluator?
    let require: Evaluator
    let messages: (zh: MessageTemplate, en: MessageTemplate)
    let localCount: Int
    let readPaths: [(path: String, evaluate: Evaluator)]
    let effectiveFrom: LocalDate?
    let effectiveTo: LocalDate?
    let dateField: Evaluator?
    /// When `when` starts with `field == 'constant'`: that field's slot and the constant, so the rule can be
    /// found through an index without running any closure.
    let guardField: (slot: Int, value: Value)?

    init(id: String, clause: String, severity: Severity, when: Evaluator?, require: @escaping Evaluator,
         messages: (zh: MessageTemplate, en: MessageTemplate), localCount: Int,
         readPaths: [(path: String, evaluate: Evaluator)], effectiveFrom: LocalDate?, effectiveTo: LocalDate?,
         dateField: Evaluator?, guardField: (slot: Int, value: Value)?) {
        self.id = id
        self.clause = clause
        self.severity = severity
        self.when = when
        self.require = require
        self.messages = messages
        self.localCount = localCount
        self.readPaths = readPaths
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.dateField = dateField
        self.guardField = guardField
    }
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
