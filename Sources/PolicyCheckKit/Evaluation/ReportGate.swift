/// What the waivers and the baseline did to a run, for every format to show.
public struct GateOutcome: Sendable {
    /// A waiver worth telling about: expired, or covering nothing.
    public struct WaiverNote: Sendable {
        public enum Kind: String, Sendable {
            case expired
            case unmatched
        }

        public var kind: Kind
        public var waiver: Waiver
        /// For an expired waiver, the findings it names that no other waiver covers: those that count again.
        public var matched: Int

        /// The note as a located warning pointing into the waivers file.
        public var diagnostic: Diagnostic {
            switch kind {
            case .expired:
                .warning(.waiverExpired,
                         "waiver for \(waiver.scopeDescription) expired on \(waiver.expires) and no longer applies"
                             + (matched > 0 ? " (\(matched) finding(s) it covered count again)" : ""),
                         at: waiver.location, help: "renew it with a new approval, or remove it")
            case .unmatched:
                .warning(.waiverUnmatched, "waiver for \(waiver.scopeDescription) matches no finding",
                         at: waiver.location, help: "remove it if the finding is fixed, or correct its rule, record or group")
            }
        }
    }

    public struct Waivers: Sendable {
        public var file: String
        /// Findings a waiver covers in this run.
        public var applied: Int
        public var notes: [WaiverNote]

        public var expired: [WaiverNote] { notes.filter { $0.kind == .expired } }
        public var unmatched: [WaiverNote] { notes.filter { $0.kind == .unmatched } }
    }

    public struct BaselineCounts: Sendable {
        public var file: String?
        /// Open findings the baseline did not hold: these fail the run.
        public var new: Int
        /// Open findings the baseline held.
        public var unchanged: Int
        /// Baseline entries no open finding matched any more.
        public var fixed: Int
    }

    public var waivers: Waivers?
    public var baseline: BaselineCounts?

    public init(waivers: Waivers? = nil, baseline: BaselineCounts? = nil) {
        self.waivers = waivers
        self.baseline = baseline
    }
}

/// Applies waivers and a baseline to a report: the one place either changes what fails a run,
/// used by every command and read by every format.
public struct ReportGate: Sendable {
    public var waivers: WaiverSet?
    public var baseline: Baseline?
    /// The day expiry is judged on.
    public var today: LocalDate

    public init(waivers: WaiverSet?, baseline: Baseline?, today: LocalDate) {
        self.waivers = waivers
        self.baseline = baseline
        self.today = today
    }

    /// The report with each finding marked waived (by the first unexpired waiver that covers it) and,
    /// when a baseline is given, new or unchanged; `gate` says what happened.
    ///
    /// - Complexity: O(findings × waivers) for the waivers, O(findings) for the baseline.
    public func apply(to report: Report) -> Report {
        var report = report
        var tally = tally()
        for index in report.findings.indices { tally.mark(&report.findings[index]) }
        report.gate = tally.outcome
        return report
    }

    /// A tally to mark findings one at a time, in report order, as an audit that streams them does.
    public func tally() -> GateTally { GateTally(gate: self) }
}

/// The gate applied finding by finding: what `ReportGate.apply(to:)` does to a whole report, for
/// findings that are written out as they are found and never held together.
public struct GateTally: Sendable {
    public let gate: ReportGate
    /// Per waiver: the findings it names, and those of an expired one that no other waiver covers.
    private var matched: [Int]
    private var uncovered: [Int]
    private var applied = 0
    private var remaining: [String: Int]
    private var new = 0
    private var unchanged = 0

    init(gate: ReportGate) {
        self.gate = gate
        let waiverCount = gate.waivers?.waivers.count ?? 0
        matched = Array(repeating: 0, count: waiverCount)
        uncovered = Array(repeating: 0, count: waiverCount)
        remaining = gate.baseline?.counts ?? [:]
    }

    /// Marks `finding` waived and, with a baseline, new or unchanged.
    public mutating func mark(_ finding: inout Finding) {
        finding.waived = nil
        finding.baselineState = nil
        if let waivers = gate.waivers {
            var expiredMatches: [Int] = []
            for (offset, waiver) in waivers.waivers.enumerated() where waiver.matches(finding) {
                matched[offset] += 1
                if waiver.isExpired(on: gate.today) {
                    expiredMatches.append(offset)
                } else if finding.waived == nil {
                    finding.waived = waiver
                    applied += 1
                }
            }
            if finding.waived == nil { for offset in expiredMatches { uncovered[offset] += 1 } }
        }
        // Waived findings are left out, as they are when a baseline is written.
        if gate.baseline != nil, finding.waived == nil {
            let fingerprint = finding.fingerprint
            if let left = remaining[fingerprint], left > 0 {
                remaining[fingerprint] = left - 1
                finding.baselineState = .unchanged
                unchanged += 1
            } else {
                finding.baselineState = .new
                new += 1
            }
        }
    }

    /// What the waivers and the baseline did to the findings marked so far; nil when neither is used.
    public var outcome: GateOutcome? {
        var outcome = GateOutcome()
        if let waivers = gate.waivers {
            var notes: [GateOutcome.WaiverNote] = []
            for (offset, waiver) in waivers.waivers.enumerated() {
                if waiver.isExpired(on: gate.today) {
                    // What the expiry changes: the findings it names that no other waiver covers.
                    notes.append(.init(kind: .expired, waiver: waiver, matched: uncovered[offset]))
                } else if matched[offset] == 0 {
                    notes.append(.init(kind: .unmatched, waiver: waiver, matched: 0))
                }
            }
            outcome.waivers = .init(file: waivers.file, applied: applied, notes: notes)
        }
        if let baseline = gate.baseline {
            outcome.baseline = .init(file: baseline.file, new: new, unchanged: unchanged,
                                     fixed: remaining.values.reduce(0, +))
        }
        return outcome.waivers == nil && outcome.baseline == nil ? nil : outcome
    }
}
