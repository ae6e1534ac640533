#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings an input file may be written in: UTF-8, or GB18030 (and so GBK and GB2312,
/// which it contains), as spreadsheets and exports on Chinese Windows write them.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8
    case gb18030
}

extension DiagnosticCode {
    /// The bytes of an input file are not valid in the encoding it is read as.
    public static let encoding: DiagnosticCode = "encoding"
}

/// Turns the bytes of an input file into text: detects the encoding, strips a byte order mark,
/// and reports the first bad byte with its offset, line and column.
///
/// GB18030 goes through the C library's `iconv` because Foundation on Linux has no GB18030
/// decoder; `iconv` converts whole buffers, with all four-byte sequences (U+10000 and above).
public enum TextDecoding {
    /// How much of a file `detect(_:)` looks at.
    public static let detectionSampleSize = 64 * 1024

    /// Guesses the encoding of a file from its first bytes.
    ///
    /// A UTF-8 byte order mark, or valid UTF-8 over the first 64 KiB (a multi-byte sequence cut
    /// by the end of the sample is allowed), means UTF-8; anything else is taken to be GB18030.
    /// Pure ASCII and empty input are UTF-8. `isWhole`: whether `bytes` are the whole file; when they
    /// are only its start, a sequence cut by their end is allowed too.
    ///
    /// - Complexity: O(min(n, 64 KiB)).
    public static func detect(_ bytes: UnsafeRawBufferPointer, isWhole: Bool = true) -> TextEncoding {
        if hasUTF8BOM(bytes) { return .utf8 }
        let sample = UnsafeRawBufferPointer(rebasing: bytes.prefix(detectionSampleSize))
        let cut = bytes.count > sample.count || !isWhole
        return UTF8Validation.firstInvalidOffset(in: sample, allowingCutSequenceAtEnd: cut) == nil ? .utf8 : .gb18030
    }

    /// The text of `bytes` read as `encoding`, without a byte order mark.
    ///
    /// A byte that is invalid in the encoding is an error with code `encoding`, located at its
    /// line and column in `file`; the message gives its byte offset (counted from 0, byte order
    /// mark included), as a hex editor shows it.
    ///
    /// - Complexity: O(n); GB18030 is converted by `iconv` in one pass with no per-character Swift code.
    public static func decode(_ bytes: UnsafeRawBufferPointer, as encoding: TextEncoding,
                              file: String) -> Result<String, Diagnostic> {
        switch encoding {
        case .utf8:
            let bomLength = utf8BOMLength(bytes)
            let body = UnsafeRawBufferPointer(rebasing: bytes[bomLength...])
            if let offset = UTF8Validation.firstInvalidOffset(in: body, allowingCutSequenceAtEnd: false) {
                return .failure(invalidUTF8(at: bomLength + offset, in: bytes, file: file))
            }
            return .success(String(decoding: body, as: UTF8.self))
        case .gb18030:
            var failure: Diagnostic?
            let bound = GB18030Conversion.outputBound(forInputCount: bytes.count)
            let text = String(unsafeUninitializedCapacity: bound) { output in
                switch GB18030Conversion.convert(bytes, into: UnsafeMutableRawBufferPointer(output)) {
                case .success(let count): return GB18030Conversion.droppingLeadingBOM(in: output, count: count)
                case .failure(let problem):
                    failure = problem.diagnostic(for: bytes, file: file)
                    return 0
                }
            }
            if let failure { return .failure(failure) }
            return .success(text)
        }
    }

