import Foundation

/// SARIF 2.1.0, the format GitHub code scanning and other analysis dashboards read.
///
/// Every rule of the pack is listed in `tool.driver.rules` with its title in both languages, its
/// clause and the document's wording as help. Each finding is a result at its record's file, line
/// and column (a CSV row's line is its row); an aggregate finding points at its group's first
/// record, or at the file holding records of its type when the group has none. Waived findings
/// carry an accepted external suppression, and with a baseline each result has a `baselineState`.
public struct SARIFFormatter: ReportFormatter {
    public static let identifier = "sarif"
    public static let defaultFileName = "policycheck.sarif"
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public init() {}

    struct Log: Encodable {
        var schema: String
        var version: String
        var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var invocations: [Invocation]
        var results: [Result]
        var columnKind: String
        var language: String
        var properties: RunProperties
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var fullName: String
        var version: String
        var semanticVersion: String
        var language: String
        var rules: [Rule]
    }

    struct Message: Encodable {
        var text: String
        var markdown: String?
    }

    struct Rule: Encodable {
        struct Configuration: Encodable {
            var level: String
            var enabled: Bool
        }
        struct Properties: Encodable {
            var title: LocalizedText
            var clause: String
            var clauseTitle: String
            var basis: String
            var source: String
            var appliesTo: String
            var aggregate: Bool
            var tags: [String]
        }
        var id: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
        var properties: Properties
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
    }

    struct ArtifactLocation: Encodable { var uri: String }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct LogicalLocation: Encodable {
        var name: String
        var fullyQualifiedName: String
        var kind: String
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
        var logicalLocations: [LogicalLocation]?
    }

    struct Suppression: Encodable {
        struct Properties: Encodable {
            var reason: String
            var approver: String
            var document: String
            var expires: String
        }
        var kind: String
        var status: String
        var justification: String
        var location: Location
        var properties: Properties
    }

    struct ResultProperties: Encodable {
        struct RecordRef: Encodable {
            var id: String
            var type: String
        }
        var clause: String
        var kind: String
        var record: RecordRef?
        var group: JSONValue?
        var values: JSONValue
    }

    /// The baseline fingerprint, under a name of its own so that it never collides with GitHub's.
    struct Fingerprints: Encodable {
        var policycheck: String
        enum CodingKeys: String, CodingKey { case policycheck = "policycheckFingerprint/v1" }
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: Fingerprints
        var suppressions: [Suppression]?
        var baselineState: String?
        var properties: ResultProperties
    }

