/// A position in a file that a person can open: 1-based line and column.
///
/// Columns count Unicode scalars, as libyaml's marks do, so a column points at
/// the same character an editor shows. For CSV input `line` is the row number.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    /// The location `scalars` Unicode scalars further along the same line.
    public func advanced(byColumns scalars: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + scalars)
    }
}
