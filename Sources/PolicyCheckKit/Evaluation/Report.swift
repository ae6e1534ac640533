/// Everything one run found: findings, input problems and counts, ready for a formatter.
public struct Report: Sendable {
    public struct Summary: Sendable, Codable, Equatable {
        public var records: Int
        public var violations: Int
        public var error: Int
        public var warning: Int
        public var info: Int
        public var waived: Int
        public var inputErrors: Int
    }

    public var toolVersion: String
    public var packID: String
    public var document: String
    public var recordCount: Int
    public var findings: [Finding]
    /// Problems that made a record unusable (exit 2); the other records were still checked.
    public var inputErrors: [Diagnostic]
    /// Problems worth telling that change nothing (an unknown field).
    public var inputWarnings: [Diagnostic]
    /// Set by `audit`: rows read, the period, findings by rule and by unit.
    public var audit: AuditSummary?
    /// The files the run was given, as named on the command line.
    public var inputFiles: [String] = []
    /// Every record checked, when the run kept them (`check` does; a batch audit of millions does not).
    public var checkedRecords: [RecordReference]?
    /// What waivers and a baseline did, set by `ReportGate`; nil when neither was used.
    public var gate: GateOutcome?
    /// The findings of an audit that wrote them out as it found them; `findings` then holds only the
    /// others (the aggregate rules'), and only streaming formats can print the report.
    public var spool: FindingSpool?

    public init(toolVersion: String, packID: String, document: String, recordCount: Int, findings: [Finding],
                inputErrors: [Diagnostic], inputWarnings: [Diagnostic]) {
        self.toolVersion = toolVersion
        self.packID = packID
        self.document = document
        self.recordCount = recordCount
        self.findings = findings.sorted(by: Report.order)
        self.inputErrors = inputErrors.sortedByLocation()
        self.inputWarnings = inputWarnings.sortedByLocation()
    }

    public var summary: Summary {
        // The findings held here and those spooled, counted the same way.
        var counts = spool?.counts ?? FindingSpool.Counts()
        for finding in findings { counts.add(finding) }
        return Summary(records: recordCount, violations: counts.count - counts.waived,
                       error: counts.openBySeverity[.error] ?? 0, warning: counts.openBySeverity[.warning] ?? 0,
                       info: counts.openBySeverity[.info] ?? 0, waived: counts.waived, inputErrors: inputErrors.count)
    }

    /// Exit status as CI expects: 2 when the check could not be completed, 1 for findings at or
    /// above `failOn`, 0 otherwise.
    public func exitCode(failOn: Severity) -> Int32 {
        if !inputErrors.isEmpty { return 2 }
        let spooledFails = spool?.counts.activeBySeverity.contains { $0.key >= failOn && $0.value > 0 } ?? false
        return spooledFails || findings.contains { Report.fails($0, failOn: failOn) } ? 1 : 0
    }

    /// Whether a finding makes the run fail at `failOn`: open, not in the baseline, severe enough.
    public static func fails(_ finding: Finding, failOn: Severity) -> Bool {
        finding.isActive && finding.severity >= failOn
    }

    /// Whether `finding` comes before one of rule `ruleID` at `location` in `order`.
    static func precedes(_ finding: Finding, _ location: SourceLocation, _ ruleID: String) -> Bool {
        guard let own = finding.location else { return false }
        return own != location ? own < location : finding.ruleID < ruleID
    }

    /// By file, position, then rule id: the order of the input, stable across runs.
    static func order(_ a: Finding, _ b: Finding) -> Bool {
        switch (a.location, b.location) {
        case let (l?, r?) where l != r: return l < r
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.ruleID < b.ruleID
        }
    }
}
