import Foundation

/// Renders diagnostics as compilers do: the located header line, then the source
/// line and a caret under the column.
public struct DiagnosticRenderer: Sendable {
    /// Returns the text of a file, or nil where it cannot be read; the renderer then prints the header alone.
    public var sourceText: @Sendable (String) -> String?
    /// Lines of the files `sourceText` does not hold, read from disk one at a time, so a diagnostic in a
    /// gigabyte file does not load it.
    public var lineReader: SourceLineReader?
    public var colored: Bool

    public init(colored: Bool = false, lineReader: SourceLineReader? = nil,
                sourceText: @escaping @Sendable (String) -> String?) {
        self.colored = colored
        self.lineReader = lineReader
        self.sourceText = sourceText
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = header(diagnostic)
        if let location = diagnostic.location, let line = sourceLine(location) {
            let shown = line.printable
            // In a CSV file the column is the cell's number: the caret goes under the cell's first character.
            let characterColumn = location.file.lowercased().hasSuffix(".csv")
                ? Self.offsetOfCell(location.column, in: line) : location.column - 1
            let caretColumn = max(0, min(characterColumn, line.unicodeScalars.count))
            let prefix = String(String.UnicodeScalarView(line.unicodeScalars.prefix(caretColumn)))
            let padding = String(repeating: " ", count: prefix.displayWidth)
            out += "\n  | \(shown)\n  | \(padding)\(paint("^", .green))"
        }
        if let help = diagnostic.help {
            out += "\n  = help: \(help)"
        }
        return out
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    /// The scalar offset where cell `cell` (1-based) of a CSV line starts; quoted commas do not separate.
    static func offsetOfCell(_ cell: Int, in line: String) -> Int {
        var offset = 0, current = 1, inQuote = false
        for scalar in line.unicodeScalars {
            if current == cell { return offset }
            if scalar == "\"" { inQuote.toggle() } else if scalar == ",", !inQuote { current += 1 }
            offset += 1
        }
        return offset
    }

    private func header(_ diagnostic: Diagnostic) -> String {
        let place = diagnostic.location.map { paint("\($0): ", .bold) } ?? ""
        let colour: AnsiColour = diagnostic.severity == .error ? .red : diagnostic.severity == .warning ? .yellow : .cyan
        return "\(place)\(paint(diagnostic.severity.rawValue + ":", colour)) \(diagnostic.message) [\(diagnostic.code.rawValue)]"
    }

    private func sourceLine(_ location: SourceLocation) -> String? {
        guard location.line >= 1 else { return nil }
        guard let text = sourceText(location.file) else {
            return lineReader?.line(location.line, of: location.file).flatMap { $0.count > 400 ? nil : $0 }
        }
        var current = 1
        var lineStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if current == location.line { break }
            if text[index] == "\n" || text[index] == "\r\n" {
                current += 1
                lineStart = text.index(after: index)
            }
            index = text.index(after: index)
        }
        guard current == location.line else { return nil }
        let end = text[lineStart...].firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) ?? text.endIndex
        let line = String(text[lineStart..<end])
        return line.count > 400 ? nil : line
    }

    enum AnsiColour: String {
        case red = "31"
        case yellow = "33"
        case green = "32"
        case cyan = "36"
        case bold = "1"
    }

    func paint(_ text: String, _ colour: AnsiColour) -> String {
        colored ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}

extension String {
    /// Columns a terminal uses for the text: CJK and full-width characters take two.
    var displayWidth: Int {
        unicodeScalars.reduce(0) { width, scalar in
            width + (scalar.isWide ? 2 : 1)
        }
    }

    /// The line with a tab as a space and other control characters as their pictures (NUL as ␀), so a
    /// hostile byte shown in a diagnostic cannot move the terminal's cursor; each keeps one column.
    fileprivate var printable: String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09: out.append(" ")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value) ?? " ")
            case 0x7F: out.append("\u{2421}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

extension Unicode.Scalar {
    var isWide: Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
