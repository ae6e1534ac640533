import Foundation

/// Runs a compiled pack's per-record rules over records.
///
/// Holds one `Activation`, reused for every record, so a worker allocates nothing per rule
/// beyond the findings it reports. Not shared between threads: make one per worker.
public final class RecordEvaluator {
    public let pack: CompiledPack
    public let language: Language
    private let activation: Activation
    /// The dispatch table of the record type last evaluated.
    private var dispatchType: String?
    private var dispatchTable: RuleDispatch?
    /// Texts records' rules were found by, with those rules: a batch has a handful of categories, and an audit
    /// binds each one as the same string row after row. A string with the very same bits as one kept here (the
    /// same storage, kept alive by this list, or the same short text held inline) is the same text, and its
    /// rules are found without hashing it.
    private var dispatchedTexts: [(text: String, rules: [RuleProgram])] = []
    private static let dispatchedTextLimit = 16
    /// The audit period, read by rules as `period`; nil outside an audit.
    public var period: AuditPeriod? {
        didSet { activation.period = period?.value ?? .null }
    }

    public init(pack: CompiledPack, language: Language = .zh, period: AuditPeriod? = nil) {
        self.pack = pack
        self.language = language
        activation = Activation(localCount: pack.maxLocalCount, budget: pack.limits.evaluationSteps)
        self.period = period
        activation.period = period?.value ?? .null
    }

    /// The findings of every enabled rule for `record`, in rule order.
    /// - Complexity: O(rules × expression size) per record; no parsing, no field lookup by name.
    public func evaluate(_ record: Record) -> [Finding] {
        var findings: [Finding] = []
        activation.reset(fields: record.value.fields)
        defer { activation.releaseFields() }
        // A batch is mostly of one type: its table is looked up again only when the type changes.
        if record.type != dispatchType {
            dispatchType = record.type
            dispatchTable = pack.dispatch[record.type]
            dispatchedTexts.removeAll()
        }
        let table = dispatchTable
        let candidates: [RuleProgram]
        if let table, let slot = table.slot {
            let key = record.value.fields[slot]
            if case .string(let text) = key {
                if let known = dispatchedTexts.first(where: { Self.sameBits(text, $0.text) }) {
                    candidates = known.rules
                } else {
                    candidates = table.byValue[key] ?? table.otherwise
                    if dispatchedTexts.count < Self.dispatchedTextLimit { dispatchedTexts.append((text, candidates)) }
                }
            } else {
                candidates = table.byValue[key] ?? table.otherwise
            }
        } else {
            candidates = table?.otherwise ?? []
        }
        for rule in candidates {
            switch outcomeOfLoadedRecord(rule) {
            case .notApplicable, .passed:
                continue
            case let .violated(message, values):
                findings.append(Finding(ruleID: rule.id, severity: rule.severity, clause: rule.clause, kind: .violation,
                                        message: message, record: record.reference, values: values))
            case .notEvaluated(let error):
                let message = language == .zh ? "无法判定：\(error.message)" : "cannot evaluate: \(error.message)"
                findings.append(Finding(ruleID: rule.id, severity: .info, clause: rule.clause, kind: .notEvaluated,
                                        message: message, record: record.reference, values: []))
            }
        }
        return findings
    }

    /// Whether two strings are one value bit for bit: then they hold the same text (the converse need not hold).
    private static func sameBits(_ a: String, _ b: String) -> Bool {
        withUnsafeBytes(of: a) { a in withUnsafeBytes(of: b) { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }

    /// What one rule says of one record (the rule need not be enabled: `policycheck test` runs them all).
    public func outcome(of rule: CompiledRule, for record: Record) -> RuleOutcome {
        activation.reset(fields: record.value.fields)
        return outcomeOfLoadedRecord(rule.program)
    }

    /// The outcome for the record already in the activation.
    private func outcomeOfLoadedRecord(_ rule: RuleProgram) -> RuleOutcome {
        let a = activation
        a.invalidateLets()
        a.budget = a.initialBudget
        a.ensureLocals(rule.localCount)
        // `let` values are computed lazily, so a rule whose `when` is false costs only its `when`.
        if let dateField = rule.dateField, rule.effectiveFrom != nil || rule.effectiveTo != nil,
           case .date(let date)? = try? dateField(a) {
            if let from = rule.effectiveFrom, date < from { return .notApplicable }
            if let to = rule.effectiveTo, date > to { return .notApplicable }
        }
        do throws(EvaluationError) {
            if let when = rule.when {
                let applies = try when(a)
                guard case .bool(let b) = applies else { throw absence(applies, "when") ?? .overload("when", applies) }
                if !b { return .notApplicable }
            }
            let satisfied = try rule.require(a)
            guard case .bool(let ok) = satisfied else {
                throw absence(satisfied, "require") ?? .overload("require", satisfied)
            }
            if ok { return .passed }
        } catch {
            return .notEvaluated(error)
        }
        let template = language == .zh ? rule.messages.zh : rule.messages.en
        let message = template.render(a, language: language)
        // Typed as the outcome's labelled pairs from the start: an unlabelled tuple array was cast element by element.
        let values: [(path: String, value: Value)] = rule.readPaths.map { path in (path.path, (try? path.evaluate(a)) ?? .null) }
        return .violated(message: message, values: values)
    }
}
