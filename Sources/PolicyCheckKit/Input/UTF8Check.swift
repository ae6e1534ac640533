/// Checks bytes are well-formed UTF-8 without making a string of them (RFC 3629: no overlongs,
/// no surrogates, nothing above U+10FFFF).
enum UTF8Check {
    /// The bytes as a string, or nil if they are not UTF-8. Checked here, then made through the standard
    /// library's concrete path for a byte buffer: its generic `String(validating:)` looks up type metadata
    /// at run time, under a lock, for every call — once per cell of a large CSV.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isValid(bytes) else { return nil }
        return String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xE0, b1 < 0xA0 { return false }
                if b0 == 0xED, b1 > 0x9F { return false }
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xF0, b1 < 0x90 { return false }
                if b0 == 0xF4, b1 > 0x8F { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
