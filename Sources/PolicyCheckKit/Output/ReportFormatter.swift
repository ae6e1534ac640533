/// Options every formatter may read.
public struct FormatOptions: Sendable {
    public var language: Language
    public var colored: Bool
    /// Renders an input problem with its source line; formatters that print text use it.
    public var renderDiagnostic: @Sendable (Diagnostic) -> String

    public init(language: Language = .zh, colored: Bool = false,
                renderDiagnostic: @escaping @Sendable (Diagnostic) -> String = { $0.description }) {
        self.language = language
        self.colored = colored
        self.renderDiagnostic = renderDiagnostic
    }
}

/// Turns a report into one output format. One formatter per file; `ReportFormatters.all` lists them.
public protocol ReportFormatter: Sendable {
    static var identifier: String { get }
    func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String
}

/// Every output format, by the name `--format` takes.
public enum ReportFormatters {
    public static let all: [any ReportFormatter.Type] = [TextFormatter.self, JSONFormatter.self]

    public static var identifiers: [String] { all.map { $0.identifier } }

    public static func formatter(named name: String) -> (any ReportFormatter)? {
        switch name {
        case TextFormatter.identifier: TextFormatter()
        case JSONFormatter.identifier: JSONFormatter()
        default: nil
        }
    }
}
