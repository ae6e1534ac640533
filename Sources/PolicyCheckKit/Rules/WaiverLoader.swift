import Foundation

/// Reads a `waivers.yaml` strictly: unknown keys, missing approvals, bad dates and rule ids the
/// pack does not know are located errors.
///
/// ```yaml
/// schema_version: 1
/// waivers:
///   - rule: SX-09-PUBLISH
///     record: D-2024-034
///     reason: 涉及未公开的土地出让底价，经批准延后公开
///     approver: 市政府办公室
///     document: 绍政办函〔2024〕15号
///     expires: 2025-06-30
/// ```
public enum WaiverLoader {
    public static let allowedKeys: Set<String> = ["rule", "record", "group", "reason", "approver", "document", "expires"]

    public static func load(file: String, text: String, pack: CompiledPack) -> (WaiverSet, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var set = WaiverSet(file: file, waivers: [])
        let root: LocatedNode
        switch YAMLSource(file: file, text: text).documents() {
        case .failure(let diagnostic): return (set, [diagnostic])
        case .success(let documents):
            guard let first = documents.first, !first.isNull else { return (set, []) }
            if documents.count > 1 {
                diagnostics.append(.error(.wrongKind, "a waivers file holds one YAML document", at: documents[1].location))
            }
            root = first
        }
        guard let mapping = StrictMapping(root, what: "the waivers file", allowed: ["schema_version", "waivers"],
                                          required: ["schema_version"], diagnostics: &diagnostics) else {
            return (set, diagnostics)
        }
        if let version = mapping.integer("schema_version", diagnostics: &diagnostics), version != 1,
           let location = mapping["schema_version"]?.location {
            diagnostics.append(.error(.schemaVersion, "unsupported `schema_version` \(version) of a waivers file", at: location,
                                      help: "this version of policycheck reads schema_version 1"))
        }
        guard let list = mapping["waivers"] else { return (set, diagnostics) }
        guard case .sequence(let items, _) = list else {
            diagnostics.append(.error(.wrongKind, "expected `waivers` as a list, found \(list.kindDescription)", at: list.location))
            return (set, diagnostics)
        }
        let ruleIDs = pack.rules.map(\.id) + pack.aggregateRules.map(\.id)
        for item in items {
            if let waiver = waiver(item, pack: pack, ruleIDs: ruleIDs, diagnostics: &diagnostics) { set.waivers.append(waiver) }
        }
        return (set, diagnostics)
    }

    private static func waiver(_ node: LocatedNode, pack: CompiledPack, ruleIDs: [String],
                               diagnostics: inout [Diagnostic]) -> Waiver? {
        let before = diagnostics.count
        guard let entry = StrictMapping(node, what: "a waiver", allowed: allowedKeys,
                                        required: ["reason", "approver", "document", "expires"],
                                        diagnostics: &diagnostics) else { return nil }
        let rule = entry.string("rule", diagnostics: &diagnostics)
        let record = entry.string("record", diagnostics: &diagnostics)
        var group: [Waiver.GroupKey]?
        if let groupNode = entry["group"] {
            if case .mapping(let pairs, _) = groupNode, !pairs.isEmpty {
                group = pairs.compactMap { pair in
                    guard let value = pair.value.asString(what: "the group key `\(pair.key.text)`", diagnostics: &diagnostics) else { return nil }
                    return Waiver.GroupKey(name: pair.key.text, value: value.value)
                }
            } else {
                diagnostics.append(.error(.wrongKind, "expected `group` as a mapping of group keys to values, e.g. `{ unit: 绍兴市财政局, year: 2024 }`",
                                          at: groupNode.location))
            }
        }
        if rule == nil, record == nil, entry["group"] == nil {
            diagnostics.append(.error(.missingKey, "a waiver names a `rule`, a `record` or a `group`", at: entry.location))
        }
        if let rule { checkRule(rule, record: record, group: group, groupLocation: entry.keyLocation("group"), pack: pack,
                                ruleIDs: ruleIDs, diagnostics: &diagnostics) }
        var texts: [String: String] = [:]
        for key in ["reason", "approver", "document"] {
            guard let value = entry.string(key, diagnostics: &diagnostics) else { continue }
            if value.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                diagnostics.append(.error(.invalidValue, "`\(key)` of a waiver is empty", at: value.location))
            }
            texts[key] = value.value
        }
        let expires = entry.date("expires", diagnostics: &diagnostics)
        guard diagnostics.count == before, let expires else { return nil }
        return Waiver(rule: rule?.value, record: record?.value, group: group, reason: texts["reason"] ?? "",
                      approver: texts["approver"] ?? "", document: texts["document"] ?? "", expires: expires,
                      location: entry.location)
    }

    private static func checkRule(_ rule: Located<String>, record: Located<String>?, group: [Waiver.GroupKey]?,
                                  groupLocation: SourceLocation?, pack: CompiledPack, ruleIDs: [String],
                                  diagnostics: inout [Diagnostic]) {
        if rule.value.hasSuffix("*") {
            if !ruleIDs.contains(where: { Waiver.ruleMatches(rule.value, $0) }) {
                diagnostics.append(.error(.unknownRule, "no rule of the pack starts with `\(rule.value.dropLast())`", at: rule.location))
            }
            return
        }
        if let aggregate = pack.aggregateRule(rule.value) {
            if let record {
                diagnostics.append(.error(.invalidValue, "`\(rule.value)` is an aggregate rule: its findings have no record",
                                          at: record.location, help: "name the group instead, e.g. `group: { \(aggregate.keyNames.map { "\($0): …" }.joined(separator: ", ")) }`"))
            }
            for key in group ?? [] where !aggregate.keyNames.contains(key.name) {
                diagnostics.append(.error(.unknownKey, "`\(rule.value)` has no group key `\(key.name)`", at: groupLocation ?? rule.location,
                                          help: Suggestion.help(for: key.name, in: aggregate.keyNames)
                                              ?? "its group keys: \(aggregate.keyNames.joined(separator: ", "))"))
            }
        } else if pack.rule(rule.value) != nil {
            if group != nil {
                diagnostics.append(.error(.invalidValue, "`\(rule.value)` is a per-record rule: its findings have no group",
                                          at: groupLocation ?? rule.location, help: "name the record instead"))
            }
        } else {
            diagnostics.append(.error(.unknownRule, "the pack has no rule `\(rule.value)`", at: rule.location,
                                      help: Suggestion.help(for: rule.value, in: ruleIDs)))
        }
    }
}
