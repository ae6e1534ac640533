import Foundation

/// The non-empty fields of one CSV row, each with its column, split again for every row into the same
/// storage. Most cells of a wide export are empty (an expense row fills about twenty of a hundred
/// columns), and binding passes over them: listing only the others spares a slot written and read
/// per empty cell.
struct CSVRow {
    /// The non-empty fields, in the first `count` slots, in column order.
    private(set) var slots: [CSVScanner.FieldRange] = []
    private(set) var count = 0
    /// The row's fields, empty ones included.
    private(set) var fieldCount = 0
    /// The general splitter's output for a row with quotes, kept for reuse.
    private var quoted: [CSVScanner.FieldRange] = []

    /// The fields of `bytes[start ..< end]` (line break included or not); nil, or the problem with the row.
    mutating func split(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> CSVScanner.RowProblem? {
        let stop = CSVScanner.contentEnd(bytes, start: start, end: end)
        if let base = bytes.baseAddress, memchr(base + start, Int32(CSVScanner.quote), stop - start) == nil {
            // A slot per non-empty field at most, and a field holds at least one byte.
            while true {
                if let (fields, kept) = Self.unquoted(bytes, start: start, stop: stop, into: &slots) {
                    (fieldCount, count) = (fields, kept)
                    return nil
                }
                slots = Array(repeating: CSVScanner.FieldRange(start: 0, end: 0, isQuoted: false, column: 0),
                              count: max(64, 2 * slots.count))
            }
        }
        if let problem = CSVScanner.fields(bytes, start: start, end: end, into: &quoted) { return problem }
        fieldCount = quoted.count
        count = 0
        for field in quoted where field.end > field.start {
            if count == slots.count { slots.append(field) } else { slots[count] = field }
            count += 1
        }
        return nil
    }

    /// A row without quotes split at its commas, its non-empty fields written into `slots`: the number of fields
    /// and of those kept, or nil when the slots are too few.
    private static func unquoted(_ bytes: UnsafeRawBufferPointer, start: Int, stop: Int,
                                 into slots: inout [CSVScanner.FieldRange]) -> (fields: Int, kept: Int)? {
        slots.withUnsafeMutableBufferPointer { slots -> (Int, Int)? in
            var fields = 0, kept = 0
            var fieldStart = start
            func keep(_ end: Int) -> Bool {
                if end > fieldStart {
                    if kept == slots.count { return false }
                    slots[kept] = CSVScanner.FieldRange(start: fieldStart, end: end, isQuoted: false, column: fields)
                    kept += 1
                }
                fields += 1
                fieldStart = end + 1
                return true
            }
            guard CSVScanner.forEachComma(bytes, start: start, stop: stop, keep), keep(stop) else { return nil }
            return (fields, kept)
        }
    }
}
