/// Where a finding's record came from.
public struct RecordReference: Sendable, Hashable {
    public var id: String
    public var type: String
    public var location: SourceLocation

    public init(id: String, type: String, location: SourceLocation) {
        self.id = id
        self.type = type
        self.location = location
    }
}

/// One rule broken by one record (or, for aggregate rules, one group), or a rule that could not
/// be evaluated for it.
public struct Finding: Sendable {
    public enum Kind: String, Sendable, Codable {
        /// `when` held and `require` did not.
        case violation
        /// The rule could not be evaluated (an absent field, a parameter not configured): never a silent pass.
        case notEvaluated = "not-evaluated"
    }

    public var ruleID: String
    public var severity: Severity
    public var clause: String
    public var kind: Kind
    public var message: String
    public var record: RecordReference?
    public var group: [(name: String, value: Value)]?
    /// The record's values the rule read, so tools see what was found, not only the message.
    public var values: [(path: String, value: Value)]
    /// The waiver that accepts this finding, set by `ReportGate`: a waived finding is reported and does not fail a run.
    public var waived: Waiver?
    /// Whether a baseline already held this finding, set by `ReportGate` when a baseline is in force.
    public var baselineState: BaselineState?
    /// Where a group's finding points: its first record (aggregate findings have no record of their own).
    public var groupLocation: SourceLocation?

    /// The place to show: the record's, or the group's first record's.
    public var location: SourceLocation? { record?.location ?? groupLocation }

    public init(ruleID: String, severity: Severity, clause: String, kind: Kind, message: String,
                record: RecordReference?, group: [(name: String, value: Value)]? = nil,
                values: [(path: String, value: Value)] = [], waived: Waiver? = nil, location: SourceLocation? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.clause = clause
        self.kind = kind
        self.message = message
        self.record = record
        self.group = group
        self.values = values
        self.waived = waived
        groupLocation = location
    }

    /// Whether the finding counts towards failing a run: neither waived nor already in the baseline.
    public var isActive: Bool { waived == nil && baselineState != .unchanged }
}

/// A finding compared with a baseline: new since it was written, or already in it.
public enum BaselineState: String, Sendable, Hashable, Codable {
    case new
    case unchanged
}
