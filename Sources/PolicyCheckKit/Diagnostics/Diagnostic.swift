/// How serious a diagnostic is. Errors stop a pack from loading or mark an input as unusable;
/// warnings are reported and do not change the outcome.
public enum DiagnosticSeverity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: DiagnosticSeverity, rhs: DiagnosticSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// A problem found while reading a pack, a configuration or an input file.
///
/// Messages follow one style: lowercase, no final period, user input in backticks.
/// Advice that is not part of the problem goes to `help` ("did you mean `deliberation.body`?").
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    public var severity: DiagnosticSeverity
    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation?
    public var help: String?

    public init(
        _ severity: DiagnosticSeverity, _ code: DiagnosticCode, _ message: String,
        at location: SourceLocation?, help: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.help = help
    }

    public static func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, help: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, help: help)
    }

    public static func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, help: String? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, help: help)
    }

    /// `file:line:col: error: message [code]`, the first line of the rendered form.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message) [\(code.rawValue)]"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by location (unlocated first), then by message, so output is stable.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { lhs, rhs in
            switch (lhs.location, rhs.location) {
            case (nil, nil): return lhs.message < rhs.message
            case (nil, _): return true
            case (_, nil): return false
            case let (l?, r?): return l == r ? lhs.message < rhs.message : l < r
            }
        }
    }
}
