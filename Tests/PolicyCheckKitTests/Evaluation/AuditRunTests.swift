import Foundation
import PolicyCheckKit
import Testing

/// The audit job on the tests' mini pack: CSV and JSONL streaming, aggregate rules, input errors.
@Suite("policycheck audit")
struct AuditRunTests {
    static let csv = """
        编号,单位,日期,类别,金额（万元）,已审批
        A1,甲局,2023-03-01,接待,0.01,是
        A2,甲局,2024/3/1,接待,0.05,否
        A3,甲局,2024年5月1日,接待,"0.06",是
        A4,乙局,2024-01-01,会议,0.2,是
        """

    func audit(_ files: [String], period: AuditPeriod? = nil, workers: Int = 2, batchRows: Int = 1) -> Report {
        AuditRun(pack: Fixtures.miniPack,
                 options: AuditOptions(language: .en, period: period, workers: workers, batchRows: batchRows)).run(files)
    }

    @Test("per-record and aggregate findings from a CSV with Chinese headers and a 万元 column")
    func csvAudit() throws {
        let file = try Fixtures.temporaryFile("spend.csv", Self.csv)
        let report = audit([file], period: AuditPeriod(parsing: "2023..2024"))
        #expect(report.inputErrors.map(\.description) == [])
        #expect(report.recordCount == 4)
        let rules = report.findings.filter { $0.kind == .violation }.map(\.ruleID)
        // A4 is 2000 元 (0.2万) over the 1000 cap; 甲局 receptions rose from 100 to 1100; 甲局 and 乙局 met < 2 times.
        #expect(rules.filter { $0 == "MINI-CAP" }.count == 1)
        #expect(rules.filter { $0 == "MINI-DECLINE" }.count == 1)
        #expect(rules.filter { $0 == "MINI-MEETINGS" }.count == 4)
        let decline = try #require(report.findings.first { $0.ruleID == "MINI-DECLINE" })
        #expect(decline.message == "甲局 spent 1100 on receptions in 2024, up from 100")
        #expect(decline.record == nil)
        #expect(decline.group?.map(\.name) == ["unit", "year"])
        #expect(decline.location?.line == 3)
        #expect(report.audit?.findingsByRule["MINI-MEETINGS"] == 4)
    }

    @Test("the same findings whatever the number of threads and batch size")
    func deterministic() throws {
        var text = "编号,单位,日期,类别,金额\n"
        for i in 0..<500 { text += "R\(i),\(i % 2 == 0 ? "甲局" : "乙局"),202\(3 + i % 2)-0\(1 + i % 9)-01,\(["接待", "会议", "其他"][i % 3]),\(i * 7)\n" }
        let file = try Fixtures.temporaryFile("many.csv", text)
        func summary(_ report: Report) -> [String] {
            report.findings.map { "\($0.ruleID) \($0.location?.description ?? "") \($0.message)" }
        }
        let one = summary(audit([file], workers: 1, batchRows: 1000))
        let many = summary(audit([file], workers: 4, batchRows: 7))
        #expect(one == many)
        #expect(one.count > 0)
    }

