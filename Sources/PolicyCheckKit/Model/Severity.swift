/// How much a finding matters; `--fail-on` names the lowest severity that fails a run.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case error
    case warning
    case info

    var rank: Int {
        switch self {
        case .error: 3
        case .warning: 2
        case .info: 1
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
