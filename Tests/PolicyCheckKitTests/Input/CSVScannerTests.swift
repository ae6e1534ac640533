@testable import PolicyCheckKit
import Testing

@Suite("CSV rows and fields (RFC 4180)")
struct CSVScannerTests {
    func rows(_ text: String, isFinal: Bool = true) -> (rows: [[String]], consumed: Int, openQuote: Int?) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            var ends: [Int] = []
            let (consumed, open) = CSVScanner.rowEnds(raw, from: 0, isFinal: isFinal, into: &ends)
            var fields: [CSVScanner.FieldRange] = []
            var rows: [[String]] = []
            for (index, end) in ends.enumerated() {
                _ = CSVScanner.fields(raw, start: index == 0 ? 0 : ends[index - 1], end: end, into: &fields)
                rows.append(fields.map { CSVScanner.string(raw, $0) ?? "<invalid>" })
            }
            return (rows, consumed, open)
        }
    }

    @Test("quoted fields with commas, doubled quotes and line breaks")
    func quoting() {
        let result = rows("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,,3")
        #expect(result.rows == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
    }

    @Test("a row cut by the end of a block waits for the next block")
    func partialRow() {
        let result = rows("a,b\n1,\"open", isFinal: false)
        #expect(result.rows == [["a", "b"]])
        #expect(result.consumed == 4)
    }

    @Test("an unbalanced quote at the end of the file is reported where its row starts")
    func unbalancedQuote() {
        let result = rows("a,b\n1,\"never closed\n2,3\n")
        #expect(result.rows == [["a", "b"]])
        #expect(result.openQuote == 6)
    }

    @Test("text after a closing quote is a problem with its field")
    func textAfterQuote() {
        let bytes = Array("\"a\"x,b".utf8)
        bytes.withUnsafeBytes { raw in
            var fields: [CSVScanner.FieldRange] = []
            #expect(CSVScanner.fields(raw, start: 0, end: raw.count, into: &fields) == .textAfterQuote(field: 0))
        }
    }

    @Test("a trailing comma is an empty last field; invalid UTF-8 is no string")
    func edges() {
        #expect(rows("a,b,\n").rows == [["a", "b", ""]])
        let bytes: [UInt8] = [0x61, 0x2C, 0xFF, 0xFE]
        bytes.withUnsafeBytes { raw in
            var fields: [CSVScanner.FieldRange] = []
            _ = CSVScanner.fields(raw, start: 0, end: raw.count, into: &fields)
            #expect(CSVScanner.string(raw, fields[1]) == nil)
        }
    }

    /// Row ends found a byte at a time, tracking quotes: the scanner's `memchr` path must agree with it.
    static func referenceRowEnds(_ bytes: [UInt8], isFinal: Bool) -> (ends: [Int], consumed: Int, openQuote: Int?) {
        var inQuote = false, rowStart = 0, quoteStart = 0
        var ends: [Int] = []
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") {
                if !inQuote { quoteStart = index }
                inQuote.toggle()
            } else if byte == UInt8(ascii: "\n"), !inQuote {
                ends.append(index + 1)
                rowStart = index + 1
            }
        }
        if isFinal {
            if inQuote { return (ends, rowStart, quoteStart) }
            if rowStart < bytes.count {
                ends.append(bytes.count)
                rowStart = bytes.count
            }
        }
        return (ends, rowStart, nil)
    }

    /// Random tables of quoted and bare cells, commas, doubled quotes, CR LF and line breaks inside quotes,
    /// sometimes cut short or left with a quote open.
    static func randomTable(_ random: inout SplitMix64) -> [UInt8] {
        let cells = ["", "a", "12.5", "是", "\"x, y\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"\"", "b c", "\"open",
                     "-5", "-", "--,", "绍兴市住房和城乡建设局", "2023-04-07", "-,-"]
        var text = ""
        for _ in 0..<random.int(in: 0...6) {
            let width = random.int(in: 1...12)
            text += (0..<width).map { _ in random.pick(cells) }.joined(separator: ",")
            text += random.chance(20) ? "\r\n" : "\n"
        }
        if random.chance(30) { text += random.pick(cells) }
        return Array(text.utf8)
    }

    @Test("rows and fields agree with a byte-at-a-time reading on random tables, final or cut short")
    func randomTablesAgreeWithReference() {
        var random = SplitMix64(seed: 0x5EED_C5F0)
        var reused: [CSVScanner.FieldRange] = []
        var row = CSVRow()
        for _ in 0..<3000 {
            let bytes = Self.randomTable(&random)
            let isFinal = random.chance(70)
            bytes.withUnsafeBytes { raw in
                var ends: [Int] = []
                let (consumed, open) = CSVScanner.rowEnds(raw, from: 0, isFinal: isFinal, into: &ends)
                let expected = Self.referenceRowEnds(bytes, isFinal: isFinal)
                #expect(ends == expected.ends && consumed == expected.consumed && open == expected.openQuote,
                        "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                // The same row split into slots left by an earlier row and into an empty array (the general path).
                for (index, end) in ends.enumerated() {
                    let start = index == 0 ? 0 : ends[index - 1]
                    var fresh: [CSVScanner.FieldRange] = []
                    let problem = CSVScanner.fields(raw, start: start, end: end, into: &reused)
                    let expectedProblem = CSVScanner.fields(raw, start: start, end: end, into: &fresh)
                    #expect(problem == expectedProblem)
                    func numbers(_ fields: some Collection<CSVScanner.FieldRange>) -> [[Int]] {
                        fields.map { [$0.start, $0.end, $0.isQuoted ? 1 : 0, $0.column] }
                    }
                    if problem == nil {
                        #expect(numbers(reused) == numbers(fresh))
                        #expect(fresh.map(\.column) == Array(fresh.indices))
                    }
                    // The binder's split: only the non-empty fields, each with its column, and how many there were.
                    #expect(row.split(raw, start: start, end: end) == expectedProblem)
                    if expectedProblem == nil {
                        #expect(numbers(row.slots[..<row.count]) == numbers(fresh.filter { $0.end > $0.start }))
                        #expect(row.fieldCount == fresh.count)
                    }
                }
            }
        }
    }
}
