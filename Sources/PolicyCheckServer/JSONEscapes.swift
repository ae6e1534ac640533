/// JSON text rewritten for the YAML reader under `DocumentRecordReader`, which refuses the
/// `\uD83D\uDE00` surrogate-pair escapes that JSON encoders write for characters beyond the
/// Basic Multilingual Plane (Python's `json.dumps` does by default).
enum JSONEscapes {
    /// The text with each escaped surrogate pair inside a string replaced by the character it
    /// stands for; everything else, lone surrogates included, is left as it was.
    /// - Complexity: O(n) over the UTF-8 bytes; returns the same string when there is no `\u` escape.
    static func decodingSurrogatePairs(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 12, containsUnicodeEscape(bytes) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if !inString {
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte)
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = false
                out.append(byte)
                index += 1
            } else if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "u"), let high = hex4(bytes, at: index + 2), (0xD800...0xDBFF).contains(high),
                   index + 11 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u"),
                   let low = hex4(bytes, at: index + 8), (0xDC00...0xDFFF).contains(low),
                   let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    index += 12
                } else {
                    out.append(byte)
                    out.append(bytes[index + 1])
                    index += 2
                }
            } else {
                out.append(byte)
                index += 1
            }
        }
        bytes = out
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func containsUnicodeEscape(_ bytes: [UInt8]) -> Bool {
        for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "u") {
            return true
        }
        return false
    }

    private static func hex4(_ bytes: [UInt8], at start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[start..<(start + 4)] {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
