import Foundation
import Testing
@testable import PolicyCheckKit

/// An audit worker fills one row's field slots with the next row's: nothing of a row may show in the next.
@Suite("a row's slots, reused for the next row")
struct TableBinderStorageTests {
    @Test("a field the next row leaves empty reads as absent, and earlier records keep their own values")
    func reusedStorageHoldsOnlyTheNewRow() throws {
        let schema = try #require(Fixtures.bundledPack.schemas["expense"])
        let header = ["单据编号", "单位名称", "发生日期", "经费类别", "金额（元）", "住宿费", "出差人", "是否上酒"]
        let binder = TableBinder(header: header, schema: schema, file: "spend.csv").copyForWorker()
        let rows = [
            "CL-1,绍兴市财政局,2023-06-05,差旅费,2890,1050,李敏,是",
            "CL-2,绍兴市财政局,2023-06-06,会议费,800,,,",
            "CL-3,绍兴市商务局,2023-06-07,差旅费,1390,,陈志强,否",
        ]
        var storage: [Value] = []
        var diagnostics: [Diagnostic] = []
        var records: [Record] = []
        var split = CSVRow()
        for (offset, row) in rows.enumerated() {
            let bytes = Array(row.utf8)
            let record: Record? = bytes.withUnsafeBytes { raw in
                var ends: [Int] = []
                _ = CSVScanner.rowEnds(raw, from: 0, isFinal: true, into: &ends)
                _ = split.split(raw, start: 0, end: ends[0])
                return binder.bind(row: offset + 2, cells: raw, fields: split.slots[..<split.count], fieldCount: split.fieldCount,
                                   storage: &storage, diagnostics: &diagnostics)
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
        // A yes/no the next row leaves empty takes its default again, not the last row's value.
        #expect(records.map { $0.value["alcohol_served"] } == [.bool(true), .bool(false), .bool(false)])
        // Fields no row has a column for keep their defaults (or stay absent) row after row.
        #expect(records.allSatisfy { $0.value["cigarettes"] == .bool(false) })
    }
}
