import Foundation
import PolicyCheckKit
import Testing

/// Baselines on the mini pack: fingerprints that survive moved lines, a run that fails only on new
/// findings, the file written and read back.
@Suite("baselines")
struct BaselineTests {
    static let today = LocalDate(year: 2026, month: 3, day: 1) ?? LocalDate(daysSinceEpoch: 0)

    static let records = """
        - { type: spend, id: S1, unit: 甲局, date: 2024-03-01, category: 接待, amount: 800 }
        - { type: spend, id: S2, unit: 甲局, date: 2024-04-01, category: 接待, amount: 2500 }
        - { type: spend, id: S3, unit: 乙局, date: 2024-05-01, category: 会议, amount: 1200 }
        """

    static func check(_ text: String, file: String = "spend.yaml") -> Report {
        RecordCheck(pack: Fixtures.miniPack, language: .zh).run([RecordCheck.Input(file: file, text: .success(text))])
    }

    static func roundTrip(_ baseline: Baseline) throws -> Baseline {
        let (loaded, diagnostics) = BaselineLoader.load(file: "baseline.json", text: try baseline.encoded(), packID: "mini")
        #expect(diagnostics.map(\.description) == [])
        return try #require(loaded)
    }

    @Test("a baseline written today makes the run pass; one new bad record fails it on exactly that record")
    func newRecord() throws {
        let today = Self.check(Self.records)
        #expect(today.exitCode(failOn: .error) == 1)
        let baseline = try Self.roundTrip(Baseline(recording: today))
        #expect(baseline.entries.map(\.count).reduce(0, +) == 2)
        let again = ReportGate(waivers: nil, baseline: baseline, today: Self.today).apply(to: Self.check(Self.records))
        #expect(again.exitCode(failOn: .error) == 0)
        #expect(again.gate?.baseline?.unchanged == 2 && again.gate?.baseline?.new == 0)

        let added = Self.records + "\n- { type: spend, id: S4, unit: 乙局, date: 2024-06-01, category: 其他, amount: 5000 }"
        let later = ReportGate(waivers: nil, baseline: baseline, today: Self.today).apply(to: Self.check(added))
        #expect(later.exitCode(failOn: .error) == 1)
        let failing = later.findings.filter { Report.fails($0, failOn: .error) }
        #expect(failing.compactMap { $0.record?.id } == ["S4"])
        #expect(later.gate?.baseline?.new == 1)
    }

    @Test("fixed findings are counted")
    func fixed() throws {
        let baseline = try Self.roundTrip(Baseline(recording: Self.check(Self.records)))
        let repaired = Self.records.replacingOccurrences(of: "amount: 2500", with: "amount: 900")
        let gated = ReportGate(waivers: nil, baseline: baseline, today: Self.today).apply(to: Self.check(repaired))
        #expect(gated.exitCode(failOn: .error) == 0)
        #expect(gated.gate?.baseline?.fixed == 1 && gated.gate?.baseline?.unchanged == 1)
    }

    @Test("the fingerprint ignores lines, files and language, and follows the record's content")
    func fingerprint() {
        let base = Self.check(Self.records).findings.map(\.fingerprint)
        let moved = Self.check("# moved down by a comment\n\n" + Self.records, file: "renamed.yaml").findings.map(\.fingerprint)
        #expect(base == moved)
        let english = RecordCheck(pack: Fixtures.miniPack, language: .en)
            .run([RecordCheck.Input(file: "spend.yaml", text: .success(Self.records))]).findings.map(\.fingerprint)
        #expect(base == english)
        let changed = Self.check(Self.records.replacingOccurrences(of: "amount: 2500", with: "amount: 2600")).findings.map(\.fingerprint)
        #expect(changed.count == base.count && changed != base)
        #expect(Set(base).count == base.count)
    }

    @Test("two identical findings need two entries")
    func counted() throws {
        let twice = Self.records + "\n- { type: spend, id: S2, unit: 甲局, date: 2024-04-01, category: 接待, amount: 2500 }"
        let baseline = try Self.roundTrip(Baseline(recording: Self.check(Self.records)))
        let gated = ReportGate(waivers: nil, baseline: baseline, today: Self.today).apply(to: Self.check(twice))
        #expect(gated.gate?.baseline?.new == 1)
    }

    @Test("waived findings are not recorded, so an expired waiver fails the run even with a baseline")
    func waivedNotRecorded() throws {
        let raw = Self.check(Self.records)
        let waiver = Waiver(rule: "MINI-CAP", record: "S2", group: nil, reason: "r", approver: "a", document: "d",
                            expires: LocalDate(year: 2026, month: 3, day: 31) ?? Self.today,
                            location: PolicyCheckKit.SourceLocation(file: "waivers.yaml", line: 3, column: 5))
        let set = WaiverSet(file: "waivers.yaml", waivers: [waiver])
        let written = ReportGate(waivers: set, baseline: nil, today: Self.today).apply(to: raw)
        let baseline = try Self.roundTrip(Baseline(recording: written))
        #expect(baseline.entries.compactMap(\.record) == ["S3"])
        let afterExpiry = LocalDate(year: 2026, month: 4, day: 1) ?? Self.today
        let gated = ReportGate(waivers: set, baseline: baseline, today: afterExpiry).apply(to: raw)
        #expect(gated.exitCode(failOn: .error) == 1)
        #expect(gated.findings.filter { Report.fails($0, failOn: .error) }.compactMap { $0.record?.id } == ["S2"])
    }

    @Test("the baseline file is deterministic JSON and read strictly")
    func file() throws {
        let report = Self.check(Self.records)
        let text = try Baseline(recording: report).encoded()
        #expect(text == (try Baseline(recording: Self.check(Self.records)).encoded()))
        #expect(text.contains("\"schema_version\" : 1") && text.contains("\"record\" : \"S2\""))
        let broken = text.replacingOccurrences(of: "\"count\" : 1", with: "\"count\" : 0")
            .replacingOccurrences(of: "\"rule\" : \"MINI-CAP\"", with: "\"rule\" : \"MINI-CAP\", \"note\" : 1")
        let (loaded, diagnostics) = BaselineLoader.load(file: "baseline.json", text: broken, packID: "mini")
        #expect(loaded == nil)
        #expect(diagnostics.contains { $0.code == .invalidValue && $0.location?.file == "baseline.json" && ($0.location?.line ?? 0) > 1 })
        #expect(diagnostics.contains { $0.code == .unknownKey })
        let (_, otherPack) = BaselineLoader.load(file: "baseline.json", text: text, packID: "shaoxing-2022-6")
        #expect(otherPack.contains { $0.severity == .warning && $0.code == .baselineFormat })
    }

    @Test("SHA-256 matches the standard's test vectors")
    func sha256() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
