/// The descriptive side of a rule of either kind.
public struct RuleSummary: Sendable {
    public var id: String
    public var title: LocalizedText
    public var clause: String
    public var basis: String
    public var source: String
    public var severity: Severity
    public var appliesTo: String
    public var isAggregate: Bool
    /// Whether the rule runs without `--enable-rule` (optional rules ship off).
    public var enabled: Bool
}

/// A rule pack compiled once and shared by every evaluation: immutable and `Sendable`.
public struct CompiledPack: Sendable {
    public let directory: String
    public let manifest: PackManifest
    public let schemas: [String: RecordSchema]
    public let rules: [CompiledRule]
    public let aggregateRules: [CompiledAggregateRule]
    public let tests: [CompiledTestCase]
    public let calendar: WorkingDayCalendar?
    public let data: [String: PlanningEnvironment.Constant]
    /// Parameter values in force (defaults with overrides applied).
    public let parameters: [String: Value]
    /// The parameter profile in force, if one was chosen.
    public let profile: String?
    /// Text of every pack file, for rendering diagnostics and the handbook.
    public let sources: [String: String]
    /// The bounds the pack was loaded under, which its evaluations and the readers of its records keep to.
    public let limits: ResourceLimits
    private let rulesBySchema: [String: [CompiledRule]]
    /// Per record type, the rules to run, found through their category guard; built once here, not per evaluator.
    let dispatch: [String: RuleDispatch]
    /// Rules of either kind by id, and what reports say of them: formats look one up per finding.
    private let ruleIndex: [String: Int]
    private let aggregateRuleIndex: [String: Int]
    private let summaries: [String: RuleSummary]
    /// The most local slots any per-record rule needs: the size of an evaluator's activation.
    let maxLocalCount: Int

    init(directory: String, manifest: PackManifest, schemas: [String: RecordSchema], rules: [CompiledRule],
         aggregateRules: [CompiledAggregateRule], tests: [CompiledTestCase], calendar: WorkingDayCalendar?, data: [String: PlanningEnvironment.Constant],
         parameters: [String: Value], profile: String?, sources: [String: String], limits: ResourceLimits = ResourceLimits()) {
        self.limits = limits
        self.profile = profile
        self.directory = directory
        self.manifest = manifest
        self.schemas = schemas
        self.rules = rules
        self.aggregateRules = aggregateRules
        self.tests = tests
        self.calendar = calendar
        self.data = data
        self.parameters = parameters
        self.sources = sources
        var bySchema: [String: [CompiledRule]] = [:]
        for rule in rules where rule.enabled { bySchema[rule.appliesTo, default: []].append(rule) }
        rulesBySchema = bySchema
        dispatch = RuleDispatch.tables(rules: bySchema)
        ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        aggregateRuleIndex = Dictionary(aggregateRules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var summaries: [String: RuleSummary] = [:]
        for rule in aggregateRules where summaries[rule.id] == nil {
            summaries[rule.id] = RuleSummary(id: rule.id, title: rule.title, clause: rule.clause, basis: rule.basis, source: rule.source,
                                             severity: rule.severity, appliesTo: rule.appliesTo, isAggregate: true, enabled: rule.enabled)
        }
        // A per-record rule wins over an aggregate rule of the same id, as `rule(_:)` is asked first.
        for rule in rules.reversed() {
            summaries[rule.id] = RuleSummary(id: rule.id, title: rule.title, clause: rule.clause, basis: rule.basis, source: rule.source,
                                             severity: rule.severity, appliesTo: rule.appliesTo, isAggregate: false, enabled: rule.enabled)
        }
        self.summaries = summaries
        maxLocalCount = rules.map(\.localCount).max() ?? 0
    }

    public func rule(_ id: String) -> CompiledRule? { ruleIndex[id].map { rules[$0] } }

    public func aggregateRule(_ id: String) -> CompiledAggregateRule? { aggregateRuleIndex[id].map { aggregateRules[$0] } }

    /// The top-level fields any enabled rule reads from records of `type` (and `id`, `unit`, which reports show).
    /// Readers of large batches may skip making text of the other fields.
    public func fieldsRead(by type: String) -> Set<String> {
        var fields: Set<String> = ["id", "unit"]
        for rule in rules where rule.enabled && rule.appliesTo == type { fields.formUnion(rule.fieldsRead) }
        for rule in aggregateRules where rule.enabled && rule.appliesTo == type { fields.formUnion(rule.fieldsRead) }
        return fields
    }

    /// What reports say of a rule of either kind.
    public func summary(of id: String) -> RuleSummary? { summaries[id] }

    /// Every rule of either kind, by id.
    public var allRuleSummaries: [RuleSummary] {
        (rules.map(\.id) + aggregateRules.map(\.id)).sorted().compactMap(summary(of:))
    }

    /// The enabled rules that apply to records of `type`, planned once when the pack compiles.
    public func rules(for type: String) -> [CompiledRule] {
        rulesBySchema[type] ?? []
    }

    public func clause(_ number: String) -> Clause? { manifest.clauses.first { $0.number == number } }
}

/// For one record type: the field most rules are guarded on (`category == '会议费'`) and, for each of its values,
/// the rules to run in pack order; records with any other value run only the unguarded rules.
struct RuleDispatch: Sendable {
    var slot: Int?
    var byValue: [Value: [RuleProgram]]
    var otherwise: [RuleProgram]

    static func tables(rules bySchema: [String: [CompiledRule]]) -> [String: RuleDispatch] {
        var tables: [String: RuleDispatch] = [:]
        for (type, compiled) in bySchema {
            let rules = compiled.map(\.program)
            var counts: [Int: Int] = [:]
            for rule in rules { if let slot = rule.guardField?.slot { counts[slot, default: 0] += 1 } }
            guard let slot = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key else {
                tables[type] = RuleDispatch(slot: nil, byValue: [:], otherwise: rules)
                continue
            }
            let values = Set(rules.compactMap { $0.guardField?.slot == slot ? $0.guardField?.value : nil })
            var byValue: [Value: [RuleProgram]] = [:]
            for value in values {
                byValue[value] = rules.filter { $0.guardField?.slot != slot || $0.guardField?.value == value }
            }
            tables[type] = RuleDispatch(slot: slot, byValue: byValue, otherwise: rules.filter { $0.guardField?.slot != slot })
        }
        return tables
    }
}
