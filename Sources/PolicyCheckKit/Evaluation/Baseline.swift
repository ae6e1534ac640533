import Foundation

/// The open findings of one day, by fingerprint, so that a later run fails only on new ones.
///
/// A fingerprint is the SHA-256 of the rule, the record (type and id) or the group, the kind of
/// finding and the values the rule read from the record: moving a record in its file, reordering
/// files or changing the report's language keeps it; changing what the rule looked at makes the
/// finding new. Equal fingerprints are counted, so two identical findings need two entries.
public struct Baseline: Sendable {
    /// One fingerprint with what it is about, so that a reviewer can read the file.
    public struct Entry: Sendable {
        public var fingerprint: String
        public var rule: String
        public var record: String?
        public var group: [(name: String, value: JSONValue)]?
        public var count: Int

        public init(fingerprint: String, rule: String, record: String?, group: [(name: String, value: JSONValue)]?, count: Int) {
            self.fingerprint = fingerprint
            self.rule = rule
            self.record = record
            self.group = group
            self.count = count
        }
    }

    public static let schemaVersion = 1

    /// Where the baseline was read from; nil for one just made.
    public var file: String?
    public var packID: String
    public var entries: [Entry]

    public init(file: String? = nil, packID: String, entries: [Entry]) {
        self.file = file
        self.packID = packID
        self.entries = entries
    }

    /// The report's open findings, those no waiver covers: a waiver that expires later makes its finding fail again.
    public init(recording report: Report) {
        var byFingerprint: [String: Entry] = [:]
        for finding in report.findings where finding.waived == nil {
            let fingerprint = finding.fingerprint
            if byFingerprint[fingerprint] != nil {
                byFingerprint[fingerprint]?.count += 1
            } else {
                byFingerprint[fingerprint] = Entry(
                    fingerprint: fingerprint, rule: finding.ruleID, record: finding.record?.id,
                    group: finding.group?.map { (name: $0.name, value: JSONValue($0.value)) }, count: 1)
            }
        }
        self.init(packID: report.packID, entries: byFingerprint.values.sorted { a, b in
            (a.rule, a.record ?? "", a.fingerprint) < (b.rule, b.record ?? "", b.fingerprint)
        })
    }

    /// How many findings each fingerprint stands for.
    public var counts: [String: Int] {
        entries.reduce(into: [:]) { $0[$1.fingerprint, default: 0] += $1.count }
    }

    /// The baseline file: JSON with sorted keys and no timestamps, so that it diffs well in review.
    public func encoded() throws -> String {
        struct File: Encodable {
            struct Item: Encodable {
                var fingerprint: String
                var rule: String
                var record: String?
                var group: JSONValue?
                var count: Int
            }
            var schema_version: Int
            var tool: String
            var pack: String
            var findings: [Item]
        }
        let file = File(schema_version: Self.schemaVersion, tool: "policycheck", pack: packID, findings: entries.map { entry in
            File.Item(fingerprint: entry.fingerprint, rule: entry.rule, record: entry.record,
                      group: entry.group.map { JSONValue.object($0.map { ($0.name, $0.value) }) }, count: entry.count)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(file), as: UTF8.self) + "\n"
    }
}

extension Finding {
    /// A stable identity of the finding that survives moved lines and a change of language.
    ///
    /// - Complexity: O(size of `values`), one SHA-256 over a short text.
    public var fingerprint: String {
        var text = "policycheck-finding-v1\n\(ruleID)\n\(kind.rawValue)\n"
        if let record { text += "record\t\(record.type)\t\(record.id)\n" }
        if let group {
            text += "group\t" + group.map { "\($0.name)=\(JSONValue($0.value).canonicalText)" }.joined(separator: "\t") + "\n"
        }
        for (path, value) in values.sorted(by: { $0.path < $1.path }) {
            text += "\(path)=\(JSONValue(value).canonicalText)\n"
        }
        return SHA256.hex(text)
    }
}

extension JSONValue {
    /// One spelling of a value, whatever order its map keys came in: the input of fingerprints.
    var canonicalText: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return "\(number)"
        case .string(let text): return Self.quoted(text)
        case .array(let items): return "[" + items.map(\.canonicalText).joined(separator: ",") + "]"
        case .object(let pairs):
            return "{" + pairs.sorted { $0.0 < $1.0 }.map { Self.quoted($0.0) + ":" + $0.1.canonicalText }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