    /// The UTF-8 bytes of `bytes` read as `encoding`, without a byte order mark.
    ///
    /// UTF-8 input is validated and returned as it is; GB18030 input is converted. Errors are
    /// those of `decode(_:as:file:)`.
    ///
    /// - Complexity: O(n), as `decode(_:as:file:)`.
    public static func transcodeToUTF8(_ bytes: UnsafeRawBufferPointer, from encoding: TextEncoding,
                                       file: String) -> Result<[UInt8], Diagnostic> {
        switch encoding {
        case .utf8:
            let bomLength = utf8BOMLength(bytes)
            let body = UnsafeRawBufferPointer(rebasing: bytes[bomLength...])
            if let offset = UTF8Validation.firstInvalidOffset(in: body, allowingCutSequenceAtEnd: false) {
                return .failure(invalidUTF8(at: bomLength + offset, in: bytes, file: file))
            }
            return .success([UInt8](body))
        case .gb18030:
            var failure: Diagnostic?
            let bound = GB18030Conversion.outputBound(forInputCount: bytes.count)
            let result = [UInt8](unsafeUninitializedCapacity: bound) { output, initialized in
                switch GB18030Conversion.convert(bytes, into: UnsafeMutableRawBufferPointer(output)) {
                case .success(let count):
                    initialized = GB18030Conversion.droppingLeadingBOM(in: output, count: count)
                case .failure(let problem):
                    failure = problem.diagnostic(for: bytes, file: file)
                    initialized = 0
                }
            }
            if let failure { return .failure(failure) }
            return .success(result)
        }
    }

    // MARK: - UTF-8

    static func hasUTF8BOM(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    static func utf8BOMLength(_ bytes: UnsafeRawBufferPointer) -> Int { hasUTF8BOM(bytes) ? 3 : 0 }

    /// The diagnostic for the invalid sequence at `offset`, which counts the byte order mark.
    private static func invalidUTF8(at offset: Int, in bytes: UnsafeRawBufferPointer, file: String) -> Diagnostic {
        let bomLength = utf8BOMLength(bytes)
        let (line, lineStart) = TextPosition.line(of: offset, in: bytes)
        // The prefix is valid UTF-8, so its scalars are its bytes that are not continuation bytes.
        var column = 1
        for index in max(lineStart, bomLength)..<offset where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return .error(.encoding, "invalid UTF-8 at byte \(offset) (line \(line))",
                      at: SourceLocation(file: file, line: line, column: column),
                      help: "the file may be GB18030: pass `--encoding gb18030`")
    }
}

/// Where a byte offset falls in a text: lines are ended by LF (a CR before it belongs to the line).
private enum TextPosition {
    /// The 1-based line of `offset` and the offset at which that line starts.
    ///
    /// LF (0x0A) is never part of a multi-byte character in UTF-8 or GB18030, so counting bytes is exact.
    static func line(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, lineStart: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, lineStart)
    }
}

/// A strict UTF-8 validator (no overlong forms, surrogates or values above U+10FFFF) that says where it failed.
private enum UTF8Validation {
    /// The offset of the first byte of the first invalid sequence, or nil when all of `bytes` is valid.
    ///
    /// With `allowingCutSequenceAtEnd`, a sequence that is valid so far but cut by the end of
    /// `bytes` is accepted: `bytes` is then a sample of a longer text.
    ///
    /// - Complexity: O(n), eight ASCII bytes at a time.
    static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer, allowingCutSequenceAtEnd: Bool) -> Int? {
        let count = bytes.count
        var index = 0
        while index < count {
            // Skip runs of ASCII a word at a time.
            while index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return index
            }
            for position in 1..<length {
                guard index + position < count else {
                    return allowingCutSequenceAtEnd ? nil : index
                }
                let byte = bytes[index + position]
                let range = position == 1 ? secondRange : 0x80...0xBF
                if !range.contains(byte) { return index }
            }
            index += length
        }
        return nil
    }
}

/// GB18030 → UTF-8 through `iconv`.
private enum GB18030Conversion {
    enum Problem: Error {
        /// `iconv` cannot convert the sequence at this offset.
        case invalidSequence(offset: Int)
        /// The input ends inside a sequence that starts at this offset.
        case incompleteSequence(offset: Int)
        /// The C library has no GB18030 converter.
        case unavailable(errno: Int32)
        /// The output did not fit the bound computed for it; never expected.
        case outputOverflow

