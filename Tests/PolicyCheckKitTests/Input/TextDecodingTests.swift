import PolicyCheckKit
import Testing

/// Input bytes to text: UTF-8 or GB18030 detected, byte order marks dropped, and the first bad
/// byte reported with its offset, line and column.
@Suite("Decoding input text")
struct TextDecodingTests {
    /// 绍兴, ￥ (A3 A4), € (A2 E3) and 𠀀 U+20000, a four-byte GB18030 sequence (95 32 82 36), over two lines.
    static let text = "编号,金额\n绍兴,￥12 €3 𠀀\n"
    static let gb18030: [UInt8] = [
        0xB1, 0xE0, 0xBA, 0xC5, 0x2C, 0xBD, 0xF0, 0xB6, 0xEE, 0x0A,              // 编号,金额\n
        0xC9, 0xDC, 0xD0, 0xCB, 0x2C, 0xA3, 0xA4, 0x31, 0x32, 0x20, 0xA2, 0xE3,  // 绍兴,￥12 €
        0x33, 0x20, 0x95, 0x32, 0x82, 0x36, 0x0A,                                // 3 𠀀\n
    ]

    static func decode(_ bytes: [UInt8], as encoding: TextEncoding, file: String = "in.csv") -> Result<String, Diagnostic> {
        bytes.withUnsafeBytes { TextDecoding.decode($0, as: encoding, file: file) }
    }

    static func transcode(_ bytes: [UInt8], from encoding: TextEncoding) -> Result<[UInt8], Diagnostic> {
        bytes.withUnsafeBytes { TextDecoding.transcodeToUTF8($0, from: encoding, file: "in.csv") }
    }

    static func detect(_ bytes: [UInt8]) -> TextEncoding {
        bytes.withUnsafeBytes { TextDecoding.detect($0) }
    }

    static func failure<T>(_ result: Result<T, Diagnostic>) -> Diagnostic? {
        if case .failure(let diagnostic) = result { return diagnostic }
        return nil
    }

    @Test("GB18030 decodes, four-byte sequences included")
    func gb18030RoundTrip() throws {
        #expect(try Self.decode(Self.gb18030, as: .gb18030).get() == Self.text)
        #expect(try Self.transcode(Self.gb18030, from: .gb18030).get() == Array(Self.text.utf8))
    }

    @Test("every GB18030 four-byte range: the BMP beyond the two-byte table and the supplementary planes")
    func fourByteRanges() throws {
        let cases: [([UInt8], String)] = [
            ([0x81, 0x30, 0x81, 0x30], "\u{80}"),
            ([0x81, 0x30, 0x8A, 0x32], "\u{E5}"),        // å
            ([0x84, 0x31, 0xA4, 0x39], "\u{FFFF}"),      // the last BMP code point
            ([0x90, 0x30, 0x81, 0x30], "\u{10000}"),     // the first supplementary code point
            ([0x95, 0x32, 0x82, 0x36], "\u{20000}"),     // 𠀀
            ([0xE3, 0x32, 0x9A, 0x35], "\u{10FFFF}"),    // the last code point
        ]
        for (bytes, expected) in cases {
            #expect(try Self.decode(bytes, as: .gb18030).get() == expected, "\(bytes)")
        }
    }

    @Test("detection: UTF-8 by its byte order mark or validity, GB18030 otherwise")
    func detection() {
        #expect(Self.detect([]) == .utf8)
        #expect(Self.detect(Array("plain ascii,1,2\n".utf8)) == .utf8)
        #expect(Self.detect(Array(Self.text.utf8)) == .utf8)
        #expect(Self.detect([0xEF, 0xBB, 0xBF] + Self.gb18030) == .utf8)
        #expect(Self.detect(Self.gb18030) == .gb18030)
    }

    @Test("detection looks at the first 64 KiB and forgives a character cut by its end")
    func detectionSample() {
        // 绍 is E7 BB 8D in UTF-8: put it across the 64 KiB boundary, with invalid bytes after the sample.
        let size = TextDecoding.detectionSampleSize
        let cut = [UInt8](repeating: 0x61, count: size - 1) + [0xE7, 0xBB, 0x8D] + [0xFF]
        #expect(Self.detect(cut) == .utf8)
        // The whole file ending in the middle of a character is not UTF-8.
        #expect(Self.detect(Array("ab".utf8) + [0xE7, 0xBB]) == .gb18030)
        // The start of a longer file, read up to the middle of a character, is.
        #expect((Array("ab".utf8) + [0xE7, 0xBB]).withUnsafeBytes { TextDecoding.detect($0, isWhole: false) } == .utf8)
    }