    struct Notification: Encodable {
        struct Descriptor: Encodable { var id: String }
        var level: String
        var message: Message
        var locations: [Location]?
        var descriptor: Descriptor
    }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]
        var toolConfigurationNotifications: [Notification]
    }

    struct RunProperties: Encodable {
        struct Pack: Encodable {
            var id: String
            var document: String
        }
        struct Baseline: Encodable {
            var new: Int
            var unchanged: Int
            var fixed: Int
        }
        var pack: Pack
        var summary: Report.Summary
        var baseline: Baseline?
    }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let presentation = ReportPresentation(report: report, pack: pack, language: options.language)
        let summaries = pack.allRuleSummaries
        let ruleIndex = Dictionary(uniqueKeysWithValues: summaries.enumerated().map { ($1.id, $0) })
        let rules = summaries.map { rule(for: $0, pack: pack, language: options.language) }
        let results = report.findings.map { finding in
            result(for: finding, ruleIndex: ruleIndex[finding.ruleID], presentation: presentation)
        }
        let invocation = Invocation(
            executionSuccessful: report.inputErrors.isEmpty,
            toolExecutionNotifications: report.inputErrors.map { notification($0, level: "error") }
                + report.inputWarnings.map { notification($0, level: "warning") },
            toolConfigurationNotifications: (report.gate?.waivers?.notes ?? []).map { notification($0.diagnostic, level: "warning") })
        let run = Run(
            tool: Tool(driver: Driver(name: "policycheck", fullName: "policycheck \(report.toolVersion) — \(report.document)",
                                      version: report.toolVersion, semanticVersion: report.toolVersion,
                                      language: options.language == .zh ? "zh-CN" : "en-US", rules: rules)),
            invocations: [invocation], results: results, columnKind: "unicodeCodePoints",
            language: options.language == .zh ? "zh-CN" : "en-US",
            properties: RunProperties(pack: .init(id: report.packID, document: report.document), summary: report.summary,
                                      baseline: report.gate?.baseline.map { .init(new: $0.new, unchanged: $0.unchanged, fixed: $0.fixed) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(Log(schema: Self.schemaURI, version: "2.1.0", runs: [run]))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func rule(for summary: RuleSummary, pack: CompiledPack, language: Language) -> Rule {
        let clause = pack.clause(summary.clause)
        let clauseTitle = clause?.title(in: language) ?? ""
        let heading = clauseTitle.isEmpty ? summary.clause : "\(summary.clause) \(clauseTitle)"
        let sourceLabel = language == .zh ? "出处" : "source"
        var helpText = "\(heading)\n\(summary.basis)"
        var helpMarkdown = "**\(heading)**\n\n> \(summary.basis)"
        if !summary.source.isEmpty {
            helpText += "\n\(sourceLabel)：\(summary.source)"
            helpMarkdown += "\n\n\(sourceLabel)：\(summary.source)"
        }
        return Rule(
            id: summary.id,
            shortDescription: Message(text: summary.title[language]),
            fullDescription: Message(text: "\(summary.title.zh) / \(summary.title.en) [\(summary.clause)]"),
            help: Message(text: helpText, markdown: helpMarkdown),
            defaultConfiguration: .init(level: Self.level(summary.severity), enabled: summary.enabled),
            properties: .init(title: summary.title, clause: summary.clause, clauseTitle: clauseTitle, basis: summary.basis,
                              source: summary.source, appliesTo: summary.appliesTo, aggregate: summary.isAggregate,
                              tags: ["policycheck", summary.clause, summary.appliesTo]))
    }

    private func result(for finding: Finding, ruleIndex: Int?, presentation: ReportPresentation) -> Result {
        var locations: [Location] = []
        if let file = presentation.file(of: finding) {
            let logical: LogicalLocation? = if let record = finding.record {
                LogicalLocation(name: record.id, fullyQualifiedName: "\(record.type)/\(record.id)", kind: "object")
            } else if let group = presentation.groupText(finding) {
                LogicalLocation(name: group, fullyQualifiedName: "\(finding.ruleID)/\(group)", kind: "object")
            } else {
                nil
            }
            locations.append(Location(
                physicalLocation: PhysicalLocation(artifactLocation: .init(uri: Self.uri(file)),
                                                   region: finding.location.map { Region(startLine: max(1, $0.line), startColumn: max(1, $0.column)) }),
                logicalLocations: logical.map { [$0] }))
        }
        let suppressions = finding.waived.map { waiver in
            [Suppression(kind: "external", status: "accepted", justification: presentation.waiverText(waiver),
                         location: Self.location(waiver.location),
                         properties: .init(reason: waiver.reason, approver: waiver.approver, document: waiver.document,
                                           expires: waiver.expires.description))]
        }
        return Result(
            ruleId: finding.ruleID, ruleIndex: ruleIndex, level: Self.level(finding.severity),
            message: Message(text: finding.message), locations: locations,
            partialFingerprints: Fingerprints(policycheck: finding.fingerprint),
            suppressions: suppressions, baselineState: finding.baselineState?.rawValue,
            properties: ResultProperties(
                clause: finding.clause, kind: finding.kind.rawValue,
                record: finding.record.map { .init(id: $0.id, type: $0.type) },
                group: finding.group.map { JSONValue.object($0.map { ($0.name, JSONValue($0.value)) }) },
                values: .object(finding.values.map { ($0.path, JSONValue($0.value)) })))
    }

    private func notification(_ diagnostic: Diagnostic, level: String) -> Notification {
        Notification(level: level, message: Message(text: diagnostic.help.map { "\(diagnostic.message) (\($0))" } ?? diagnostic.message),
                     locations: diagnostic.location.map { [Self.location($0)] }, descriptor: .init(id: diagnostic.code.rawValue))
    }

    static func location(_ location: SourceLocation) -> Location {
        Location(physicalLocation: PhysicalLocation(artifactLocation: .init(uri: uri(location.file)),
                                                    region: Region(startLine: max(1, location.line), startColumn: max(1, location.column))),
                 logicalLocations: nil)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A file path as a relative URI reference: `samples/决策 1.yaml` → `samples/%E5%86%B3%E7%AD%96%201.yaml`.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        allowed.insert(charactersIn: "!$&'()*+,;=@")
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return trimmed.addingPercentEncoding(withAllowedCharacters: allowed) ?? trimmed
    }
}