    @Test("blocks read by whichever worker is free give the report of one thread reading one block, errors in their places")
    func blocksReadByWorkers() throws {
        var text = "编号,单位,日期,类别,金额,备注\n"
        for i in 0..<12_000 {
            let amount = i % 997 == 0 ? "abc" : "\(i * 7)"
            // 6,000 bytes, over the 4 KiB row limit below: some of these rows straddle a 64 KiB block's end.
            let note = i % 1_201 == 0 ? String(repeating: "长", count: 2_000) : ""
            text += "R\(i),\(i % 2 == 0 ? "甲局" : "乙局"),202\(3 + i % 2)-0\(1 + i % 9)-01,\(["接待", "会议", "其他"][i % 3]),\(amount),\(note)\n"
        }
        text += "R-last,甲局,2024-01-01,接待,\"5\n"
        let file = try Fixtures.temporaryFile("blocks.csv", text)
        let pack = try #require(PackCompiler.compile(directory: Fixtures.miniPackPath,
                                                     options: .init(limits: .with("row-bytes", 4 << 10))).pack)
        func audit(workers: Int, batchRows: Int, blockBytes: Int) -> Report {
            AuditRun(pack: pack, options: AuditOptions(language: .en, period: AuditPeriod(parsing: "2023..2024"), workers: workers,
                                                       batchRows: batchRows, blockBytes: blockBytes)).run([file])
        }
        func summary(_ report: Report) -> [String] {
            report.findings.map { "\($0.ruleID) \($0.location?.description ?? "") \($0.message)" }
                + report.inputErrors.map(\.description) + report.inputWarnings.map(\.description) + ["\(report.recordCount)"]
        }
        let whole = audit(workers: 1, batchRows: 100_000, blockBytes: 16 << 20)
        let blocks = audit(workers: 4, batchRows: 7, blockBytes: 1 << 16)
        let (read, expected) = (summary(blocks), summary(whole))
        #expect(read.count == expected.count)
        #expect(zip(read, expected).first { $0.0 != $0.1 } == nil)
        #expect(blocks.audit == whole.audit)
        let errors = whole.inputErrors.map(\.message)
        // Row R0 is both too long and badly numbered: a row too long is not read further.
        #expect(errors.filter { $0.contains("expected a number") }.count == 12)
        #expect(errors.filter { $0.contains("longer than 4 KiB") }.count == 10)
        #expect(errors.last?.contains("is never closed") == true)
        #expect(whole.recordCount == 12_000 - 12 - 10)
    }

    @Test("bad rows are input errors with row and column; the other rows are still checked")
    func badRows() throws {
        let text = """
            编号,单位,日期,类别,金额
            B1,甲局,2024-01-01,接待,abc
            B2,甲局,someday,接待,5
            B3,甲局,2024-01-01,招待,5
            B4,甲局,2024-01-01,接待,5,extra
            B5,甲局,2024-01-01,接待,2000
            ,甲局,2024-01-01,接待,1
            """
        let file = try Fixtures.temporaryFile("bad.csv", text)
        let report = audit([file])
        let errors = report.inputErrors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.code.rawValue)" }
        #expect(errors == ["2:5 field-type", "3:3 field-type", "4:4 field-type", "5:6 field-type", "7:1 missing-field"])
        #expect(report.findings.contains { $0.ruleID == "MINI-CAP" && $0.record?.id == "B5" })
        #expect(report.exitCode(failOn: .error) == 2)
    }

    @Test("an unknown column is reported once; a missing required column stops the file")
    func header() throws {
        let unknown = try Fixtures.temporaryFile("u.csv", "编号,单位,日期,类别,金额,备注说明\nC1,甲局,2024-01-01,其他,1,x\nC2,甲局,2024-01-01,其他,1,y\n")
        let report = audit([unknown])
        #expect(report.inputWarnings.count == 1)
        #expect(report.recordCount == 2)
        let missing = try Fixtures.temporaryFile("m.csv", "编号,单位,日期,类别\nC1,甲局,2024-01-01,其他\n")
        let stopped = audit([missing])
        #expect(stopped.inputErrors.first?.message.contains("`amount`") == true)
        #expect(stopped.recordCount == 0)
    }

    @Test("JSON Lines: one record per line, bad lines located")
    func jsonLines() throws {
        let text = """
            {"type": "spend", "id": "J1", "unit": "甲局", "date": "2024-01-01", "category": "其他", "amount": 5000}
            {"type": "spend", "id": "J2", "unit": "甲局", "date": "2024-01-01", "category": "其他", "amount": }

            {"type": "spend", "id": "J3", "unit": "甲局", "date": "2024-01-01", "category": "其他", "amount": "12,000"}
            """
        let file = try Fixtures.temporaryFile("s.jsonl", text)
        let report = audit([file])
        #expect(report.recordCount == 2)
        #expect(report.inputErrors.first?.location?.line == 2)
        #expect(report.findings.filter { $0.ruleID == "MINI-CAP" }.count == 2)
    }

    @Test("an empty file, a missing file and a directory")
    func unusable() throws {
        let empty = try Fixtures.temporaryFile("e.csv", "")
        let report = audit([empty, "/nonexistent/x.csv", NSTemporaryDirectory()])
        #expect(Set(report.inputErrors.map(\.code.rawValue)) == ["file-not-found", "is-directory", "empty-file"])
    }

    @Test("the aggregate rules' own examples pass")
    func examples() {
        let result = PackTestRunner(pack: Fixtures.miniPack).run()
        #expect(result.failures.map(\.message) == [])
        #expect(result.rulesWithBothExamples == 3)
    }

    @Test("a parameter that is not configured is an evaluation error, never a guess")
    func notConfigured() {
        guard case .success(let expression) = CompiledExpression.compile("1 <= params.unset_cap",
                                                                         environment: Fixtures.miniPack.environment()) else {
            Issue.record("does not compile")
            return
        }
        guard case .failure(let error) = expression.evaluate() else {
            Issue.record("evaluated")
            return
        }
        #expect(error.kind == .notConfigured)
        #expect(error.message == "parameter `unset_cap` is not configured")
    }
}
