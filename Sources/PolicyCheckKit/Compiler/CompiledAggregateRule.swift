/// The measures an aggregate rule can take over a group's records.
public enum MeasureKind: String, Sendable, CaseIterable {
    case count
    case sum
    case min
    case max
    case avg
    case distinct
}

/// One measure of an aggregate rule: its per-record argument and the group-level slot it fills.
struct CompiledMeasure: Sendable {
    var kind: MeasureKind
    var argument: Evaluator?
    /// The argument as `ExpressionPrinter` prints it: measures with the same text measure the same thing.
    var argumentText: String?
    var slot: Int
}

/// Collects the measures met while planning an aggregate rule's group-level expressions.
final class MeasureCollector {
    let recordEnvironment: PlanningEnvironment
    var measures: [CompiledMeasure] = []
    var recordLocalCount = 0
    /// Record paths the measures' arguments read.
    var referencedPaths: [String] = []
    /// Whether a measure's argument names `period`.
    var readsPeriod = false

    init(recordEnvironment: PlanningEnvironment) {
        self.recordEnvironment = recordEnvironment
    }
}

/// An aggregate rule ready to run: per-record parts (filter, keys, measure arguments) over the
/// record's slots, group-level parts over the group's slots (keys, measures, `previous`, lets).
public struct CompiledAggregateRule: Sendable {
    public let id: String
    public let title: LocalizedText
    public let clause: String
    public let basis: String
    public let source: String
    public let appliesTo: String
    public let severity: Severity
    public let enabled: Bool
    public let location: SourceLocation
    public let parameters: [String]
    public let requireText: String
    /// `where`, `group_by`, `aggregate` and `let` as written, for the handbook.
    public let whereText: String?
    public let letTexts: [(name: String, expression: String)]
    public let keyNames: [String]
    /// The `group_by` expressions as written, in key order.
    let keyTexts: [String]
    public let examples: [AggregateExample]

    let filter: Evaluator?
    let keys: [Evaluator]
    let measures: [CompiledMeasure]
    let recordLocalCount: Int
    /// `aggregate:` entries, evaluated first for every group: they are what `previous` holds.
    let namedMeasures: [(name: String, slot: Int, evaluate: Evaluator)]
    let previous: (slot: Int, shape: ObjectShape, yearKey: Int)?
    let require: Evaluator
    let messages: (zh: MessageTemplate, en: MessageTemplate)
    let groupLocalCount: Int
    let expectGroups: [(key: Int, evaluate: Evaluator)]
    /// The record's top-level fields the rule reads.
    let fieldsRead: Set<String>
    /// Whether `where`, a key or a measure names `period`: then records can only be grouped once the period is known.
    let recordPartsReadPeriod: Bool

    /// What the per-record parts compute, as text: record type, `where`, the keys and the measures in order.
    /// Rules with the same signature put every record in the same group with the same measures, so they
    /// share one table of groups (`SX-17-THREE-PUBLIC-DECLINE` and `-FLAT` differ only in what they require).
    var recordSideSignature: String {
        ([appliesTo, whereText ?? ""] + zip(keyNames, keyTexts).map { "\($0)=\($1)" }
            + measures.map { "\($0.kind.rawValue)(\($0.argumentText ?? ""))" }).joined(separator: "\u{1F}")
    }
}

/// A pass or fail example of an aggregate rule: a set of records and the period they are audited for.
public struct AggregateExample: Sendable {
    public var records: [Record]
    public var period: AuditPeriod?
    public var expectsViolation: Bool
    public var location: SourceLocation
}
