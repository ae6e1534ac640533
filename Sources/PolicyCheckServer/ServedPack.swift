import Foundation
import HTTPTypes
import NIOCore
import PolicyCheckKit

/// Where the server's pack comes from, fixed at start-up: only SIGHUP reloads it, from the same place.
public struct PackSource: Sendable {
    /// The pack folder.
    public var directory: String
    /// Parameter overrides, enabled rules and profile, as the command line and configuration gave them.
    public var options: PackCompiler.Options

    public init(directory: String, options: PackCompiler.Options = PackCompiler.Options()) {
        self.directory = directory
        self.options = options
    }

    /// Compiles the pack; a pack with errors comes back as its rendered diagnostics.
    public func load() -> Result<ServedPack, PackLoadFailure> {
        let compilation = PackCompiler.compile(directory: directory, options: options)
        guard let pack = compilation.pack else {
            let sources = compilation.sources
            let renderer = DiagnosticRenderer(colored: false, sourceText: { sources[$0] })
            return .failure(PackLoadFailure(directory: directory, diagnostics: compilation.diagnostics,
                                            rendered: renderer.render(compilation.diagnostics)))
        }
        return .success(ServedPack(pack: pack, directory: directory))
    }
}

/// Why a pack was not used: every problem of it, as `policycheck` prints them.
public struct PackLoadFailure: Error, Sendable, CustomStringConvertible {
    public var directory: String
    public var diagnostics: [Diagnostic]
    public var rendered: String

    public var description: String {
        let count = diagnostics.filter { $0.severity == .error }.count
        return "the rule pack at `\(directory)` has \(count) problem(s) and was not used"
    }
}

/// A compiled pack as the server holds it: the pack, its content hash and the answers that depend
/// only on the pack, made once when it loads.
public struct ServedPack: Sendable {
    public let pack: CompiledPack
    public let directory: String
    /// `sha256:` and the hex digest of every pack file's relative path and text, in path order.
    public let contentHash: String
    public let loadedAt: Date
    /// Record types by name, sorted, for messages and the OpenAPI enum.
    public let recordTypes: [String]
    /// The report of one record that breaks no rule and has no input problem, by language: most checks
    /// answer with it, and nothing in it depends on the record, so it is written once.
    private let passingReports: [Language: ByteBuffer]
    /// The headers of that answer, whatever `fail_on` says: a report with nothing in it passes.
    let passingHeaders: HTTPFields

    public init(pack: CompiledPack, directory: String, loadedAt: Date = Date()) {
        self.pack = pack
        self.directory = directory
        self.loadedAt = loadedAt
        contentHash = Self.contentHash(of: pack.sources, directory: pack.directory)
        recordTypes = pack.schemas.keys.sorted()
        let passing = Report(toolVersion: PolicyCheckVersion.current, packID: pack.manifest.id, document: pack.manifest.document.number,
                             recordCount: 1, findings: [], inputErrors: [], inputWarnings: [])
        var reports: [Language: ByteBuffer] = [:]
        for language in Language.allCases {
            if let text = try? JSONFormatter().format(passing, pack: pack, options: FormatOptions(language: language)) {
                reports[language] = ByteBuffer(string: text)
            }
        }
        passingReports = reports
        var headers = Responses.headers(of: passing, failOn: .info)
        headers[.policycheckPackHash] = contentHash
        passingHeaders = headers
    }

    /// The body written at load time for `report` in `language`, when it is the report of one passing record
    /// from this pack; nil for any other report, which is formatted as usual.
    func passingReport(_ report: Report, language: Language) -> ByteBuffer? {
        guard report.recordCount == 1, report.findings.isEmpty, report.inputErrors.isEmpty, report.inputWarnings.isEmpty,
              report.audit == nil, report.gate == nil, report.packID == pack.manifest.id,
              report.toolVersion == PolicyCheckVersion.current else { return nil }
        return passingReports[language]
    }

    /// The hash of the pack's files, independent of where the folder lies.
    static func contentHash(of sources: [String: String], directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let files = sources.map { (path: $0.key.hasPrefix(prefix) ? String($0.key.dropFirst(prefix.count)) : $0.key, text: $0.value) }
            .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        var message: [UInt8] = []
        for file in files {
            // Length-prefixed, so no two different packs hash the same bytes.
            for part in [file.path, file.text] {
                let bytes = Array(part.utf8)
                message += Array("\(bytes.count):".utf8)
                message += bytes
            }
        }
        return "sha256:" + SHA256.digest(message).map { String(format: "%02x", $0) }.joined()
    }
}
