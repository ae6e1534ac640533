/// A strict JSON parser (RFC 8259) that keeps every value's line and column, for JSON files and
/// JSON Lines. Numbers keep their text, so decimals stay exact.
struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private let file: String
    private var line: Int
    /// Where the current line starts: columns are counted from here.
    private var lineStart = 0
    /// The last column counted and where: locations move forward, so counting resumes there rather than at
    /// the line's start, which on a line of megabytes would make reading it quadratic.
    private var counted = (index: 0, column: 1)
    private var depth = 0
    private let maxDepth: Int

    /// Parses one JSON value that makes up all of `bytes` (a JSON file, or one line of a JSONL file starting at `line`).
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String, line: Int, maxDepth: Int = 256) -> Result<LocatedNode, Diagnostic> {
        // Without its last line end, so a value cut short is reported on its own line, not the next.
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        var parser = JSONParser(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), file: file, line: line, maxDepth: maxDepth)
        do throws(Diagnostic) {
            parser.skipSpace()
            let value = try parser.value()
            parser.skipSpace()
            if parser.index < end { throw parser.problem("unexpected text after the JSON value") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// The string whose opening quote is at `start`, escapes decoded, and the index just past its closing quote;
    /// nil for a string this parser refuses. For readers that need the parser's strings and not its nodes.
    static func string(in bytes: UnsafeRawBufferPointer, at start: Int) -> (text: String, end: Int)? {
        var parser = JSONParser(bytes: bytes, file: "", line: 1, maxDepth: 0)
        parser.index = start
        guard let text = try? parser.string() else { return nil }
        return (text, parser.index)
    }

    private init(bytes: UnsafeRawBufferPointer, file: String, line: Int, maxDepth: Int) {
        self.bytes = bytes
        self.file = file
        self.line = line
        self.maxDepth = maxDepth
    }

    /// The column of the current byte, counting Unicode scalars (continuation bytes do not count).
    private var location: SourceLocation {
        mutating get {
            if counted.index < lineStart || counted.index > index { counted = (lineStart, 1) }
            var column = counted.column
            for i in min(counted.index, bytes.count)..<min(index, bytes.count) where bytes[i] & 0xC0 != 0x80 { column += 1 }
            counted = (index, column)
            return SourceLocation(file: file, line: line, column: column)
        }
    }

    private mutating func problem(_ message: String) -> Diagnostic {
        .error(.jsonSyntax, message, at: location)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func value() throws(Diagnostic) -> LocatedNode {
        guard index < bytes.count else { throw problem("expected a JSON value, found the end of the line") }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            if depth > maxDepth { throw problem("nesting deeper than \(maxDepth) levels") }
            index += 1
            var pairs: [(key: LocatedScalar, value: LocatedNode)] = []
            // Keys are compared with the few before them; a set of them pays only for a large object.
            var seen: Set<String>?
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .mapping(pairs, start)
            }
            while true {
                skipSpace()
                let keyLocation = location
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw problem("expected a quoted key") }
                let key = try string()
                if Self.isDuplicate(key, in: pairs, seen: &seen) {
                    throw Diagnostic.error(.duplicateKey, "duplicate key `\(key)` in one object", at: keyLocation)
                }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw problem("expected `:` after a key") }
                index += 1
                skipSpace()
                pairs.append((LocatedScalar(text: key, style: .quoted, location: keyLocation), try value()))
                skipSpace()
                guard index < bytes.count else { throw problem("expected `,` or `}`, found the end of the line") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .mapping(pairs, start) }
                throw problem("expected `,` or `}`")
            }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            if depth > maxDepth { throw problem("nesting deeper than \(maxDepth) levels") }
            index += 1
            var items: [LocatedNode] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .sequence(items, start)
            }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw problem("expected `,` or `]`, found the end of the line") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .sequence(items, start) }
                throw problem("expected `,` or `]`")
            }
        case UInt8(ascii: "\""):
            return .scalar(LocatedScalar(text: try string(), style: .quoted, location: start))
        default:
            var end = index
            while end < bytes.count, !Self.endsWord(bytes[end]) { end += 1 }
            if end == index {
                throw problem("expected a JSON value, found `\(Character(Unicode.Scalar(bytes[index])))`")
            }
            if bytes[index] == 0xEF, end - index >= 3, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
                throw problem("a byte-order mark (U+FEFF) where a JSON value should start; were two files joined?")
            }
            if bytes[index] < 0x20 {
                let hex = String(bytes[index], radix: 16, uppercase: true)
                throw problem("a control character (U+\(String(repeating: "0", count: 4 - hex.count) + hex)) where a JSON value should start")
            }
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
            guard word == "true" || word == "false" || word == "null" || Self.isNumber(word) else {
                throw problem("invalid JSON value `\(word.abbreviated)`")
            }
            index = end
            return .scalar(LocatedScalar(text: word, style: .plain, location: start))
        }
    }

    /// A byte that ends a `true`, `false`, `null` or number: a delimiter or JSON white space.
    static func endsWord(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0D, 0x0A: true
        default: false
        }
    }

    /// Whether `key` is already a key of `pairs`: by scanning them while they are few, then by a set of them.
    /// - Complexity: O(1) amortized per key.
    private static func isDuplicate(_ key: String, in pairs: [(key: LocatedScalar, value: LocatedNode)],
                                    seen: inout Set<String>?) -> Bool {
        if pairs.count < 16 {
            return pairs.contains { $0.key.text == key }
        }
        if seen == nil { seen = Set(pairs.map(\.key.text)) }
        return seen?.insert(key).inserted == false
    }

    static func isNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        guard let first = scalars.first, first.isDigit else { return false }
        if first == "0", scalars.count > 1, scalars.dropFirst().first?.isDigit == true { return false }
        var sawPoint = false, sawExponent = false, previous: Unicode.Scalar = first
        for scalar in scalars.dropFirst() {
            switch scalar {
            case "0"..."9": break
            case "." where !sawPoint && !sawExponent: sawPoint = true
            case "e", "E": if sawExponent { return false }; sawExponent = true
            case "+", "-": if previous != "e" && previous != "E" { return false }
            default: return false
            }
            previous = scalar
        }
        return previous.isDigit
    }

    private mutating func string() throws(Diagnostic) -> String {
        index += 1  // opening quote
        // Most strings hold no escape: they are made straight from the input, checked as UTF-8 only when not ASCII.
        var end = index
        var ascii = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let text = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
            index = end + 1
            guard ascii || UTF8Check.isValid(text) else { throw problem("invalid UTF-8 in a string") }
            return String(decoding: text, as: UTF8.self)
        }
        var out = Array(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
        index = end
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let text = out.withUnsafeBytes(UTF8Check.string) else { throw problem("invalid UTF-8 in a string") }
                return text
            }
            if byte < 0x20 { throw problem("a control character inside a string must be escaped") }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u") else {
                            throw problem("a lone UTF-16 surrogate in `\\u` escape")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw problem("an invalid UTF-16 surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw problem("an invalid `\\u` escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw problem("invalid escape in a string")
                }
                index += 1
                continue
            }
            out.append(byte)
            index += 1
        }
        throw problem("unterminated string")
    }

    private mutating func hex4() throws(Diagnostic) -> UInt32 {
        guard index + 4 < bytes.count else { throw problem("`\\u` needs four hexadecimal digits") }
        var value: UInt32 = 0
        for offset in 1...4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: throw problem("`\\u` needs four hexadecimal digits")
            }
            value = value * 16 + UInt32(digit)
        }
        index += 4
        return value
    }
}
