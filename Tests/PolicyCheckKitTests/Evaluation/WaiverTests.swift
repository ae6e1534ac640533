import Foundation
import PolicyCheckKit
import Testing

/// Waivers on the mini pack: loading them strictly, and what they do to a run on a given day.
@Suite("waivers")
struct WaiverTests {
    static let records = """
        - { type: spend, id: S1, unit: 甲局, date: 2024-03-01, category: 接待, amount: 800 }
        - { type: spend, id: S2, unit: 甲局, date: 2024-04-01, category: 接待, amount: 2500 }
        - { type: spend, id: S3, unit: 乙局, date: 2024-05-01, category: 会议, amount: 1200 }
        """

    static let today = LocalDate(year: 2026, month: 3, day: 1) ?? LocalDate(daysSinceEpoch: 0)

    /// A check of the records: S2 and S3 break MINI-CAP (errors).
    static func run() -> Report {
        RecordCheck(pack: Fixtures.miniPack, language: .zh)
            .run([RecordCheck.Input(file: "spend.yaml", text: .success(records))])
    }

    static func waivers(_ text: String) throws -> WaiverSet {
        let (set, diagnostics) = WaiverLoader.load(file: "waivers.yaml", text: text, pack: Fixtures.miniPack)
        #expect(diagnostics.map(\.description) == [])
        return set
    }

    static func entry(record: String, expires: String) -> String {
        """
        schema_version: 1
        waivers:
          - rule: MINI-CAP
            record: \(record)
            reason: 专项接待，已报批
            approver: 办公室主任
            document: 测办〔2026〕2号
            expires: \(expires)
        """
    }

    @Test("a waiver with a future expiry turns a failing run into a passing one, the finding listed as waived")
    func futureExpiry() throws {
        let raw = Self.run()
        #expect(raw.exitCode(failOn: .error) == 1)
        let set = try Self.waivers(Self.entry(record: "S2", expires: "2026-12-31") + """

              - rule: MINI-CAP
                record: S3
                reason: 会议费含场地，已报批
                approver: 办公室主任
                document: 测办〔2026〕3号
                expires: 2026年3月1日
            """)
        let gated = ReportGate(waivers: set, baseline: nil, today: Self.today).apply(to: raw)
        #expect(gated.exitCode(failOn: .error) == 0)
        #expect(gated.findings.count == raw.findings.count, "waived findings are still reported")
        let waived = gated.findings.filter { $0.waived != nil }
        #expect(waived.compactMap { $0.record?.id } == ["S2", "S3"])
        #expect(waived.first?.waived?.document == "测办〔2026〕2号")
        #expect(gated.summary.waived == 2 && gated.summary.violations == 0)
        #expect(gated.gate?.waivers?.applied == 2)
        #expect(gated.gate?.waivers?.notes.isEmpty == true, "a waiver applies through its expiry day")
    }

    @Test("moving the expiry into the past makes the run fail again, and the expired waiver is reported")
    func pastExpiry() throws {
        let set = try Self.waivers(Self.entry(record: "S2", expires: "2026-02-28"))
        let gated = ReportGate(waivers: set, baseline: nil, today: Self.today).apply(to: Self.run())
        #expect(gated.exitCode(failOn: .error) == 1)
        #expect(gated.findings.allSatisfy { $0.waived == nil })
        let note = try #require(gated.gate?.waivers?.expired.first)
        #expect(note.matched == 1)
        #expect(note.diagnostic.description == "waivers.yaml:3:5: warning: waiver for rule `MINI-CAP`, record `S2` expired on 2026-02-28 and no longer applies (1 finding(s) it covered count again) [waiver-expired]")
    }

    @Test("a waiver that matches nothing is reported")
    func unmatched() throws {
        let set = try Self.waivers(Self.entry(record: "S9", expires: "2026-12-31"))
        let gated = ReportGate(waivers: set, baseline: nil, today: Self.today).apply(to: Self.run())
        #expect(gated.exitCode(failOn: .error) == 1)
        let note = try #require(gated.gate?.waivers?.unmatched.first)
        #expect(note.diagnostic.code == .waiverUnmatched)
        #expect(note.diagnostic.location?.line == 3)
    }

