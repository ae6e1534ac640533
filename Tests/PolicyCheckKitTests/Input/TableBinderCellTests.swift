import Foundation
import Testing
@testable import PolicyCheckKit

/// Cells read straight from a row's bytes: yes/no words matched as packed integers, enumerated values by bytes.
@Suite("a table's cells read from bytes")
struct TableBinderCellTests {
    func bind(_ row: String, header: [String]) throws -> (record: Record?, diagnostics: [Diagnostic]) {
        let schema = try #require(Fixtures.bundledPack.schemas["expense"])
        let binder = TableBinder(header: header, schema: schema, file: "spend.csv")
        var diagnostics: [Diagnostic] = []
        let bytes = Array(row.utf8)
        let record: Record? = bytes.withUnsafeBytes { raw in
            var fields: [CSVScanner.FieldRange] = []
            _ = CSVScanner.fields(raw, start: 0, end: raw.count, into: &fields)
            return binder.bind(row: 2, cells: raw, fields: fields, diagnostics: &diagnostics)
        }
        return (record, diagnostics)
    }

    let header = ["单据编号", "单位名称", "发生日期", "经费类别", "金额（元）", "是否上酒"]

    @Test("every word for yes and no, and nothing that only starts like one")
    func yesAndNoWords() throws {
        for (words, expected) in [(ValueDecoder.trueWords, true), (ValueDecoder.falseWords, false)] {
            for word in words {
                let bound = try bind("JD-1,绍兴市财政局,2023-06-05,公务接待费,800,\(word)", header: header)
                #expect(bound.diagnostics.isEmpty, "\(word)")
                #expect(bound.record?.value["alcohol_served"] == .bool(expected), "\(word)")
            }
        }
        for word in ["是的", "否否", "yes", "1", "truefalse", "✔✔"] {
            let bound = try bind("JD-1,绍兴市财政局,2023-06-05,公务接待费,800,\(word)", header: header)
            #expect(bound.record == nil, "\(word)")
            let problem = try #require(bound.diagnostics.first)
            #expect(problem.location?.line == 2 && problem.location?.column == 6)
            #expect(problem.message.contains("expected `是`/`否`"))
        }
    }

    @Test("an enumerated value is matched by its bytes; one outside the list is an error at its cell")
    func enumeratedValues() throws {
        let bound = try bind("JD-1,绍兴市财政局,2023-06-05,公务接待费,800,", header: header)
        #expect(bound.record?.value["category"] == .string("公务接待费"))
        let wrong = try bind("JD-1,绍兴市财政局,2023-06-05,公务接待,800,", header: header)
        #expect(wrong.record == nil)
        #expect(wrong.diagnostics.first?.location?.column == 4)
    }

    @Test("a whole-number column takes digits, a point with zeros after it, or 万, and refuses a fraction")
    func wholeNumbers() throws {
        let header = ["单据编号", "单位名称", "发生日期", "经费类别", "金额（元）", "接待对象人数"]
        for (cell, expected) in [("12", Decimal(12)), ("12.0", 12), ("-3", -3), ("1万", 10000)] {
            let bound = try bind("JD-1,绍兴市财政局,2023-06-05,公务接待费,800,\(cell)", header: header)
            #expect(bound.diagnostics.isEmpty, "\(cell)")
            #expect(bound.record?.value["guest_count"] == .number(expected), "\(cell)")
        }
        for cell in ["12.5", "0.1", "1.5万x"] {
            let bound = try bind("JD-1,绍兴市财政局,2023-06-05,公务接待费,800,\(cell)", header: header)
            #expect(bound.record == nil, "\(cell)")
            #expect(bound.diagnostics.first?.message.contains("expected a whole number") == true, "\(cell)")
        }
    }
}
