import Foundation

/// Reads a baseline file written by `--write-baseline`, strictly and with located errors
/// (JSON is read by the YAML reader, which keeps every value's line and column).
public enum BaselineLoader {
    public static func load(file: String, text: String, packID: String) -> (Baseline?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let root: LocatedNode
        switch YAMLSource(file: file, text: text).documents() {
        case .failure(let diagnostic): return (nil, [diagnostic])
        case .success(let documents):
            guard let first = documents.first, !first.isNull else {
                return (nil, [.error(.emptyFile, "the baseline file is empty", at: SourceLocation(file: file, line: 1, column: 1),
                                     help: "write one with `--write-baseline \(file)`")])
            }
            root = first
        }
        guard let mapping = StrictMapping(root, what: "a baseline", allowed: ["schema_version", "tool", "pack", "findings"],
                                          required: ["schema_version", "findings"], diagnostics: &diagnostics) else {
            return (nil, diagnostics)
        }
        if let version = mapping.integer("schema_version", diagnostics: &diagnostics), version != Baseline.schemaVersion,
           let location = mapping["schema_version"]?.location {
            diagnostics.append(.error(.schemaVersion, "unsupported `schema_version` \(version) of a baseline", at: location))
        }
        _ = mapping.string("tool", diagnostics: &diagnostics)
        let pack = mapping.string("pack", diagnostics: &diagnostics)
        if let pack, pack.value != packID {
            diagnostics.append(.warning(.baselineFormat, "the baseline was written with pack `\(pack.value)`, this run uses `\(packID)`",
                                        at: pack.location, help: "its fingerprints will not match; write a new baseline"))
        }
        var entries: [Baseline.Entry] = []
        if let list = mapping["findings"] {
            if case .sequence(let items, _) = list {
                for item in items {
                    if let entry = entry(item, diagnostics: &diagnostics) { entries.append(entry) }
                }
            } else {
                diagnostics.append(.error(.wrongKind, "expected `findings` as a list, found \(list.kindDescription)", at: list.location))
            }
        }
        if diagnostics.containsErrors { return (nil, diagnostics) }
        return (Baseline(file: file, packID: pack?.value ?? packID, entries: entries), diagnostics)
    }

    private static func entry(_ node: LocatedNode, diagnostics: inout [Diagnostic]) -> Baseline.Entry? {
        let before = diagnostics.count
        guard let item = StrictMapping(node, what: "a baseline entry", allowed: ["fingerprint", "rule", "record", "group", "count"],
                                       required: ["fingerprint", "rule", "count"], diagnostics: &diagnostics) else { return nil }
        let fingerprint = item.string("fingerprint", diagnostics: &diagnostics)
        if let fingerprint, fingerprint.value.count != 64 || !fingerprint.value.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            diagnostics.append(.error(.baselineFormat, "a fingerprint is 64 lowercase hexadecimal digits, found `\(fingerprint.value)`",
                                      at: fingerprint.location))
        }
        let rule = item.string("rule", diagnostics: &diagnostics)
        let record = item.string("record", diagnostics: &diagnostics)
        let count = item.integer("count", diagnostics: &diagnostics)
        if let count, count < 1, let location = item["count"]?.location {
            diagnostics.append(.error(.invalidValue, "`count` is at least 1, found \(count)", at: location))
        }
        var group: [(name: String, value: JSONValue)]?
        if let node = item["group"] {
            if case .mapping(let pairs, _) = node {
                group = pairs.map { pair in (name: pair.key.text, value: scalarValue(pair.value)) }
            } else {
                diagnostics.append(.error(.wrongKind, "expected `group` as a mapping, found \(node.kindDescription)", at: node.location))
            }
        }
        guard diagnostics.count == before, let fingerprint, let rule, let count else { return nil }
        return Baseline.Entry(fingerprint: fingerprint.value, rule: rule.value, record: record?.value, group: group, count: count)
    }

    /// A group value as JSON wrote it: a quoted string stays a string, a bare number a number.
    private static func scalarValue(_ node: LocatedNode) -> JSONValue {
        guard let scalar = node.scalar else { return .null }
        if scalar.style != .plain { return .string(scalar.text) }
        if scalar.isNull { return .null }
        if scalar.text == "true" || scalar.text == "false" { return .bool(scalar.text == "true") }
        if scalar.text.allSatisfy({ "0123456789.-+eE".contains($0) }),
           let number = Decimal(string: scalar.text, locale: Locale(identifier: "en_US_POSIX")) { return .number(number) }
        return .string(scalar.text)
    }
}
