#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Checks the raw bytes of batch files for what a table or a JSON Lines file should not hold, so each
/// becomes an input error at its row and column instead of a wrong value: a NUL byte (a UTF-16 or
/// binary file), a byte-order mark past the start (two files joined), a row longer than `row-bytes`.
/// Lone carriage returns (the line ends of old Mac exports) are read as line ends.
enum InputScreen {
    // MARK: - Line ends

    /// Whether a file ends its lines with a lone CR: its first block has a CR and no LF at all.
    static func usesLoneCarriageReturns(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, 0x0A, bytes.count) == nil && memchr(base, 0x0D, bytes.count) != nil
    }

    /// Turns each CR from `start` on into LF: a CR-ended file then has the rows, lines and offsets of an LF-ended one.
    static func replaceCarriageReturns(in buffer: inout [UInt8], from start: Int) {
        for index in start..<buffer.count where buffer[index] == 0x0D { buffer[index] = 0x0A }
    }

    // MARK: - NUL bytes and byte-order marks

    /// Whether `bytes` hold a NUL or a UTF-8 byte-order mark; only then are rows searched for them.
    /// - Complexity: O(n), by `memchr`.
    static func hasSuspectBytes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        if memchr(base, 0, bytes.count) != nil { return true }
        var offset = 0
        while offset < bytes.count, let found = memchr(base + offset, 0xEF, bytes.count - offset) {
            let index = base.distance(to: UnsafeRawPointer(found))
            if index + 2 < bytes.count, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { return true }
            offset = index + 1
        }
        return false
    }

    /// The first NUL or byte-order mark in `bytes[start..<end]`: its offset and what it is.
    static func firstSuspectByte(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> (offset: Int, problem: String)? {
        var index = start
        while index < end {
            if bytes[index] == 0 {
                return (index, "a NUL byte (U+0000)")
            }
            if bytes[index] == 0xEF, index + 2 < end, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
                return (index, "a byte-order mark (U+FEFF) in the middle of the file")
            }
            index += 1
        }
        return nil
    }

    /// The problem of a CSV row that holds a NUL or a byte-order mark, at the cell that holds it.
    static func suspectCell(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, row: Int, file: String,
                            binder: TableBinder) -> Diagnostic? {
        guard let (offset, problem) = firstSuspectByte(bytes, start: start, end: end) else { return nil }
        var fields: [CSVScanner.FieldRange] = []
        _ = CSVScanner.fields(bytes, start: start, end: end, into: &fields)
        let index = fields.firstIndex { offset < $0.end + ($0.isQuoted ? 1 : 0) } ?? max(0, fields.count - 1)
        let header = header(of: binder, index)
        return .error(.encoding, "column \(index + 1)\(header.map { " `\($0)`" } ?? ""): \(problem)",
                      at: SourceLocation(file: file, line: row, column: index + 1), help: advice(for: bytes[offset]))
    }

    static func advice(for byte: UInt8) -> String {
        byte == 0
            ? "a NUL byte means a UTF-16 or binary file: save it as UTF-8 text"
            : "a byte-order mark belongs only at the start of a file: were two files joined?"
    }

    /// A file that starts with a UTF-16 byte-order mark: it is neither UTF-8 nor GB18030, and every other byte is NUL.
    static func utf16Problem(_ bytes: UnsafeRawBufferPointer, file: String) -> Diagnostic? {
        guard bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) else {
            return nil
        }
        return .error(.encoding, "`\(file)` is UTF-16 text; expected UTF-8 or GB18030",
                      at: SourceLocation(file: file, line: 1, column: 1),
                      help: "save it as CSV UTF-8 (Excel: Save As › CSV UTF-8)")
    }

    /// When neither UTF-8 nor GB18030 reads a file whose encoding was guessed: a file whose text before its first
    /// invalid UTF-8 already holds valid multi-byte UTF-8 is UTF-8 with a bad byte (GB18030 text almost never
    /// passes for UTF-8 that far), so that byte is reported; otherwise the GB18030 problem is.
    static func likelierEncodingProblem(gb18030: Diagnostic, _ bytes: UnsafeRawBufferPointer, file: String) -> Diagnostic {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var sawMultibyte = false
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) {
            offset += scalar.count
            if scalar.count > 1 { sawMultibyte = true }
        }
        guard sawMultibyte, offset < bytes.count, case .failure(let utf8) = TextDecoding.decode(bytes, as: .utf8, file: file) else {
            return gb18030
        }
        return utf8
    }

    // MARK: - Sizes

    /// The error for a row longer than `limit` bytes, at the cell in which it passes the limit.
    static func overlongRow(_ bytes: UnsafeRawBufferPointer, start: Int, limit: Int, row: Int, file: String,
                            header: (Int) -> String?) -> Diagnostic {
        var column = 1
        var inQuote = false
        for index in start..<min(bytes.count, start + limit) {
            if bytes[index] == CSVScanner.quote { inQuote.toggle() } else if bytes[index] == CSVScanner.comma, !inQuote { column += 1 }
        }
        let cell = header(column - 1).map { " `\($0)`" } ?? ""
        return .error(.inputTooLarge, "row \(row) is longer than \(ByteCount.describe(limit)) (in column \(column)\(cell)); it is not read",
                      at: SourceLocation(file: file, line: row, column: column),
                      help: "the limit is `row-bytes`: raise it with `--limit row-bytes=…` if the row is meant to be this long")
    }

    /// The header of column `index` (0-based), for messages.
    static func header(of binder: TableBinder?, _ index: Int) -> String? {
        guard let binder, binder.columns.indices.contains(index) else { return nil }
        return binder.columns[index]?.header
    }

    /// The error for a JSON Lines line longer than `limit` bytes.
    static func overlongLine(_ line: Int, limit: Int, file: String) -> Diagnostic {
        .error(.inputTooLarge, "line \(line) is longer than \(ByteCount.describe(limit)); it is not read",
               at: SourceLocation(file: file, line: line, column: 1),
               help: "the limit is `row-bytes`: raise it with `--limit row-bytes=…` if the line is meant to be this long")
    }

    /// The size of the file at `path`, without reading it.
    static func size(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// Reads on from a row too long to keep, `partial` being its start, and returns what follows its end: the
    /// row is never held whole. Nil when the file cannot be read. `quoted`: a CSV row, whose quoted line
    /// breaks do not end it (a JSON Lines line has none).
    static func skipRow(startingWith partial: [UInt8], reader: FileByteReader, blockBytes: Int, quoted: Bool,
                        carriageReturns: Bool, bytesRead: inout Int) -> (rest: [UInt8], atEnd: Bool)? {
        var inQuote = false
        if quoted {
            for byte in partial where byte == CSVScanner.quote { inQuote.toggle() }
        }
        var block: [UInt8] = []
        while true {
            block.removeAll(keepingCapacity: true)
            let got = reader.read(into: &block, count: blockBytes)
            if got < 0 { return nil }
            if got == 0 { return ([], true) }
            bytesRead += got
            if carriageReturns { replaceCarriageReturns(in: &block, from: 0) }
            for index in block.indices {
                if quoted, block[index] == CSVScanner.quote {
                    inQuote.toggle()
                } else if block[index] == CSVScanner.newline, !inQuote {
                    return (Array(block[(index + 1)...]), false)
                }
            }
        }
    }
}

extension TextDecoding {
    /// The text of a YAML or JSON file, which is UTF-8 whatever `--encoding` says: the first invalid byte is
    /// reported at its line and column, and a byte-order mark is dropped.
    public static func decodeDocument(_ bytes: UnsafeRawBufferPointer, file: String) -> Result<String, Diagnostic> {
        decode(bytes, as: .utf8, file: file).mapError { problem in
            var problem = problem
            problem.help = "YAML and JSON files are read as UTF-8: save the file as UTF-8"
            return problem
        }
    }
}
