import Foundation
import PolicyCheckKit
import Testing
import ZIPFoundation

/// Worksheets read into rows of text: the cell kinds a workbook stores, dates from serial days,
/// and hostile files (not a zip, truncated, missing parts, zip bombs) as diagnostics.
@Suite("Reading XLSX workbooks")
struct XLSXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    static func rows(_ data: Data, sheet: String? = nil,
                     limits: XLSXReader.Limits = XLSXReader.Limits()) -> Result<[TableRow], Diagnostic> {
        XLSXReader.rows(data: data, file: "book.xlsx", sheet: sheet, limits: limits)
    }

    static func failure(_ result: Result<[TableRow], Diagnostic>) -> Diagnostic? {
        if case .failure(let diagnostic) = result { return diagnostic }
        return nil
    }

    // MARK: Cells

    @Test("sheet names in the workbook's order")
    func sheetNames() throws {
        let names = try XLSXReader.sheetNames(data: Self.fixture("basic.xlsx"), file: "basic.xlsx").get()
        #expect(names == ["名单", "日期"])
    }

    @Test("the first sheet: shared, rich, inline and Chinese strings, numbers as written, booleans, formulas, dates, gaps")
    func firstSheet() throws {
        let rows = try Self.rows(Self.fixture("basic.xlsx")).get()
        #expect(rows == [
            TableRow(number: 1, cells: ["编号", "姓名", "日期", "金额", "通过", "备注", "内联", "公式"]),
            // C2 is a date with a custom format, F2 a shared rich string, G2 an inline rich string,
            // H2 a formula with its cached value
            TableRow(number: 2, cells: ["A-1", "张三", "2024-03-05", "1234.5", "true", "加粗与普通", "内联 文本", "2469"]),
            // C3 is 23:59:59 on the day; F3 keeps its spaces and escaped characters; H3 a string formula
            TableRow(number: 3, cells: ["A-2", "李四", "2024-12-31", "0.1", "false", "  A&B <c>  ", "", "A-2x"]),
            // row 4 is blank; a `yyyy"年"m"月"d"日"` date; `1.50` stays as written; an error value
            TableRow(number: 5, cells: ["A-3", "", "2022-04-10", "1.50", "", "#N/A"]),
            // the phonetic guide of B6 is not part of its text
            TableRow(number: 6, cells: ["A-4", "绍兴市人民政府", "", "", "1.0E+20"]),
        ])
    }

    @Test("serial days under built-in and custom formats, with the 1900 leap-year bug")
    func serialDates() throws {
        let rows = try Self.rows(Self.fixture("basic.xlsx"), sheet: "日期").get()
        #expect(rows.map(\.number) == Array(1...9))
        #expect(rows.map { $0.cells.first ?? "" } == [
            "1900-02-28",   // 59, format 14
            "1900-02-29",   // 60: the day Excel invents
            "1900-03-01",   // 61
            "2024-03-05",   // yyyy/m/d
            "2024-03-05",   // 45356.5 under format 22 (m/d/yy h:mm): the time is dropped
            "45356",        // 0.00 is a number format
            "2024-03-05",   // [$-804]yyyy"年"m"月"d"日"
            "45356",        // #,##0 "days": the d is quoted text
            "1234.5",       // General
        ])
    }

    @Test("a 1904 workbook counts days from 1904-01-01")
    func date1904() throws {
        let rows = try Self.rows(Self.fixture("date1904.xlsx")).get()
        #expect(rows == [
            TableRow(number: 1, cells: ["日期"]),
            TableRow(number: 2, cells: ["2024-03-05"]),
            TableRow(number: 3, cells: ["1904-01-01"]),
        ])
    }

    @Test("sheet names are matched as Excel matches them, case aside")
    func sheetByName() throws {
        let workbook = try Self.workbook(sheets: [("Data", Self.sheetXML(#"<row r="1"><c r="B1"><v>7</v></c></row>"#))])
        #expect(try Self.rows(workbook, sheet: "data").get() == [TableRow(number: 1, cells: ["", "7"])])
    }

    @Test("an unknown sheet lists the workbook's sheets")
    func unknownSheet() throws {
        let diagnostic = try #require(Self.failure(Self.rows(Self.fixture("basic.xlsx"), sheet: "汇总")))
        #expect(diagnostic.code == .unknownSheet)
        #expect(diagnostic.message == "`book.xlsx` has no sheet `汇总`")
        #expect(diagnostic.help == "the sheets are `名单`, `日期`")
        let close = try #require(Self.failure(Self.rows(Self.fixture("basic.xlsx"), sheet: "日其")))
        #expect(close.help == "did you mean `日期`? the sheets are `名单`, `日期`")
    }

    @Test("cells without references follow the previous cell; rows without numbers the previous row")
    func implicitReferences() throws {
        let workbook = try Self.workbook(sheets: [("S", Self.sheetXML("""
            <row r="3"><c t="inlineStr"><is><t>a</t></is></c><c r="C3"><v>1</v></c><c><v>2</v></c></row>\
            <row><c r="B4" t="b"><v>1</v></c><c r="E4" s="0"/></row>\
            <row r="9"><c r="A9" s="0"/></row>
            """))])
        #expect(try Self.rows(workbook).get() == [
            TableRow(number: 3, cells: ["a", "", "1", "2"]),
            TableRow(number: 4, cells: ["", "true"]),  // E4 has no value: the row ends at B
        ])                                            // row 9 has no filled cell
    }

    @Test("a sheet of more than 10 MB of XML is read whole")
    func largeSheet() throws {
        // libxml2 refuses a single push of more than 10 MB; the parts are fed to it in chunks.
        let text = String(repeating: "绍兴", count: 500)
        let rows = (1...4_000).map { #"<row r="\#($0)"><c r="B\#($0)" t="inlineStr"><is><t>\#(text)</t></is></c></row>"# }
        let xml = Self.sheetXML(rows.joined())
        #expect(xml.utf8.count > 12_000_000)
        let read = try Self.rows(try Self.workbook(sheets: [("S", xml)])).get()
        #expect(read.count == 4_000)
        #expect(read.last == TableRow(number: 4_000, cells: ["", text]))
    }

    // MARK: Damaged and hostile files

    @Test("a file that is not a ZIP archive says what an XLSX file is")
    func notAZip() throws {
        for data in [try Self.fixture("not-a-zip.xlsx"), Data()] {
            let diagnostic = try #require(Self.failure(Self.rows(data)))
            #expect(diagnostic.code == .fileUnreadable)
            #expect(diagnostic.message == "`book.xlsx` is not an XLSX workbook: it is not a ZIP archive")
            #expect(diagnostic.location == nil)
        }
    }

    @Test("an Excel 97–2003 file is named as such")
    func legacyWorkbook() throws {
        let data = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        let diagnostic = try #require(Self.failure(Self.rows(data)))
        #expect(diagnostic.code == .fileUnreadable)
        #expect(diagnostic.message.contains("Excel 97–2003 (.xls)"))
    }

    @Test("a truncated workbook is unreadable, whichever byte it ends at")
    func truncated() throws {
        let diagnostic = try #require(Self.failure(Self.rows(Self.fixture("truncated.xlsx"))))
        #expect(diagnostic.code == .fileUnreadable)
        #expect(diagnostic.message == "`book.xlsx` is not an XLSX workbook: the ZIP archive is truncated or damaged "
                + "(its central directory is missing)")
        let whole = try Self.fixture("basic.xlsx")
        for length in stride(from: 0, to: whole.count, by: 97) {
            #expect(Self.failure(Self.rows(whole.prefix(length))) != nil, "a prefix of \(length) bytes was read")
        }
    }

    @Test("damaged bytes anywhere in the archive give a diagnostic, never a crash")
    func damagedBytes() throws {
        let whole = try Self.fixture("basic.xlsx")
        for position in stride(from: 0, to: whole.count, by: 13) {
            var damaged = whole
            damaged[position] ^= 0x5A
            // Either the damage is caught or it fell in a part that is not read: both are fine.
            _ = Self.rows(damaged, sheet: "日期")
            _ = Self.rows(damaged)
        }
    }

    @Test("a missing part is named")
    func missingParts() throws {
        let cases: [(remove: String, sheet: String?, expected: String)] = [
            ("xl/workbook.xml", nil, "it has no `xl/workbook.xml`"),
            ("xl/_rels/workbook.xml.rels", nil, "it has no `xl/_rels/workbook.xml.rels`"),
            ("xl/worksheets/sheet2.xml", "日期", "it has no `xl/worksheets/sheet2.xml` (sheet `日期`)"),
            ("xl/sharedStrings.xml", nil, "it has no `xl/sharedStrings.xml`"),
        ]
        for (remove, sheet, expected) in cases {
            let archive = try Archive(data: try Self.fixture("basic.xlsx"), accessMode: .update)
            let entry = try #require(archive[remove])
            try archive.remove(entry)
            let data = try #require(archive.data)
            let diagnostic = try #require(Self.failure(Self.rows(data, sheet: sheet)))
            #expect(diagnostic.code == .fileUnreadable)
            #expect(diagnostic.message == "`book.xlsx` is not an XLSX workbook: \(expected)")
        }
    }

    @Test("a shared string index beyond the table names the cell")
    func badSharedStringIndex() throws {
        let workbook = try Self.workbook(sheets: [("S", Self.sheetXML(#"<row r="2"><c r="D2" t="s"><v>5</v></c></row>"#))],
                                         sharedStrings: ["only"])
        let diagnostic = try #require(Self.failure(Self.rows(workbook)))
        #expect(diagnostic.code == .fileUnreadable)
        #expect(diagnostic.message == "`book.xlsx` is not an XLSX workbook: cell `D2` of sheet `S` refers to shared "
                + "string 5, but the workbook has 1")
    }

    @Test("a cell reference beyond column XFD is refused")
    func badCellReference() throws {
        let workbook = try Self.workbook(sheets: [("S", Self.sheetXML(#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#))])
        let diagnostic = try #require(Self.failure(Self.rows(workbook)))
        #expect(diagnostic.message.contains("`XFE1`, which is not a cell reference"))
    }

    @Test("XML that is not well-formed, or that declares a DTD, is refused")
    func badXML() throws {
        let broken = try Self.workbook(sheets: [("S", "<worksheet><sheetData><row></sheetData>")])
        let brokenDiagnostic = try #require(Self.failure(Self.rows(broken)))
        #expect(brokenDiagnostic.message.hasPrefix("`book.xlsx` is not an XLSX workbook: `xl/worksheets/sheet1.xml` is not well-formed XML"))
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>
            """
        let diagnostic = try #require(Self.failure(Self.rows(try Self.workbook(sheets: [("S", laughs)]))))
        #expect(diagnostic.message == "`book.xlsx` is not an XLSX workbook: `xl/worksheets/sheet1.xml` declares a DTD")
    }

    @Test("too many cells is too large")
    func cellLimit() throws {
        let workbook = try Self.workbook(sheets: [("S", Self.sheetXML(#"<row r="1"><c r="XFD1"><v>1</v></c></row>"#))])
        let diagnostic = try #require(Self.failure(Self.rows(workbook, limits: XLSXReader.Limits(cells: 1000))))
        #expect(diagnostic.code == .inputTooLarge)
        #expect(diagnostic.message == "`book.xlsx` is too large to read: sheet `S` has more than 1000 cells")
    }

    /// 16 MiB of zeros as the sheet, about 16 KiB compressed, built once with ZIPFoundation.
    /// Against `Limits(sheet: 1 MiB)` it is a bomb of the same shape as a 600 MiB one against the
    /// default limits, and quick to build: ZIPFoundation's checksum is slow in a debug build.
    static let zipBomb: Result<Data, any Error> = Result {
        let archive = try Archive(data: Data(), accessMode: .create)
        try addMinimalParts(to: archive, sheets: ["S"])
        let size: Int64 = 16 << 20
        let zeros = Data(count: 1 << 20)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size,
                             compressionMethod: .deflate, bufferSize: 1 << 20,
                             provider: { (position: Int64, chunk: Int) in zeros.prefix(min(chunk, Int(size - position))) })
        return try #require(archive.data)
    }

    /// The bomb with the sheet's uncompressed size in the central directory replaced.
    static func zipBomb(declaring size: UInt32) throws -> Data {
        var bomb = try zipBomb.get()
        let record = try #require(centralDirectoryRecord(of: "xl/worksheets/sheet1.xml", in: bomb))
        bomb.replaceSubrange((record + 24)..<(record + 28), with: withUnsafeBytes(of: size.littleEndian, Array.init))
        return bomb
    }

    @Test("a zip bomb is refused by its declared size, before it is inflated")
    func zipBombDeclared() throws {
        let bomb = try Self.zipBomb.get()
        #expect(bomb.count < 64 << 10)
        let diagnostic = try #require(Self.failure(Self.rows(bomb, limits: XLSXReader.Limits(sheet: 1 << 20))))
        #expect(diagnostic.code == .inputTooLarge)
        #expect(diagnostic.message == "`book.xlsx` is too large to read: `xl/worksheets/sheet1.xml` declares 16 MiB "
                + "uncompressed, more than the limit of 1 MiB")
        // The default limit for a sheet is 512 MiB.
        let declared600 = try #require(Self.failure(Self.rows(try Self.zipBomb(declaring: 600 << 20))))
        #expect(declared600.code == .inputTooLarge)
        #expect(declared600.message == "`book.xlsx` is too large to read: `xl/worksheets/sheet1.xml` declares 600 MiB "
                + "uncompressed, more than the limit of 512 MiB")
    }

    @Test("a zip bomb that understates its size is stopped while it inflates", .timeLimit(.minutes(1)))
    func zipBombCounted() throws {
        // Claim 1000 bytes in the central directory, the only size the reader is told.
        let bomb = try Self.zipBomb(declaring: 1000)
        let diagnostic = try #require(Self.failure(Self.rows(bomb, limits: XLSXReader.Limits(sheet: 1 << 20))))
        #expect(diagnostic.code == .inputTooLarge)
        #expect(diagnostic.message == "`book.xlsx` is too large to read: `xl/worksheets/sheet1.xml` expands beyond 1 MiB, "
                + "more than the limit of 1 MiB")
        // Within the limit, a part larger than it says is damaged.
        let within = try #require(Self.failure(Self.rows(bomb)))
        #expect(within.code == .fileUnreadable)
        #expect(within.message == "`book.xlsx` is not an XLSX workbook: the ZIP archive is damaged: "
                + "`xl/worksheets/sheet1.xml` is not the size its directory declares")
    }

    @Test("shared strings and styles have their own limit")
    func otherPartLimit() throws {
        let diagnostic = try #require(Self.failure(Self.rows(Self.fixture("basic.xlsx"),
                                                             limits: XLSXReader.Limits(otherPart: 1 << 10))))
        #expect(diagnostic.code == .inputTooLarge)
        #expect(diagnostic.message == "`book.xlsx` is too large to read: `xl/styles.xml` declares 3910 bytes "
                + "uncompressed, more than the limit of 1 KiB")
    }

    @Test("a deflate stream that runs past its entry stops at the entry's end", .timeLimit(.minutes(1)))
    func deflateRunningPastItsEntry() throws {
        var workbook = try Self.workbook(sheets: [("S", Self.sheetXML(#"<row r="1"><c r="A1"><v>1</v></c></row>"#))],
                                         sheetFirst: true)
        // The sheet is the first entry: its data follows the 30-byte local header and its name.
        // A stored block that is not the last and claims 65535 bytes reads on into the next entries.
        let start = 30 + "xl/worksheets/sheet1.xml".utf8.count
        workbook.replaceSubrange(start..<(start + 5), with: [0x00, 0xFF, 0xFF, 0x00, 0x00])
        let diagnostic = try #require(Self.failure(Self.rows(workbook)))
        #expect(diagnostic.code == .fileUnreadable)
        #expect(diagnostic.message.hasPrefix("`book.xlsx` is not an XLSX workbook: the ZIP archive is damaged: "))
    }

    @Test("ZIP64 offsets and sizes that point far outside the file are refused, not followed")
    func hostileZIP64() throws {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        let localHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)
        func endRecord(entries: UInt16, size: UInt32, offset: UInt32) -> [UInt8] {
            [0x50, 0x4B, 0x05, 0x06] + le(UInt16(0)) + le(UInt16(0)) + le(entries) + le(entries) + le(size) + le(offset)
                + le(UInt16(0))
        }
        func locator(at record: UInt64) -> [UInt8] { [0x50, 0x4B, 0x06, 0x07] + le(UInt32(0)) + le(record) + le(UInt32(1)) }
        func zip64Record(entries: UInt64, size: UInt64, offset: UInt64) -> [UInt8] {
            [0x50, 0x4B, 0x06, 0x06] + le(UInt64(44)) + le(UInt16(45)) + le(UInt16(45)) + le(UInt32(0)) + le(UInt32(0))
                + le(entries) + le(entries) + le(size) + le(offset)
        }
        let far = UInt64(Int.max) - 8
        // The locator points past the end of the file.
        let noRecord = localHeader + locator(at: far) + endRecord(entries: 0xFFFF, size: .max, offset: .max)
        // The ZIP64 record says the directory lies far away.
        let record = zip64Record(entries: 1, size: 46, offset: far)
        let farDirectory = localHeader + record + locator(at: UInt64(localHeader.count))
            + endRecord(entries: 0xFFFF, size: .max, offset: .max)
        // A directory entry for the workbook whose ZIP64 extra field puts its local header far away.
        let name = Array("xl/workbook.xml".utf8)
        let extra = le(UInt16(1)) + le(UInt16(8)) + le(far)
        let entry = [0x50, 0x4B, 0x01, 0x02] + [UInt8](repeating: 0, count: 24) + le(UInt16(name.count))
            + le(UInt16(extra.count)) + le(UInt16(0)) + [UInt8](repeating: 0, count: 8) + le(UInt32.max) + name + extra
        let farEntry = localHeader + entry
            + endRecord(entries: 1, size: UInt32(entry.count), offset: UInt32(localHeader.count))
        let expected = [
            (noRecord, "the ZIP archive is damaged (its ZIP64 directory is missing)"),
            (farDirectory, "the ZIP archive is truncated or damaged (its central directory lies outside the file)"),
            (farEntry, "the ZIP archive is damaged: `xl/workbook.xml` has no local header"),
        ]
        for (bytes, detail) in expected {
            let diagnostic = try #require(Self.failure(Self.rows(Data(bytes))))
            #expect(diagnostic.code == .fileUnreadable)
            #expect(diagnostic.message == "`book.xlsx` is not an XLSX workbook: \(detail)")
        }
    }

    @Test("a chart sheet is not a worksheet")
    func chartSheet() throws {
        let workbook = try Self.workbook(sheets: [("Data", Self.sheetXML("")), ("Chart", "<chartsheet/>")],
                                         chartSheets: ["Chart"])
        let diagnostic = try #require(Self.failure(Self.rows(workbook, sheet: "Chart")))
        #expect(diagnostic.code == .unknownSheet)
        #expect(diagnostic.message == "sheet `Chart` of `book.xlsx` is a chartsheet, not a worksheet")
        #expect(diagnostic.help == "the other sheets are `Data`")
    }

    // MARK: Building workbooks

    static func sheetXML(_ rows: String) -> String {
        #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            + rows + "</sheetData></worksheet>"
    }

    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// The parts every workbook needs, for sheets `sheet1.xml`, `sheet2.xml`… in order.
    static func addMinimalParts(to archive: Archive, sheets: [String], chartSheets: Set<String> = [],
                                sharedStrings: Bool = false) throws {
        let sheetElements = sheets.enumerated().map { index, name in
            #"<sheet name="\#(name)" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }.joined()
        var relationships = sheets.enumerated().map { index, name in
            let kind = chartSheets.contains(name) ? "chartsheet" : "worksheet"
            return #"<Relationship Id="rId\#(index + 1)" Type="\#(relationshipNamespace)/\#(kind)" Target="worksheets/sheet\#(index + 1).xml"/>"#
        }.joined()
        if sharedStrings {
            relationships += #"<Relationship Id="rIdS" Type="\#(relationshipNamespace)/sharedStrings" Target="sharedStrings.xml"/>"#
        }
        let parts = [
            ("_rels/.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<workbook xmlns:r="\#(relationshipNamespace)"><sheets>\#(sheetElements)</sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(relationships)</Relationships>"#),
        ]
        for (path, text) in parts { try add(path, Data(text.utf8), to: archive) }
    }

    static func add(_ path: String, _ data: Data, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                             provider: { (position: Int64, size: Int) in data.subdata(in: Int(position)..<(Int(position) + size)) })
    }

    /// A workbook in memory whose sheets hold the given XML.
    static func workbook(sheets: [(name: String, xml: String)], sharedStrings: [String]? = nil,
                         chartSheets: Set<String> = [], sheetFirst: Bool = false) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func addSheets() throws {
            for (index, sheet) in sheets.enumerated() {
                try add("xl/worksheets/sheet\(index + 1).xml", Data(sheet.xml.utf8), to: archive)
            }
        }
        if sheetFirst { try addSheets() }
        try addMinimalParts(to: archive, sheets: sheets.map(\.name), chartSheets: chartSheets,
                            sharedStrings: sharedStrings != nil)
        if let sharedStrings {
            let items = sharedStrings.map { "<si><t>\($0)</t></si>" }.joined()
            try add("xl/sharedStrings.xml", Data("<sst>\(items)</sst>".utf8), to: archive)
        }
        if !sheetFirst { try addSheets() }
        return try #require(archive.data)
    }

    /// The offset of the central directory record of `name`.
    static func centralDirectoryRecord(of name: String, in data: Data) -> Int? {
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let nameBytes = Array(name.utf8)
        let bytes = [UInt8](data)
        var index = 0
        while index + 46 + nameBytes.count <= bytes.count {
            if Array(bytes[index..<(index + 4)]) == signature,
               Array(bytes[(index + 46)..<(index + 46 + nameBytes.count)]) == nameBytes {
                return index
            }
            index += 1
        }
        return nil
    }
}
