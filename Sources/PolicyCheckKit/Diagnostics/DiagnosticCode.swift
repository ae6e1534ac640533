/// A stable identifier of a kind of problem, printed in brackets after the message.
///
/// Codes never change meaning once released; tools and people search for them.
public struct DiagnosticCode: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    // Files and YAML
    public static let fileNotFound: DiagnosticCode = "file-not-found"
    public static let fileUnreadable: DiagnosticCode = "file-unreadable"
    public static let fileUnwritable: DiagnosticCode = "file-unwritable"
    public static let isDirectory: DiagnosticCode = "is-directory"
    public static let emptyFile: DiagnosticCode = "empty-file"
    public static let yamlSyntax: DiagnosticCode = "yaml-syntax"
    public static let jsonSyntax: DiagnosticCode = "json-syntax"
    public static let duplicateKey: DiagnosticCode = "duplicate-key"
    public static let unknownKey: DiagnosticCode = "unknown-key"
    public static let missingKey: DiagnosticCode = "missing-key"
    public static let wrongKind: DiagnosticCode = "wrong-kind"
    public static let invalidValue: DiagnosticCode = "invalid-value"
    public static let schemaVersion: DiagnosticCode = "schema-version"
    public static let inputTooLarge: DiagnosticCode = "input-too-large"

    // Packs
    public static let duplicateRule: DiagnosticCode = "duplicate-rule"
    public static let unknownClause: DiagnosticCode = "unknown-clause"
    public static let unknownSchema: DiagnosticCode = "unknown-schema"
    public static let unknownParameter: DiagnosticCode = "unknown-parameter"
    public static let unknownData: DiagnosticCode = "unknown-data"
    public static let missingExamples: DiagnosticCode = "missing-examples"
    public static let ruleLint: DiagnosticCode = "rule-lint"

    // Expressions
    public static let expressionSyntax: DiagnosticCode = "expression-syntax"
    public static let unknownName: DiagnosticCode = "unknown-name"
    public static let unknownField: DiagnosticCode = "unknown-field"
    public static let unknownFunction: DiagnosticCode = "unknown-function"
    public static let typeMismatch: DiagnosticCode = "type-mismatch"

    // Records
    public static let unknownRecordType: DiagnosticCode = "unknown-record-type"
    public static let missingField: DiagnosticCode = "missing-field"
    public static let fieldType: DiagnosticCode = "field-type"
    public static let notInEnum: DiagnosticCode = "not-in-enum"
    public static let unknownRecordField: DiagnosticCode = "unknown-record-field"

    // Configuration and usage
    public static let configuration: DiagnosticCode = "configuration"

    // Waivers and baselines
    public static let waiverExpired: DiagnosticCode = "waiver-expired"
    public static let waiverUnmatched: DiagnosticCode = "waiver-unmatched"
    public static let unknownRule: DiagnosticCode = "unknown-rule"
    public static let baselineFormat: DiagnosticCode = "baseline-format"
    public static let usage: DiagnosticCode = "usage"
}
