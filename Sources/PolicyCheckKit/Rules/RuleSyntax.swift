/// A rule file as written, every part located, before its expressions are compiled.
struct RuleSyntax: Sendable {
    var id: Located<String>
    var title: LocalizedText
    var clause: Located<String>
    var basis: String
    var source: String
    var appliesTo: Located<String>
    var severity: Severity
    var enabled: Bool
    var effectiveFrom: LocalDate?
    var effectiveTo: LocalDate?
    var dateField: LocatedScalar?
    var lets: [(name: Located<String>, expression: LocatedScalar)]
    var when: LocatedScalar?
    var require: LocatedScalar
    var message: (zh: LocatedScalar, en: LocatedScalar)
    var passExamples: [LocatedNode]
    var failExamples: [LocatedNode]
    var location: SourceLocation
    /// Set for an aggregate rule: it has `group_by`.
    var aggregate: AggregateSyntax?
}

/// The parts only an aggregate rule has.
struct AggregateSyntax: Sendable {
    var `where`: LocatedScalar?
    var groupBy: [(name: Located<String>, expression: LocatedScalar)]
    var expectGroups: [(name: Located<String>, expression: LocatedScalar)]
    var measures: [(name: Located<String>, expression: LocatedScalar)]
}

/// A case of a pack's `tests/` folder.
struct TestCaseSyntax: Sendable {
    var name: String
    var rule: Located<String>
    var expectsViolation: Bool
    /// One record, for a per-record rule.
    var record: LocatedNode?
    /// Records and a period, for an aggregate rule.
    var records: LocatedNode?
    var period: AuditPeriod?
    var location: SourceLocation
}

/// Reference data as written.
struct DataSyntax: Sendable {
    enum Content: Sendable {
        case calendar(firstYear: Int, lastYear: Int, holidays: [Located<LocalDate>], workdays: [Located<LocalDate>])
        case table(type: FieldType, value: LocatedNode)
    }

    var name: Located<String>
    var content: Content
    var location: SourceLocation
}

/// Everything a pack folder holds, read and checked for shape, not yet compiled.
struct PackSyntax: Sendable {
    var directory: String
    var manifest: PackManifest?
    /// Parameter defaults as written, for overrides to be checked against.
    var schemas: [RecordSchema] = []
    var rules: [RuleSyntax] = []
    var data: [DataSyntax] = []
    var tests: [TestCaseSyntax] = []
    /// The text of every file read, so diagnostics can show source lines and expressions can be located.
    var sources: [String: String] = [:]
}
