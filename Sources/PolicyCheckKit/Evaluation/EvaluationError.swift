/// Why an expression could not produce a value for a record.
///
/// An evaluation error is data: it is attached to the rule and the record, reported
/// as "not evaluated", and the other rules and records keep running.
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case noSuchOverload = "no-such-overload"
        case divisionByZero = "division-by-zero"
        case noSuchKey = "no-such-key"
        case indexOutOfRange = "index-out-of-range"
        case absent = "absent"
        case notConfigured = "not-configured"
        case outsideCalendar = "outside-calendar"
        case invalidArgument = "invalid-argument"
        case limitExceeded = "limit-exceeded"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func overload(_ function: String, _ values: Value...) -> EvaluationError {
        EvaluationError(.noSuchOverload,
                        "no such overload: `\(function)` on \(values.map(\.typeName).joined(separator: " and "))")
    }
}
