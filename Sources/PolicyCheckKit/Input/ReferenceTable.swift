/// Reference data given as CSV (`--data roster=roster.csv`): a list of rows, each a mapping from the
/// header's names to the row's text, typed afterwards by the pack's declared table type.
public enum ReferenceTable {
    public static func node(csv text: String, file: String) -> LocatedNode {
        var rows: [LocatedNode] = []
        let bytes = Array(text.utf8)
        var ends: [Int] = []
        var fields: [CSVScanner.FieldRange] = []
        bytes.withUnsafeBytes { raw in
            _ = CSVScanner.rowEnds(raw, from: 0, isFinal: true, into: &ends)
            var header: [String] = []
            for (index, end) in ends.enumerated() {
                let start = index == 0 ? 0 : ends[index - 1]
                _ = CSVScanner.fields(raw, start: start, end: end, into: &fields)
                let cells = fields.map { CSVScanner.string(raw, $0) ?? "" }
                if index == 0 {
                    header = cells.map { String($0.trimmingSpaces()) }
                    continue
                }
                if cells.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
                let location = SourceLocation(file: file, line: index + 1, column: 1)
                let pairs = zip(header, cells).enumerated().map { column, pair in
                    (key: LocatedScalar(text: pair.0, style: .plain, location: SourceLocation(file: file, line: 1, column: column + 1)),
                     value: LocatedNode.scalar(LocatedScalar(text: pair.1, style: pair.1.isEmpty ? .plain : .quoted,
                                                             location: SourceLocation(file: file, line: index + 1, column: column + 1))))
                }
                rows.append(.mapping(pairs, location))
            }
        }
        return .sequence(rows, SourceLocation(file: file, line: 1, column: 1))
    }
}
