/// Options every formatter may read.
public struct FormatOptions: Sendable {
    public var language: Language
    public var colored: Bool
    /// The lowest severity that fails the run: formats that mark failures (JUnit, Markdown, HTML) use it.
    public var failOn: Severity
    /// Renders an input problem with its source line; formatters that print text use it.
    public var renderDiagnostic: @Sendable (Diagnostic) -> String

    public init(language: Language = .zh, colored: Bool = false, failOn: Severity = .error,
                renderDiagnostic: @escaping @Sendable (Diagnostic) -> String = { $0.description }) {
        self.language = language
        self.colored = colored
        self.failOn = failOn
        self.renderDiagnostic = renderDiagnostic
    }
}

/// Turns a report into one output format. One formatter per file; `ReportFormatters.all` lists them.
public protocol ReportFormatter: Sendable {
    static var identifier: String { get }
    /// The file name `--output-dir` gives this format's report.
    static var defaultFileName: String { get }
    init()
    func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String
    /// Writes the report to `output` a piece at a time; the default writes `format`'s text at once.
    func write(_ report: Report, pack: CompiledPack, options: FormatOptions, to output: ([UInt8]) throws -> Void) throws
}

extension ReportFormatter {
    public func write(_ report: Report, pack: CompiledPack, options: FormatOptions,
                      to output: ([UInt8]) throws -> Void) throws {
        if report.spool != nil {
            throw FindingSpoolError(message: "the `\(Self.identifier)` format needs every finding at once and cannot be written from findings streamed to disk")
        }
        try output(Array(try format(report, pack: pack, options: options).utf8))
    }
}

/// A format that prints each finding on its own, so an audit can write its findings out as it finds
/// them and keep none in memory (`FindingSpool`).
public protocol StreamingReportFormatter: ReportFormatter {
    /// The bytes of one finding, exactly as the whole report holds them.
    func fragment(for finding: Finding, pack: CompiledPack, options: FormatOptions) -> [UInt8]
}

extension StreamingReportFormatter {
    /// Every finding's fragment in report order: the spooled findings merged with those the report holds.
    func forEachFragment(_ report: Report, pack: CompiledPack, options: FormatOptions,
                         _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var held = report.findings[...]
        if let spool = report.spool {
            try spool.forEachEntry(format: Self.identifier) { entry in
                while let next = held.first, Report.precedes(next, entry.location, entry.ruleID) {
                    try body(fragment(for: next, pack: pack, options: options)[...])
                    held = held.dropFirst()
                }
                try body(entry.fragment)
            }
        }
        for finding in held { try body(fragment(for: finding, pack: pack, options: options)[...]) }
    }
}

/// Every output format, by the name `--format` takes.
public enum ReportFormatters {
    public static let all: [any ReportFormatter.Type] = [
        TextFormatter.self, JSONFormatter.self, SARIFFormatter.self, JUnitFormatter.self, GitHubFormatter.self,
        MarkdownFormatter.self, CSVFormatter.self, HTMLFormatter.self,
    ]

    public static var identifiers: [String] { all.map { $0.identifier } }

    public static func formatter(named name: String) -> (any ReportFormatter)? {
        all.first { $0.identifier == name }.map { $0.init() }
    }

    public static func type(named name: String) -> (any ReportFormatter.Type)? {
        all.first { $0.identifier == name }
    }
}
