/// Finds where, in its YAML file, a character of an expression stands, so an error inside
/// `require: …` points at its own line and column, also in quoted and block scalars.
struct ExpressionSourceMap {
    let scalar: LocatedScalar
    let fileLines: [[Unicode.Scalar]]?

    init(scalar: LocatedScalar, fileText: String?) {
        self.scalar = scalar
        fileLines = fileText.map { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        }
    }

    func location(ofOffset offset: Int) -> SourceLocation {
        let value = Array(scalar.text.unicodeScalars)
        if scalar.style != .block, !value.contains("\n") {
            let quote = scalar.style == .quoted ? 1 : 0
            if let aligned = align(value: value, offset: offset) { return aligned }
            return scalar.location.advanced(byColumns: quote + offset)
        }
        return align(value: value, offset: offset) ?? scalar.location
    }

    /// Walks the raw text from the scalar's start, matching the value's characters in order;
    /// line breaks, indentation and quotes in the raw text are passed over.
    private func align(value: [Unicode.Scalar], offset: Int) -> SourceLocation? {
        guard let lines = fileLines, scalar.location.line >= 1, scalar.location.line <= lines.count else { return nil }
        var line = scalar.location.line - 1
        var column = scalar.location.column - 1
        if scalar.style == .block {  // content starts on the next line
            line += 1
            column = 0
        } else if scalar.style == .quoted {
            column += 1
        }
        func current() -> Unicode.Scalar? {
            guard line < lines.count else { return nil }
            return column < lines[line].count ? lines[line][column] : "\n"
        }
        func step() {
            guard line < lines.count else { return }
            if column < lines[line].count { column += 1 } else {
                line += 1
                column = 0
            }
        }
        for index in 0..<min(offset, value.count) {
            let wanted = value[index]
            var skipped = 0
            while let c = current(), c != wanted, skipped < 200 {
                if !(c == " " || c == "\n" || c == "\t" || c == "\r" || c == "'" || c == "\"" || c == "\\") { break }
                step()
                skipped += 1
            }
            if current() == wanted { step() } else if wanted == "\n" || wanted == " " { continue } else { step() }
        }
        while let c = current(), c == " " || c == "\n", offset < value.count, value[offset] != c {
            step()
        }
        guard line < lines.count else { return nil }
        return SourceLocation(file: scalar.location.file, line: line + 1, column: column + 1)
    }
}
