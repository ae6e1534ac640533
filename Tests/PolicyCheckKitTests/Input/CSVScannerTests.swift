import PolicyCheckKit
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
}
