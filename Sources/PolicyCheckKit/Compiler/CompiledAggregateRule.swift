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
}

/// A pass or fail example of an aggregate rule: a set of records and the period they are audited for.
public struct AggregateExample: Sendable {
    public var records: [Record]
    public var period: AuditPeriod?
    public var expectsViolation: Bool
    public var location: SourceLocation
}