    @Test("a UTF-8 byte order mark is dropped")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)
        #expect(try Self.decode(bytes, as: .utf8).get() == Self.text)
        #expect(try Self.transcode(bytes, from: .utf8).get() == Array(Self.text.utf8))
        #expect(try Self.decode([0xEF, 0xBB, 0xBF], as: .utf8).get() == "")
        // GB18030's own mark (U+FEFF as 84 31 95 33) is dropped too.
        #expect(try Self.decode([0x84, 0x31, 0x95, 0x33] + Self.gb18030, as: .gb18030).get() == Self.text)
    }

    @Test("invalid UTF-8 is located by byte offset, line and column, with advice")
    func invalidUTF8() throws {
        // Line 2 starts at byte 17 (after the mark and `编号,金额\n`); 绍兴, takes 3 columns and 7 bytes.
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("编号,金额\n绍兴,".utf8) + [0xC9, 0xDC] + Array("\n".utf8)
        for result in [Self.failure(Self.decode(bytes, as: .utf8, file: "in.csv")),
                       Self.failure(Self.transcode(bytes, from: .utf8))] {
            let diagnostic = try #require(result)
            #expect(diagnostic.code == .encoding)
            #expect(diagnostic.message == "invalid UTF-8 at byte 24 (line 2)")
            #expect(diagnostic.location == SourceLocation(file: "in.csv", line: 2, column: 4))
            #expect(diagnostic.help == "the file may be GB18030: pass `--encoding gb18030`")
        }
        // Overlong forms, surrogates and code points above U+10FFFF are not UTF-8 either.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE7, 0xBB]] {
            let diagnostic = try #require(Self.failure(Self.decode(Array("ok ".utf8) + bad, as: .utf8)), "\(bad)")
            #expect(diagnostic.message == "invalid UTF-8 at byte 3 (line 1)")
            #expect(diagnostic.location?.column == 4)
        }
    }

    @Test("an invalid GB18030 sequence is located by byte offset, line and column")
    func invalidGB18030() throws {
        // 0xFF is never a GB18030 byte; it follows `绍兴,` on line 2, which starts at byte 10.
        let bytes = Array(Self.gb18030[0..<15]) + [0xFF, 0x31] + Array(Self.gb18030[15...])
        let diagnostic = try #require(Self.failure(Self.decode(bytes, as: .gb18030)))
        #expect(diagnostic.code == .encoding)
        #expect(diagnostic.message == "invalid GB18030 sequence at byte 15 (line 2)")
        #expect(diagnostic.location == SourceLocation(file: "in.csv", line: 2, column: 4))
        let transcoded = try #require(Self.failure(Self.transcode(bytes, from: .gb18030)))
        #expect(transcoded == diagnostic)
    }

    @Test("a GB18030 character cut by the end of the file is an error at its first byte")
    func incompleteGB18030() throws {
        let bytes = Self.gb18030 + [0x95, 0x32]
        let diagnostic = try #require(Self.failure(Self.decode(bytes, as: .gb18030)))
        #expect(diagnostic.code == .encoding)
        #expect(diagnostic.message == "incomplete GB18030 sequence at byte \(Self.gb18030.count) (line 3)")
        #expect(diagnostic.location == SourceLocation(file: "in.csv", line: 3, column: 1))
    }

    @Test("a large GB18030 buffer converts whole")
    func largeBuffer() throws {
        // About 3 MiB: enough to cross any internal chunking.
        let line = Self.gb18030
        let bytes = Array([[UInt8]](repeating: line, count: 100_000).joined())
        let text = try Self.decode(bytes, as: .gb18030).get()
        #expect(text.utf8.count == Self.text.utf8.count * 100_000)
        #expect(text.hasSuffix(Self.text))
    }

    @Test("empty input is empty text in both encodings")
    func empty() throws {
        for encoding in TextEncoding.allCases {
            #expect(try Self.decode([], as: encoding).get() == "")
            #expect(try Self.transcode([], from: encoding).get() == [])
        }
    }
}
