/// What a pack says of itself and of the document it encodes.
public struct PackManifest: Sendable {
    public struct Document: Sendable {
        public var number: String
        public var title: String
        public var issuer: String
        public var signedOn: LocalDate?
        public var printedOn: LocalDate?
        public var source: String?
    }

    public var id: String
    public var title: LocalizedText
    public var document: Document
    public var clauses: [Clause]
    public var parameters: [ParameterDefinition]
    /// Named sets of parameter values (`central-default`, `zhejiang-shaoxing`); the defaults need none.
    public var profiles: [ParameterProfile] = []
    public var location: SourceLocation
}

/// A named set of parameter values that replaces the defaults, chosen with `--profile` or `profile:`.
public struct ParameterProfile: Sendable {
    public var name: String
    public var description: LocalizedText
    public var parameters: [(name: Located<String>, value: LocatedNode)]
    public var location: SourceLocation
}

/// How much of a clause the pack checks.
public enum ClauseStatus: String, Sendable, Codable, CaseIterable {
    case encoded
    case partial
    case manual
}

/// One numbered clause of the document.
public struct Clause: Sendable {
    public var number: String
    public var part: String
    public var title: String
    public var titleEnglish: String
    public var status: ClauseStatus
    public var text: String
    /// For partial and manual clauses: what stays manual and why.
    public var manual: String
    public var location: SourceLocation

    /// The heading in `language`: the English title, or the Chinese one where the pack gives none.
    public func title(in language: Language) -> String {
        language == .zh || titleEnglish.isEmpty ? title : titleEnglish
    }
}

/// A figure a rule reads as `params.NAME`, with where it comes from.
public struct ParameterDefinition: Sendable {
    /// How far the figure is confirmed: stated in the document, verified, third-party, unverified.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case stated = "S"
        case verified = "V"
        case thirdParty = "T"
        case unverified = "U"
    }

    public var name: String
    public var type: FieldType
    public var value: Value
    public var unit: String
    public var status: Status
    public var source: String
    public var description: LocalizedText?
    public var location: SourceLocation

    public static let units: Set<String> = [
        "days", "workdays", "months", "years", "yuan", "count", "ratio", "litres", "minutes", "hours", "none",
    ]
}
