import Foundation

/// Collects the groups and measures of a pack's aggregate rules, record by record, and turns
/// them into findings only in `finish`. Holds group state, never records: memory grows with the
/// number of groups (units × years), not with rows.
///
/// One accumulator per worker; `merge` combines them, in any order, to the same result.
public struct AggregateAccumulator {
    struct GroupState {
        var measures: [MeasureState]
        var firstLocation: SourceLocation?
    }

    enum MeasureState {
        case count(Int)
        case sum(Decimal)
        case extreme(Value?)
        case mean(Decimal, Int)
        case distinct(Set<Value>)
    }

    struct RuleErrors {
        var count = 0
        var first: (message: String, location: SourceLocation)?
    }

    public let rules: [CompiledAggregateRule]
    /// The period records were grouped under (nil: none was given, so rules that group by it cannot run).
    private let groupingPeriod: AuditPeriod?
    private var groups: [[[Value]: GroupState]]
    private var errors: [RuleErrors]
    /// The types records were read of: in an audit, a rule whose type had no record at all was not given its
    /// data, and is not judged (a spending audit says nothing of study sessions).
    private var typesSeen: Set<String> = []
    /// The type of the record last added and its tables: a batch is mostly of one type, so the tables are
    /// looked up again only when the type changes.
    private var lastType: String?
    private var lastTables: [Int] = []
    /// Set where the records are the whole of the data by construction (a rule's examples): every rule is judged.
    public var judgesRulesWithoutRecords = false
    private let activation: Activation
    /// Buffers reused record after record, so a record's key and measure values allocate nothing.
    private var scratchKey: [Value] = []
    private var scratchArguments: [Value] = []
    /// Rules whose per-record parts are the same (`where`, `group_by`, the measures' arguments) group
    /// records into one table: each rule's table, and the rule each table's parts are taken from.
    private let tableOfRule: [Int]
    /// The tables that records of each type go to.
    private let tablesByType: [String: [Int]]
    /// The per-record parts of each table, held apart so adding a record copies no rule.
    private let filters: [Evaluator?]
    private let keyEvaluators: [[Evaluator]]
    private let measurePlans: [[CompiledMeasure]]

    /// The evaluation steps each record's keys and measures, and each group's judgement, may take.
    private let steps: Int