        func diagnostic(for bytes: UnsafeRawBufferPointer, file: String) -> Diagnostic {
            switch self {
            case .invalidSequence(let offset), .incompleteSequence(let offset):
                let (line, lineStart) = TextPosition.line(of: offset, in: bytes)
                let column = 1 + characterCount(in: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<offset]))
                let what = if case .incompleteSequence = self { "incomplete" } else { "invalid" }
                return .error(.encoding, "\(what) GB18030 sequence at byte \(offset) (line \(line))",
                              at: SourceLocation(file: file, line: line, column: column),
                              help: "check that the file is GB18030 (or GBK); a UTF-8 file needs `--encoding utf8`")
            case .unavailable(let code):
                return .error(.fileUnreadable,
                              "cannot read `\(file)` as GB18030: the system has no GB18030 converter (errno \(code))",
                              at: nil)
            case .outputOverflow:
                return .error(.fileUnreadable, "cannot read `\(file)` as GB18030: the converted text outgrew its buffer",
                              at: nil)
            }
        }
    }

    /// The most UTF-8 bytes `count` bytes of GB18030 can become: a two-byte character may take
    /// three bytes in UTF-8, a four-byte one at most four, ASCII one.
    static func outputBound(forInputCount count: Int) -> Int { count + count / 2 + 4 }

    /// The number of characters in valid GB18030 `bytes`: ASCII takes one byte, a character whose
    /// second byte is a digit four, any other two.
    static func characterCount(in bytes: UnsafeRawBufferPointer) -> Int {
        var characters = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
            } else if index + 1 < bytes.count, (0x30...0x39).contains(bytes[index + 1]) {
                index += 4
            } else {
                index += 2
            }
            characters += 1
        }
        return characters
    }

    /// Converts all of `input` into `output`, which must hold `outputBound(forInputCount:)` bytes;
    /// returns the number of bytes written.
    static func convert(_ input: UnsafeRawBufferPointer,
                        into output: UnsafeMutableRawBufferPointer) -> Result<Int, Problem> {
        guard !input.isEmpty else { return .success(0) }
        let converter = iconv_open("UTF-8", "GB18030")
        if converter == iconv_t(bitPattern: -1) { return .failure(.unavailable(errno: errno)) }
        defer { iconv_close(converter) }
        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else {
            return .failure(.outputOverflow)
        }
        // iconv takes `char **` for its input but never writes through it.
        var inPointer: UnsafeMutablePointer<CChar>? =
            UnsafeMutablePointer(mutating: inputBase.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var outPointer: UnsafeMutablePointer<CChar>? = outputBase.assumingMemoryBound(to: CChar.self)
        var outLeft = output.count
        // One call converts everything; iconv loops internally, so the Swift side does no per-character work.
        while inLeft > 0 {
            if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                let offset = input.count - inLeft
                switch errno {
                case EILSEQ: return .failure(.invalidSequence(offset: offset))
                case EINVAL: return .failure(.incompleteSequence(offset: offset))
                case E2BIG: return .failure(.outputOverflow)
                default: return .failure(.invalidSequence(offset: offset))
                }
            }
        }
        return .success(output.count - outLeft)
    }

    /// A GB18030 byte order mark (84 31 95 33) converts to U+FEFF; like the UTF-8 one, it is not text.
    static func droppingLeadingBOM(in output: UnsafeMutableBufferPointer<UInt8>, count: Int) -> Int {
        guard count >= 3, output[0] == 0xEF, output[1] == 0xBB, output[2] == 0xBF,
              let base = output.baseAddress else { return count }
        UnsafeMutableRawPointer(base).copyMemory(from: base + 3, byteCount: count - 3)  // memmove: the regions overlap
        return count - 3
    }
}
