import Foundation
import Testing
@testable import PolicyCheckKit

/// An audit worker fills one row's field slots with the next row's: nothing of a row may show in the next.
@Suite("a row's slots, reused for the next row")
struct TableBinderStorageTests {
    @Test("a field the next row leaves empty reads as absent, and earlier records keep their own values")
    func reusedStorageHoldsOnlyTheNewRow() throws {
        let schema = try #require(Fixtures.bundledPack.schemas["expense"])
        let header = ["单据编号", "单位名称", "发生日期", "经费类别", "金额（元）", "住宿费", "出差人"]
        let binder = TableBinder(header: header, schema: schema, file: "spend.csv").copyForWorker()
        let rows = [
            "CL-1,绍兴市财政局,2023-06-05,差旅费,2890,1050,李敏",
            "CL-2,绍兴市财政局,2023-06-06,会议费,800,,",
            "CL-3,绍兴市商务局,2023-06-07,差旅费,1390,,陈志强",
        ]
        var storage: [Value] = []
        var diagnostics: [Diagnostic] = []
        var records: [Record] = []
        for (offset, row) in rows.enumerated() {
            let bytes = Array(row.utf8)
            let record: Record? = bytes.withUnsafeBytes { raw in
                var ends: [Int] = []
                _ = CSVScanner.rowEnds(raw, from: 0, isFinal: true, into: &ends)
                var fields: [CSVScanner.FieldRange] = []
                _ = CSVScanner.fields(raw, start: 0, end: ends[0], into: &fields)
                return binder.bind(row: offset + 2, cells: raw, fields: fields, storage: &storage, diagnostics: &diagnostics)
            }
            let bound = try #require(record)
            records.append(bound)
            storage = bound.value.fields
        }
        #expect(diagnostics.isEmpty)
        #expect(records[0].value["lodging_amount"] == .number(1050))
        #expect(records[0].value["traveler"] == .string("李敏"))
        #expect(records[1].value["lodging_amount"] == .null)
        #expect(records[1].value["traveler"] == .null)
        #expect(records[2].value["traveler"] == .string("陈志强"))
        #expect(records[2].value["unit"] == .string("绍兴市商务局"))
        #expect(records.map(\.id) == ["CL-1", "CL-2", "CL-3"])
    }
}