    @Test("a group waiver covers an aggregate finding; a rule prefix ending in * covers several rules")
    func groupAndPrefix() throws {
        let csv = """
            编号,单位,日期,类别,金额
            A1,甲局,2023-03-01,接待,100
            A2,甲局,2024-03-01,接待,900
            """
        let file = try Fixtures.temporaryFile("spend.csv", csv)
        let report = AuditRun(pack: Fixtures.miniPack, options: AuditOptions(language: .zh, period: AuditPeriod(parsing: "2024"), workers: 1)).run([file])
        #expect(report.findings.contains { $0.ruleID == "MINI-DECLINE" })
        let set = try Self.waivers("""
            schema_version: 1
            waivers:
              - rule: MINI-DECLINE
                group: { unit: 甲局, year: 2024 }
                reason: 接待任务增加
                approver: 财务处
                document: 测财〔2026〕1号
                expires: 2027-01-01
              - rule: MINI-*
                group: { unit: 乙局 }
                reason: 机构改革期间暂停
                approver: 办公室
                document: 测办〔2026〕5号
                expires: 2027-01-01
            """)
        let gated = ReportGate(waivers: set, baseline: nil, today: Self.today).apply(to: report)
        let decline = try #require(gated.findings.first { $0.ruleID == "MINI-DECLINE" })
        #expect(decline.waived?.document == "测财〔2026〕1号")
        let meetings = gated.findings.filter { $0.ruleID == "MINI-MEETINGS" }
        #expect(meetings.filter { $0.waived != nil }.count == 1, "乙局's missing meetings, by the prefix waiver")
        #expect(meetings.filter { $0.waived == nil }.count == 1, "甲局's are not covered")
    }

    @Test("--no-waivers is the raw result: applying no waiver set changes nothing")
    func raw() {
        let raw = Self.run()
        let gated = ReportGate(waivers: nil, baseline: nil, today: Self.today).apply(to: raw)
        #expect(gated.gate == nil)
        #expect(gated.exitCode(failOn: .error) == raw.exitCode(failOn: .error))
    }

    @Test("the waivers file is read strictly, with located errors")
    func strict() {
        let text = """
            schema_version: 1
            waivers:
              - rule: MINI-CAPP
                record: S2
                reason: x
                approver: y
                expires: 2026-13-01
                note: z
              - reason: nothing named
                approver: y
                document: d
                expires: 2026-12-31
              - rule: MINI-DECLINE
                record: S2
                reason: x
                approver: y
                document: ""
                expires: 2026-12-31
            """
        let (set, diagnostics) = WaiverLoader.load(file: "waivers.yaml", text: text, pack: Fixtures.miniPack)
        #expect(set.waivers.isEmpty)
        let rendered = diagnostics.map(\.description)
        #expect(rendered.contains("waivers.yaml:8:5: error: unknown key `note` in a waiver [unknown-key]"))
        #expect(rendered.contains("waivers.yaml:3:5: error: a waiver needs the key `document` [missing-key]"))
        #expect(rendered.contains("waivers.yaml:3:11: error: the pack has no rule `MINI-CAPP` [unknown-rule]"))
        #expect(diagnostics.first { $0.code == .unknownRule }?.help == "did you mean `MINI-CAP`?")
        #expect(rendered.contains { $0.hasPrefix("waivers.yaml:7:14: error: expected a date") })
        #expect(rendered.contains("waivers.yaml:9:5: error: a waiver names a `rule`, a `record` or a `group` [missing-key]"))
        #expect(rendered.contains("waivers.yaml:14:13: error: `MINI-DECLINE` is an aggregate rule: its findings have no record [invalid-value]"))
        #expect(rendered.contains("waivers.yaml:17:15: error: `document` of a waiver is empty [invalid-value]"))
    }
}
