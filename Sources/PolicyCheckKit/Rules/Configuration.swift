import Foundation

/// `.policycheck.yml`: the pack to use, parameter overrides, the CI gate (waivers, baseline, report
/// files) and defaults for flags.
///
/// Every path in it is relative to the file itself, so a configuration found in a parent
/// directory means the same thing from any working directory.
public struct Configuration: Sendable {
    /// A report file the configuration asks for: a format and where to write it.
    public struct ReportOutput: Sendable, Hashable {
        public var format: String
        public var path: String

        public init(format: String, path: String) {
            self.format = format
            self.path = path
        }
    }

    public var file: String?
    public var pack: String?
    public var profile: Located<String>?
    public var parameterOverrides: [(name: Located<String>, value: LocatedNode)] = []
    public var enabledRules: [String] = []
    public var failOn: Severity?
    public var language: Language?
    public var format: String?
    /// The waivers file, resolved against the configuration's folder, with where the configuration names it.
    public var waivers: Located<String>?
    /// The baseline file, resolved likewise.
    public var baseline: Located<String>?
    /// Report files written beside the report on standard output, in the order written.
    public var formats: [ReportOutput] = []

    public init() {}

    public static let fileName = ".policycheck.yml"

    /// Every key the file may hold; `policycheck init` documents each of them.
    public static let allowedKeys: Set<String> = [
        "schema_version", "pack", "profile", "params", "enable_rules", "fail_on", "lang", "format",
        "waivers", "baseline", "formats",
    ]

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
        guard let mapping = StrictMapping(root, what: "the configuration", allowed: allowedKeys,
                                          diagnostics: &diagnostics) else { return (configuration, diagnostics) }
        if let version = mapping.integer("schema_version", diagnostics: &diagnostics), version != 1,
           let location = mapping["schema_version"]?.location {
            diagnostics.append(.error(.schemaVersion, "unsupported `schema_version` \(version) of the configuration", at: location,
                                      help: "this version of policycheck reads schema_version 1"))
        }
        // A relative path is relative to the configuration file, as tsconfig and .swiftlint.yml do.
        let base = (file as NSString).deletingLastPathComponent
        func resolve(_ path: String) -> String { path.hasPrefix("/") || base.isEmpty ? path : base + "/" + path }
        func path(_ key: String) -> Located<String>? {
            guard let value = mapping.string(key, diagnostics: &diagnostics) else { return nil }
            if value.value.isEmpty {
                diagnostics.append(.error(.invalidValue, "`\(key)` is an empty path", at: value.location))
                return nil
            }
            return Located(resolve(value.value), at: value.location)
        }
        configuration.pack = path("pack")?.value
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
                diagnostics.append(unknownFormat(format))
            }
        }
        configuration.waivers = path("waivers")
        configuration.baseline = path("baseline")
        if let formats = mapping["formats"] {
            if case .mapping(let pairs, _) = formats {
                var targets: Set<String> = []
                for pair in pairs {
                    let name = Located(pair.key.text, at: pair.key.location)
                    guard ReportFormatters.identifiers.contains(name.value) else {
                        diagnostics.append(unknownFormat(name))
                        continue
                    }
                    guard let target = pair.value.asString(what: "the file of format `\(name.value)`", diagnostics: &diagnostics) else { continue }
                    if target.value.isEmpty {
                        diagnostics.append(.error(.invalidValue, "the file of format `\(name.value)` is an empty path", at: target.location))
                        continue
                    }
                    let resolved = resolve(target.value)
                    if !targets.insert(resolved).inserted {
                        diagnostics.append(.error(.invalidValue, "two formats are written to `\(target.value)`", at: target.location))
                        continue
                    }
                    configuration.formats.append(ReportOutput(format: name.value, path: resolved))
                }
            } else {
                diagnostics.append(.error(.wrongKind, "expected `formats` as a mapping of format names to files, e.g. `sarif: policycheck.sarif`, found \(formats.kindDescription)",
                                          at: formats.location))
            }
        }
        return (configuration, diagnostics)
    }

    private static func unknownFormat(_ name: Located<String>) -> Diagnostic {
        .error(.configuration, "unknown format `\(name.value)`", at: name.location,
               help: Suggestion.help(for: name.value, in: ReportFormatters.identifiers)
                   ?? "formats: \(ReportFormatters.identifiers.joined(separator: ", "))")
    }
}
