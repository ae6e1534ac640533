import Foundation

/// `.policycheck.yml`: the pack to use, parameter overrides and defaults for flags.
public struct Configuration: Sendable {
    public var file: String?
    public var pack: String?
    public var profile: Located<String>?
    public var parameterOverrides: [(name: Located<String>, value: LocatedNode)] = []
    public var enabledRules: [String] = []
    public var failOn: Severity?
    public var language: Language?
    public var format: String?

    public init() {}

    public static let fileName = ".policycheck.yml"

    /// Reads a configuration file; every unknown key or wrong value is a located error.
    public static func load(file: String, text: String) -> (Configuration, [Diagnostic]) {
        var configuration = Configuration()
        configuration.file = file
        var diagnostics: [Diagnostic] = []
        let root: LocatedNode
        switch YAMLSource(file: file, text: text).documents() {
        case .failure(let diagnostic): return (configuration, [diagnostic])
        case .success(let documents):
            guard let first = documents.first, !first.isNull else { return (configuration, []) }
            root = first
        }
        guard let mapping = StrictMapping(root, what: "the configuration",
                                          allowed: ["schema_version", "pack", "profile", "params", "enable_rules", "fail_on", "lang", "format"],
                                          diagnostics: &diagnostics) else { return (configuration, diagnostics) }
        if let pack = mapping.string("pack", diagnostics: &diagnostics) {
            // A relative pack path is relative to the configuration file, as tsconfig and .swiftlint.yml do.
            let base = (file as NSString).deletingLastPathComponent
            configuration.pack = pack.value.hasPrefix("/") || base.isEmpty ? pack.value : base + "/" + pack.value
        }
        configuration.profile = mapping.string("profile", diagnostics: &diagnostics)
        if let params = mapping["params"] {
            if case .mapping(let pairs, _) = params {
                configuration.parameterOverrides = pairs.map { (Located($0.key.text, at: $0.key.location), $0.value) }
            } else {
                diagnostics.append(.error(.wrongKind, "expected `params` as a mapping of parameter names to values", at: params.location))
            }
        }
        configuration.enabledRules = mapping.stringList("enable_rules", diagnostics: &diagnostics).map(\.value)
        if let failOn = mapping.string("fail_on", diagnostics: &diagnostics) {
            configuration.failOn = Severity(rawValue: failOn.value)
            if configuration.failOn == nil {
                diagnostics.append(.error(.configuration, "`fail_on` is error, warning or info, found `\(failOn.value)`", at: failOn.location))
            }
        }
        if let lang = mapping.string("lang", diagnostics: &diagnostics) {
            configuration.language = Language(rawValue: lang.value)
            if configuration.language == nil {
                diagnostics.append(.error(.configuration, "`lang` is zh or en, found `\(lang.value)`", at: lang.location))
            }
        }
        if let format = mapping.string("format", diagnostics: &diagnostics) {
            if ReportFormatters.identifiers.contains(format.value) { configuration.format = format.value } else {
                diagnostics.append(.error(.configuration, "unknown format `\(format.value)`", at: format.location,
                                          help: "formats: \(ReportFormatters.identifiers.joined(separator: ", "))"))
            }
        }
        return (configuration, diagnostics)
    }
}
