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
