import PolicyCheckKit
import Testing

/// Records that do not fit their schema are input errors with a location; the other records are still read.
@Suite("Reading records")
struct RecordInputTests {
    static let minimal = """
        type: decision
        id: D-1
        title: 测试事项
        category: 重点建设项目
        deliberation: { body: 常务会议, date: 2024-03-05 }
        result: 通过
        """

    @Test("a minimal decision binds, with defaults filled")
    func minimal() throws {
        let result = Fixtures.readRecords(Self.minimal)
        #expect(result.diagnostics.isEmpty)
        let record = try #require(result.records.first)
        #expect(record.id == "D-1")
        #expect(record.value["confidential"] == .bool(false))
        #expect(record.value["decided_on"] == .date(LocalDate(year: 2024, month: 3, day: 5)!))
    }

    @Test("dates in three spellings, booleans 是/否, Chinese aliases as keys")
    func lenientValues() throws {
        let text = """
            type: decision
            编号: D-2
            决策事项: 测试
            决策类别: 重要规划
            审议会议: 常务会议
            会议日期: 2024年3月5日
            决定结果: 通过
            依法不予公开: 是
            征求意见开始日期: 2024/2/1
            """
        let result = Fixtures.readRecords(text)
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let record = try #require(result.records.first)
        #expect(record.value["confidential"] == .bool(true))
        guard case .object(let deliberation)? = record.value["deliberation"] else {
            Issue.record("deliberation was not filled from its aliases")
            return
        }
        #expect(deliberation["date"] == .date(LocalDate(year: 2024, month: 3, day: 5)!))
    }

    @Test("a wrong type is an input error at the value's line and column")
    func wrongType() throws {
        let text = Self.minimal.replacingOccurrences(of: "date: 2024-03-05", with: "date: next tuesday")
        let result = Fixtures.readRecords(text, file: "d.yaml")
        #expect(result.records.isEmpty)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == .fieldType)
        #expect(diagnostic.location == SourceLocation(file: "d.yaml", line: 5, column: 35))
        #expect(diagnostic.message.contains("expected a date"))
    }

    @Test("a missing required field names the field and its aliases")
    func missingField() throws {
        let text = Self.minimal.replacingOccurrences(of: "category: 重点建设项目\n", with: "")
        let diagnostic = try #require(Fixtures.readRecords(text).diagnostics.first)
        #expect(diagnostic.code == .missingField)
        #expect(diagnostic.message.contains("`category`"))
        #expect(diagnostic.message.contains("决策类别"))
    }

    @Test("a value outside the enumeration gets a suggestion")
    func enumeration() throws {
        let text = Self.minimal.replacingOccurrences(of: "body: 常务会议", with: "body: 常务会")
        let diagnostic = try #require(Fixtures.readRecords(text).diagnostics.first)
        #expect(diagnostic.code == .notInEnum)
        #expect(diagnostic.help == "did you mean `常务会议`?")
    }

    @Test("an unknown field is a warning with a suggestion, and the record is still read")
    func unknownField() throws {
        let result = Fixtures.readRecords(Self.minimal + "\ntitel: x")
        #expect(result.records.count == 1)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.help == "did you mean `title`?")
    }

    @Test("an unknown record type, and a record with no type")
    func recordTypes() throws {
        let unknown = Fixtures.readRecords(Self.minimal.replacingOccurrences(of: "type: decision", with: "type: decison"))
        #expect(unknown.diagnostics.first?.code == .unknownRecordType)
        #expect(unknown.diagnostics.first?.help == "did you mean `decision`?")
        let untyped = Fixtures.readRecords(Self.minimal.replacingOccurrences(of: "type: decision\n", with: ""))
        #expect(untyped.diagnostics.first?.code == .unknownRecordType)
        #expect(Fixtures.readRecords(Self.minimal.replacingOccurrences(of: "type: decision\n", with: ""), type: "decision").records.count == 1)
    }

    @Test("a bad record in a list does not stop the others")
    func listWithOneBadRecord() {
        let good = Self.minimal.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n").replacingOccurrences(of: "  type:", with: "- type:")
        let bad = good.replacingOccurrences(of: "D-1", with: "D-2").replacingOccurrences(of: "result: 通过", with: "result: 也许")
        let result = Fixtures.readRecords(good + "\n" + bad)
        #expect(result.records.map(\.id) == ["D-1"])
        #expect(result.diagnostics.count == 1)
    }

    @Test("malformed YAML, malformed JSON and an empty file are located errors")
    func malformed() {
        let yaml = Fixtures.readRecords("type: decision\nid: [unclosed\n", file: "x.yaml")
        #expect(yaml.diagnostics.first?.code == .yamlSyntax)
        #expect(yaml.diagnostics.first?.location?.file == "x.yaml")
        let json = Fixtures.readRecords("{\"type\": \"decision\", \"id\": }", file: "x.json")
        #expect(json.diagnostics.first?.code == .jsonSyntax)
        #expect(Fixtures.readRecords("  \n", file: "e.yaml").diagnostics.first?.code == .emptyFile)
    }

    @Test("amounts as finance exports write them")
    func amounts() {
        #expect(NumberParser.amount("1,234.56") == Decimal(string: "1234.56"))
        #expect(NumberParser.amount("¥1,234") == 1234)
        #expect(NumberParser.amount("1.2万") == 12000)
        #expect(NumberParser.amount("１２３元") == 123)
        #expect(NumberParser.amount("abc") == nil)
        #expect(NumberParser.amount("1.2.3") == nil)
    }
}

import Foundation
