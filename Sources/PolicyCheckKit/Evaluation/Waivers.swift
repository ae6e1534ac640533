/// An accepted exception to a rule: what it covers, why, who approved it, the approval document
/// (批复文号) and the last day it applies.
///
/// A waiver names a rule, a record id, a group, or several of them; a finding is covered when it
/// matches every one that is named. A waived finding is still reported, marked waived, and does
/// not fail a run; after `expires` the waiver stops applying and is reported as expired.
public struct Waiver: Sendable, Hashable {
    /// One key of an aggregate finding's group (`unit: 绍兴市财政局`), as written in the waiver.
    public struct GroupKey: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A rule id, or a prefix ending in `*` (`SX-17-THREE-PUBLIC-*`).
    public var rule: String?
    public var record: String?
    public var group: [GroupKey]?
    public var reason: String
    public var approver: String
    /// The approval document's number, e.g. 绍政办函〔2024〕15号.
    public var document: String
    /// The last day the waiver applies.
    public var expires: LocalDate
    /// Where the waiver is written, for reporting it.
    public var location: SourceLocation

    public init(rule: String?, record: String?, group: [GroupKey]?, reason: String, approver: String,
                document: String, expires: LocalDate, location: SourceLocation) {
        self.rule = rule
        self.record = record
        self.group = group
        self.reason = reason
        self.approver = approver
        self.document = document
        self.expires = expires
        self.location = location
    }

    /// Whether the waiver has stopped applying: it holds through its `expires` day.
    public func isExpired(on today: LocalDate) -> Bool { today > expires }

    /// Whether the waiver covers the finding, expired or not.
    public func matches(_ finding: Finding) -> Bool {
        if let rule, !Self.ruleMatches(rule, finding.ruleID) { return false }
        if let record, finding.record?.id != record { return false }
        if let group {
            guard let findingGroup = finding.group else { return false }
            for key in group {
                guard let value = findingGroup.first(where: { $0.name == key.name })?.value,
                      Self.keyText(value) == key.value else { return false }
            }
        }
        return true
    }

    static func ruleMatches(_ pattern: String, _ id: String) -> Bool {
        pattern.hasSuffix("*") ? id.hasPrefix(pattern.dropLast()) : id == pattern
    }

    /// A group key's value as a waiver writes it: `2024`, `绍兴市财政局`, `2024-01-01`.
    static func keyText(_ value: Value) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): "\(number)"
        case .date(let date): date.description
        case .bool(let flag): flag ? "true" : "false"
        default: value.literalDescription
        }
    }

    /// What the waiver covers, for messages: "`SX-09-PUBLISH`, record `D-2024-034`".
    public var scopeDescription: String {
        var parts: [String] = []
        if let rule { parts.append("rule `\(rule)`") }
        if let record { parts.append("record `\(record)`") }
        if let group { parts.append("group `" + group.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "`") }
        return parts.joined(separator: ", ")
    }
}

/// The waivers of one file, in the order written: the first that covers a finding is the one shown.
public struct WaiverSet: Sendable {
    public var file: String
    public var waivers: [Waiver]

    public init(file: String, waivers: [Waiver]) {
        self.file = file
        self.waivers = waivers
    }
}
