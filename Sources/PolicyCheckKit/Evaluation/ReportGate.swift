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
        var findings = report.findings
        var outcome = GateOutcome()
        for index in findings.indices {
            findings[index].waived = nil
            findings[index].baselineState = nil
        }
        if let waivers {
            var matched = [[Int]](repeating: [], count: waivers.waivers.count)
            var applied = 0
            for index in findings.indices {
                for (offset, waiver) in waivers.waivers.enumerated() where waiver.matches(findings[index]) {
                    matched[offset].append(index)
                    if findings[index].waived == nil, !waiver.isExpired(on: today) {
                        findings[index].waived = waiver
                        applied += 1
                    }
                }
            }
            var notes: [GateOutcome.WaiverNote] = []
            for (offset, waiver) in waivers.waivers.enumerated() {
                if waiver.isExpired(on: today) {
                    // What the expiry changes: the findings it names that no other waiver covers.
                    let uncovered = matched[offset].filter { findings[$0].waived == nil }.count
                    notes.append(.init(kind: .expired, waiver: waiver, matched: uncovered))
                } else if matched[offset].isEmpty {
                    notes.append(.init(kind: .unmatched, waiver: waiver, matched: 0))
                }
            }
            outcome.waivers = .init(file: waivers.file, applied: applied, notes: notes)
        }
        if let baseline {
            var remaining = baseline.counts
            var new = 0
            var unchanged = 0
            // Waived findings are left out, as they are when a baseline is written.
            for index in findings.indices where findings[index].waived == nil {
                let fingerprint = findings[index].fingerprint
                if let left = remaining[fingerprint], left > 0 {
                    remaining[fingerprint] = left - 1
                    findings[index].baselineState = .unchanged
                    unchanged += 1
                } else {
                    findings[index].baselineState = .new
                    new += 1
                }
            }
            outcome.baseline = .init(file: baseline.file, new: new, unchanged: unchanged,
                                     fixed: remaining.values.reduce(0, +))
        }
        report.findings = findings
        report.gate = outcome.waivers == nil && outcome.baseline == nil ? nil : outcome
        return report
    }
}