    public init(rules: [CompiledAggregateRule], period: AuditPeriod?, steps: Int = ResourceLimits().evaluationSteps) {
        self.steps = steps
        self.rules = rules
        var tableOfRule: [Int] = []
        var tableRules: [Int] = []
        var tableBySignature: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            if let table = tableBySignature[rule.recordSideSignature] {
                tableOfRule.append(table)
            } else {
                tableBySignature[rule.recordSideSignature] = tableRules.count
                tableOfRule.append(tableRules.count)
                tableRules.append(index)
            }
        }
        self.tableOfRule = tableOfRule
        groups = Array(repeating: [:], count: tableRules.count)
        errors = Array(repeating: RuleErrors(), count: tableRules.count)
        activation = Activation(localCount: rules.map(\.recordLocalCount).max() ?? 0, budget: steps)
        activation.period = period?.value ?? .null
        groupingPeriod = period
        var byType: [String: [Int]] = [:]
        for (table, index) in tableRules.enumerated() { byType[rules[index].appliesTo, default: []].append(table) }
        tablesByType = byType
        filters = tableRules.map { rules[$0].filter }
        keyEvaluators = tableRules.map { rules[$0].keys }
        measurePlans = tableRules.map { rules[$0].measures }
    }

    public init(pack: CompiledPack, period: AuditPeriod?) {
        self.init(rules: pack.aggregateRules.filter(\.enabled), period: period, steps: pack.limits.evaluationSteps)
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// The numbers seen as a `year` key in any rule's groups: the span an audit covers when no period is given.
    public var yearsSeen: [Int] {
        var years = Set<Int>()
        for (index, rule) in rules.enumerated() {
            guard let key = rule.keyNames.firstIndex(of: "year") else { continue }
            for group in groups[tableOfRule[index]].keys {
                if case .number(let n) = group[key], let year = Int(exactly: NSDecimalNumber(decimal: n).intValue),
                   Decimal(year) == n { years.insert(year) }
            }
        }
        return years.sorted()
    }

    /// Adds a record to the groups of every aggregate rule for its type.
    /// - Complexity: O(tables × (keys + measures)) per record; one dictionary update per table.
    public mutating func add(_ record: Record) {
        if record.type != lastType {
            lastType = record.type
            lastTables = tablesByType[record.type] ?? []
            if !lastTables.isEmpty { typesSeen.insert(record.type) }
        }
        let indices = lastTables
        if indices.isEmpty { return }
        activation.reset(fields: record.value.fields)
        defer { activation.releaseFields() }
        for index in indices {
            do throws(EvaluationError) {
                if let filter = filters[index] {
                    guard case .bool(let keep) = try filter(activation) else {
                        throw EvaluationError(.noSuchOverload, "`where` is not a bool")
                    }
                    if !keep { continue }
                }
                let keys = keyEvaluators[index]
                scratchKey.removeAll(keepingCapacity: true)
                for evaluate in keys {
                    let value = try evaluate(activation)
                    if value.isNull { throw EvaluationError(.absent, "a `group_by` key is absent") }
                    scratchKey.append(value)
                }
                let measures = measurePlans[index]
                scratchArguments.removeAll(keepingCapacity: true)
                for measure in measures { scratchArguments.append(try measure.argument?(activation) ?? .null) }
                // One hash per record and rule: the group is updated where it lies, and its key copied only when new.
                let slot: Dictionary<[Value], GroupState>.Index
                if let found = groups[index].index(forKey: scratchKey) {
                    slot = found
                } else {
                    groups[index][scratchKey] = GroupState(measures: measures.map(Self.initialState), firstLocation: record.location)
                    slot = groups[index].index(forKey: scratchKey)!
                }
                for offset in measures.indices {
                    try Self.add(scratchArguments[offset], kind: measures[offset].kind, to: &groups[index].values[slot].measures[offset])
                }
                if let first = groups[index].values[slot].firstLocation, record.location < first {
                    groups[index].values[slot].firstLocation = record.location
                }
            } catch {
                errors[index].count += 1
                if errors[index].first == nil || record.location < (errors[index].first?.location ?? record.location) {
                    errors[index].first = (error.message, record.location)
                }
            }
        }
    }

    /// Combines another worker's groups into these.
    public mutating func merge(_ other: AggregateAccumulator) {
        typesSeen.formUnion(other.typesSeen)
        for index in groups.indices {
            for (key, state) in other.groups[index] {
                if var mine = groups[index][key] {
                    for offset in mine.measures.indices {
                        mine.measures[offset] = Self.combine(mine.measures[offset], state.measures[offset],
                                                             kind: measurePlans[index][offset].kind)
                    }
                    switch (mine.firstLocation, state.firstLocation) {
                    case let (a?, b?) where b < a: mine.firstLocation = b
                    case (nil, let b): mine.firstLocation = b
                    default: break
                    }
                    groups[index][key] = mine
                } else {
                    groups[index][key] = state
                }
            }
            let theirs = other.errors[index]
            errors[index].count += theirs.count
            if let first = theirs.first, errors[index].first.map({ first.location < $0.location }) ?? true {
                errors[index].first = first
            }
        }
    }

    // MARK: - Measures

    private static func initialState(_ measure: CompiledMeasure) -> MeasureState {
        switch measure.kind {
        case .count: .count(0)
        case .sum: .sum(0)
        case .min, .max: .extreme(nil)
        case .avg: .mean(0, 0)
        case .distinct: .distinct([])
        }
    }

    private static func add(_ value: Value, kind: MeasureKind, to state: inout MeasureState) throws(EvaluationError) {
        if kind == .count, case .count(let n) = state {
            state = .count(n + 1)
            return
        }
        if value.isNull { return }
        switch state {
        case .sum(let total):
            guard case .number(let n) = value else { throw .overload("sum", value) }
            state = .sum(ExactDecimal.sum(total, n))
        case .mean(let total, let count):
            guard case .number(let n) = value else { throw .overload("avg", value) }
            state = .mean(ExactDecimal.sum(total, n), count + 1)
        case .extreme(let current):
            guard let current else {
                state = .extreme(value)
                return
            }
            let order = try Operators.compare(kind.rawValue, value, current)
            if (kind == .min && order < 0) || (kind == .max && order > 0) { state = .extreme(value) }
        case .distinct(var set):
            set.insert(value)
            state = .distinct(set)
        case .count:
            break
        }
    }

    private static func combine(_ a: MeasureState, _ b: MeasureState, kind: MeasureKind) -> MeasureState {
        switch (a, b) {
        case let (.count(x), .count(y)): return .count(x + y)
        case let (.sum(x), .sum(y)): return .sum(ExactDecimal.sum(x, y))
        case let (.mean(x, m), .mean(y, n)): return .mean(ExactDecimal.sum(x, y), m + n)
        case let (.distinct(x), .distinct(y)): return .distinct(x.union(y))
        case let (.extreme(x), .extreme(y)):
            guard let x else { return .extreme(y) }
            guard let y else { return .extreme(x) }
            let order = (try? Operators.compare(kind.rawValue, y, x)) ?? 0
            return .extreme((kind == .min && order < 0) || (kind == .max && order > 0) ? y : x)
        default: return a
        }
    }

    private static func finished(_ state: MeasureState) -> Value {
        switch state {
        case .count(let n): .number(n)
        case .sum(let total): .number(total)
        case .extreme(let value): value ?? .null
        case let .mean(total, count): count == 0 ? .null : .number(total / Decimal(count))
        case .distinct(let set): .number(set.count)
        }
    }

    // MARK: - Findings

    /// The findings of every rule over every group, the expected groups included.
    public func finish(period: AuditPeriod?, language: Language) -> [Finding] {
        var findings: [Finding] = []
        for (index, rule) in rules.enumerated() where judgesRulesWithoutRecords || typesSeen.contains(rule.appliesTo) {
            findings += finish(rule, groups: groups[tableOfRule[index]], errors: errors[tableOfRule[index]], period: period, language: language)
        }
        return findings
    }

    private func finish(_ rule: CompiledAggregateRule, groups: [[Value]: GroupState], errors: RuleErrors,
                        period: AuditPeriod?, language: Language) -> [Finding] {
        var findings: [Finding] = []
        let zh = language == .zh
        if rule.recordPartsReadPeriod, groupingPeriod == nil {
            // Its records are counted against the period, which was not known while they were read.
            let message = zh ? "无法判定：本规则按审计期间统计记录，请用 --period 指定审计期间"
                             : "cannot evaluate: this rule counts records against the audit period; give it with --period"
            return [Finding(ruleID: rule.id, severity: .info, clause: rule.clause, kind: .notEvaluated, message: message,
                            record: nil)]
        }
        if errors.count > 0, let first = errors.first {
            let message = zh
                ? "\(errors.count) 条记录无法分组或计量，首条：\(first.message)"
                : "\(errors.count) record(s) could not be grouped or measured; first: \(first.message)"
            findings.append(Finding(ruleID: rule.id, severity: .info, clause: rule.clause, kind: .notEvaluated,
                                    message: message, record: nil, location: first.location))
        }
        let group = Activation(localCount: rule.groupLocalCount, budget: steps)
        group.period = period?.value ?? .null
        var all = groups
        // Groups that must exist even with no record: the cross product of the expected keys.
        if !rule.expectGroups.isEmpty {
            do throws(EvaluationError) {
                var lists: [[Value]] = Array(repeating: [], count: rule.keys.count)
                var constrained = Array(repeating: false, count: rule.keys.count)
                for (key, evaluate) in rule.expectGroups {
                    let value = try evaluate(group)
                    guard case .list(let items) = value else {
                        throw absence(value, "expect_groups.\(rule.keyNames[key])") ?? .overload("expect_groups", value)
                    }
                    lists[key] = items
                    constrained[key] = true
                }
                if constrained.allSatisfy({ $0 }) {
                    var combinations: [[Value]] = [[]]
                    for list in lists { combinations = combinations.flatMap { prefix in list.map { prefix + [$0] } } }
                    for key in combinations where all[key] == nil {
                        all[key] = GroupState(measures: rule.measures.map(Self.initialState), firstLocation: nil)
                    }
                }
            } catch {
                let message = zh ? "无法确定应有的分组：\(error.message)" : "cannot list the expected groups: \(error.message)"
                findings.append(Finding(ruleID: rule.id, severity: .info, clause: rule.clause, kind: .notEvaluated,
                                        message: message, record: nil))
            }
        }
        let keys = all.keys.sorted(by: Self.keyOrder)
        // First pass: the named measures of every group, which `previous` reads.
        var summaries: [[Value]: [Value]] = [:]
        for key in keys {
            guard let state = all[key] else { continue }
            load(key, state, rule, into: group)
            summaries[key] = rule.namedMeasures.map { measure in (try? measure.evaluate(group)) ?? .null }
        }
        let yearKey = rule.keyNames.firstIndex(of: "year")
        for key in keys {
            guard let state = all[key] else { continue }
            // Groups of years outside the period are read (they are `previous` of the first year) but not judged.
            if let period, let yearKey, case .number(let year) = key[yearKey],
               year < Decimal(period.startYear) || year > Decimal(period.endYear) { continue }
            load(key, state, rule, into: group)
            for (offset, measure) in rule.namedMeasures.enumerated() {
                group.locals[measure.slot] = summaries[key]?[offset] ?? .null
                group.localErrors[measure.slot] = nil
            }
            var previousValue = Value.null
            if let previous = rule.previous, case .number(let year) = key[previous.yearKey] {
                var earlier = key
                earlier[previous.yearKey] = .number(year - 1)
                if let summary = summaries[earlier] {
                    previousValue = .object(ObjectValue(shape: previous.shape, fields: earlier + summary))
                }
                group.locals[previous.slot] = previousValue
                group.localErrors[previous.slot] = nil
            }
            group.invalidateLets()
            let groupValues = zip(rule.keyNames, key).map { (name: $0, value: $1) }
            do throws(EvaluationError) {
                let outcome = try rule.require(group)
                guard case .bool(let ok) = outcome else { throw absence(outcome, "require") ?? .overload("require", outcome) }
                if ok { continue }
                let message = (zh ? rule.messages.zh : rule.messages.en).render(group, language: language)
                var values = rule.namedMeasures.enumerated().map { (path: $1.name, value: summaries[key]?[$0] ?? Value.null) }
                if case .object(let previous) = previousValue {
                    for measure in rule.namedMeasures { values.append((path: "previous.\(measure.name)", value: previous[measure.name] ?? .null)) }
                }
                findings.append(Finding(ruleID: rule.id, severity: rule.severity, clause: rule.clause, kind: .violation,
                                        message: message, record: nil, group: groupValues, values: values,
                                        location: state.firstLocation))
            } catch {
                let message = zh ? "无法判定：\(error.message)" : "cannot evaluate: \(error.message)"
                findings.append(Finding(ruleID: rule.id, severity: .info, clause: rule.clause, kind: .notEvaluated,
                                        message: message, record: nil, group: groupValues, location: state.firstLocation))
            }
        }
        return findings
    }

    private func load(_ key: [Value], _ state: GroupState, _ rule: CompiledAggregateRule, into group: Activation) {
        for (offset, value) in key.enumerated() {
            group.locals[offset] = value
            group.localErrors[offset] = nil
        }
        for (offset, measure) in rule.measures.enumerated() {
            group.locals[measure.slot] = Self.finished(state.measures[offset])
            group.localErrors[measure.slot] = nil
        }
    }

    static func keyOrder(_ a: [Value], _ b: [Value]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            if let order = try? Operators.compare("<", x, y) { return order < 0 }
            return x.literalDescription < y.literalDescription
        }
        return a.count < b.count
    }
}
