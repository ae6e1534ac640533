import Foundation

/// The JSON report of DESIGN.md, a contract other tools parse: keys sorted, no timestamps.
public struct JSONFormatter: ReportFormatter {
    public static let identifier = "json"

    public init() {}

    struct Document: Encodable {
        struct Tool: Encodable { var name: String; var version: String }
        struct Pack: Encodable { var id: String; var document: String }
        struct Source: Encodable { var file: String; var line: Int; var column: Int }
        struct RecordRef: Encodable { var id: String; var type: String; var source: Source }
        struct Violation: Encodable {
            var rule: String
            var severity: String
            var clause: String
            var kind: String
            var message: String
            var record: RecordRef?
            /// For an aggregate finding: where its group's first record is.
            var source: Source?
            var group: JSONValue?
            var values: JSONValue
            var waived: JSONValue?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(rule, forKey: .rule)
                try c.encode(severity, forKey: .severity)
                try c.encode(clause, forKey: .clause)
                try c.encode(kind, forKey: .kind)
                try c.encode(message, forKey: .message)
                try c.encode(record, forKey: .record)  // null, not absent, for aggregate findings
                try c.encodeIfPresent(source, forKey: .source)
                try c.encode(group, forKey: .group)
                try c.encode(values, forKey: .values)
                try c.encode(waived, forKey: .waived)
            }
            enum CodingKeys: String, CodingKey { case rule, severity, clause, kind, message, record, source, group, values, waived }
        }
        struct InputProblem: Encodable {
            var file: String?
            var line: Int?
            var column: Int?
            var message: String
            var code: String
            var help: String?
        }
        var tool: Tool
        var pack: Pack
        var summary: Report.Summary
        var violations: [Violation]
        var inputErrors: [InputProblem]
        var inputWarnings: [InputProblem]
        var audit: AuditSummary?
    }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let document = Document(
            tool: .init(name: "policycheck", version: report.toolVersion),
            pack: .init(id: report.packID, document: report.document),
            summary: report.summary,
            violations: report.findings.map { finding in
                Document.Violation(
                    rule: finding.ruleID, severity: finding.severity.rawValue, clause: finding.clause,
                    kind: finding.kind.rawValue, message: finding.message,
                    record: finding.record.map { .init(id: $0.id, type: $0.type, source: .init(file: $0.location.file, line: $0.location.line, column: $0.location.column)) },
                    source: finding.record == nil ? finding.groupLocation.map { .init(file: $0.file, line: $0.line, column: $0.column) } : nil,
                    group: finding.group.map { JSONValue.object($0.map { ($0.name, JSONValue($0.value)) }) },
                    values: .object(finding.values.map { ($0.path, JSONValue($0.value)) }),
                    waived: finding.waived.map { .string($0) })
            },
            inputErrors: report.inputErrors.map(Self.problem),
            inputWarnings: report.inputWarnings.map(Self.problem),
            audit: report.audit)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(document)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func problem(_ diagnostic: Diagnostic) -> Document.InputProblem {
        Document.InputProblem(file: diagnostic.location?.file, line: diagnostic.location?.line,
                              column: diagnostic.location?.column, message: diagnostic.message,
                              code: diagnostic.code.rawValue, help: diagnostic.help)
    }
}

/// A value as JSON: decimals as numbers, dates as `"YYYY-MM-DD"`.
public enum JSONValue: Encodable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .date(let d): self = .string(d.description)
        case .list(let items): self = .array(items.map(JSONValue.init))
        case .map(let map):
            self = .object(map.pairs.map { pair in
                let key: String = if case .string(let s) = pair.key { s } else { pair.key.literalDescription }
                return (key, JSONValue(pair.value))
            })
        case .object(let object):
            self = .object(zip(object.shape.fieldNames, object.fields).filter { !$0.1.isNull }.map { ($0.0, JSONValue($0.1)) })
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let n):
            var c = encoder.singleValueContainer()
            try c.encode(n)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in pairs { try c.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
