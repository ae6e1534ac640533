import Foundation
@testable import PolicyCheckKit
import Testing
import ZIPFoundation

/// Inputs written to break a reader or exhaust a machine. Each must end in an error that says where
/// the problem is, or in a correct result within a stated bound; the records around it are still read.
@Suite("Hostile inputs")
final class HostileInputTests {
    /// A scratch folder of this test's own (each test runs on its own instance), removed when it ends.
    let folder: String

    init() throws {
        folder = try Self.folder()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: - Helpers

    /// A scratch folder of its own for each test.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "policycheck-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], _ name: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func write(_ text: String, _ name: String, in folder: String) throws -> String {
        try write(Array(text.utf8), name, in: folder)
    }

    /// The mini pack compiled under `limits`.
    static func miniPack(_ limits: ResourceLimits = ResourceLimits()) throws -> CompiledPack {
        let compilation = PackCompiler.compile(directory: Fixtures.miniPackPath, options: .init(limits: limits))
        return try #require(compilation.pack)
    }

    static func audit(_ files: [String], pack: CompiledPack? = nil, encoding: TextEncoding? = nil) throws -> Report {
        AuditRun(pack: try pack ?? miniPack(), options: AuditOptions(language: .en, encoding: encoding, workers: 2, batchRows: 2))
            .run(files)
    }

    static let header = "编号,单位,日期,类别,金额,备注\n"

    static func row(_ id: String, note: String = "") -> String {
        "\(id),甲局,2024-03-01,其他,10,\(note)\n"
    }

    /// What evaluating an expression came to: its value, or the error's kind and message.
    enum Outcome: Equatable {
        case value(Value)
        case failure(String)
    }

    /// Compiles and evaluates one expression with `limits`.
    static func evaluate(_ text: String, limits: ResourceLimits = ResourceLimits(),
                         variables: [(name: String, type: ValueType, value: Value)] = []) -> Outcome {
        let environment = PlanningEnvironment(variables: variables.map { ($0.name, $0.type) }, limits: limits)
        switch CompiledExpression.compile(text, environment: environment) {
        case .failure(let diagnostic): return .failure(diagnostic.description)
        case .success(let compiled):
            switch compiled.evaluate(variables: variables.map(\.value)) {
            case .success(let value): return .value(value)
            case .failure(let error): return .failure("\(error.kind.rawValue): \(error.message)")
            }
        }
    }

    /// The error of reading `text` as YAML, or nil when it was read.
    static func yamlProblem(_ text: String, file: String, limits: YAMLSource.Limits = YAMLSource.Limits()) -> Diagnostic? {
        if case .failure(let diagnostic) = YAMLSource(file: file, text: text, limits: limits).documents() { return diagnostic }
        return nil
    }

    static func compileProblem(_ text: String) -> Diagnostic? {
        if case .failure(let diagnostic) = CompiledExpression.compile(text) { return diagnostic }
        return nil
    }

    // MARK: - YAML alias bomb

    @Test("a YAML alias bomb stops at the node limit, located where the expansion ran over")
    func aliasBomb() throws {
        var lines = [#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1..<10 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let text = "type: spend\nid: X\n" + lines.joined(separator: "\n") + "\n"
        let diagnostic = try #require(Self.yamlProblem(text, file: "laughs.yaml", limits: .init(maxNodes: 100_000)))
        #expect(diagnostic.code == .inputTooLarge)
        #expect(diagnostic.message == "document expands to more than 100000 nodes (through aliases?)")
        #expect(diagnostic.location?.file == "laughs.yaml")
        #expect(diagnostic.location?.line == 3)
        // The default limit holds too, through the record reader.
        let read = DocumentRecordReader(schemas: Fixtures.miniPack.schemas).read(text: text, file: "laughs.yaml")
        #expect(read.records.isEmpty)
        #expect(read.diagnostics.map(\.message) == ["document expands to more than 2000000 nodes (through aliases?)"])
    }

    // MARK: - Nesting 10,000 levels deep

    @Test("YAML nested 10,000 levels, in flow and in block style, is refused at its limit")
    func deepYAML() throws {
        let cases = [
            ("flow.yaml", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), 1, 513),
            ("block.yaml", String(repeating: "- ", count: 10_000) + "x\n", 1, 1999),
            // Block mappings indent: 1,100 levels already hold 600,000 spaces. libyaml stops at 1,000.
            ("map.yaml", (0..<1_100).map { String(repeating: " ", count: $0) + "a:\n" }.joined(), 1000, 1000),
        ]
        for (file, text, line, column) in cases {
            let diagnostic = try #require(Self.yamlProblem(text, file: file), "\(file) was read")
            #expect(diagnostic.code == .inputTooLarge, "\(file)")
            #expect(diagnostic.message == "nesting deeper than 512 levels", "\(file)")
            #expect(diagnostic.location == SourceLocation(file: file, line: line, column: column))
        }
        // The limit is configurable: 20 levels are too many under a limit of 10.
        let shallow = try #require(Self.yamlProblem(String(repeating: "[", count: 20) + String(repeating: "]", count: 20),
                                                    file: "s.yaml", limits: ResourceLimits.with("yaml-depth", 10).yaml))
        #expect(shallow.message == "nesting deeper than 10 levels")
    }

    @Test("JSON nested 10,000 levels is refused at its limit, in a JSON file and on a JSON Lines line")
    func deepJSON() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let read = DocumentRecordReader(schemas: Fixtures.miniPack.schemas).read(text: deep, file: "deep.json")
        #expect(read.diagnostics.map(\.description) == ["deep.json:1:257: error: nesting deeper than 256 levels [json-syntax]"])

        let good = #"{"type":"spend","id":"A1","unit":"甲局","date":"2024-03-01","category":"其他","amount":1}"#
        let lines = try Self.write(good + "\n" + deep + "\n" + good.replacingOccurrences(of: "A1", with: "A3") + "\n",
                                   "deep.jsonl", in: folder)
        let report = try Self.audit([lines])
        #expect(report.inputErrors.map(\.description) == ["\(lines):2:257: error: nesting deeper than 256 levels [json-syntax]"])
        #expect(report.recordCount == 2)
        let lowered = try Self.audit([lines], pack: Self.miniPack(.with("json-depth", 100)))
        #expect(lowered.inputErrors.map(\.message) == ["nesting deeper than 100 levels"])
    }

    @Test("an expression nested 10,000 levels is a located error, however the nesting is written",
          arguments: [
              ("parentheses", String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000), 101),
              ("a chain of +", Array(repeating: "1", count: 10_000).joined(separator: "+"), 400),
              ("a chain of &&", Array(repeating: "true", count: 10_000).joined(separator: " && "), 1598),
              ("a chain of indexes", "[1]" + String(repeating: "[0]", count: 10_000), 598),
              ("a chain of calls", "'a'" + String(repeating: ".trim()", count: 10_000), 1397),
              ("negations", String(repeating: "!", count: 10_000) + "true", 201),
              ("nested lists", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), 101),
          ])
    func deepExpression(_ shape: String, _ text: String, _ column: Int) throws {
        let diagnostic = try #require(Self.compileProblem(text), "\(shape) compiled")
        #expect(diagnostic.code == .expressionSyntax)
        #expect(diagnostic.message == "expression nests deeper than 200 levels")
        #expect(diagnostic.location == SourceLocation(file: "<expression>", line: 1, column: column))
    }

    @Test("an expression nested too deep in a rule file is located at its column in the YAML")
    func deepExpressionInPack() throws {
        let pack = try Fixtures.copyOfPack(at: Fixtures.miniPackPath)
        defer { try? FileManager.default.removeItem(atPath: pack) }
        let rule = pack + "/rules/c01/MINI-CAP.yaml"
        let deep = Array(repeating: "amount", count: 300).joined(separator: " + ")
        try Fixtures.replace(in: rule, "require: amount <= params.cap", with: "require: \(deep) <= params.cap")
        let compilation = PackCompiler.compile(directory: pack)
        #expect(compilation.pack == nil)
        let problem = try #require(compilation.diagnostics.first { $0.code == .expressionSyntax })
        #expect(problem.message == "expression nests deeper than 200 levels")
        // The 200th `+` is 200 × 9 characters into the expression, which starts at column 10.
        #expect(problem.location == SourceLocation(file: rule, line: 8, column: 10 + 200 * 9 - 2))
        // With a higher limit the pack loads and the rule evaluates.
        let raised = PackCompiler.compile(directory: pack, options: .init(limits: .with("expression-depth", 400)))
        #expect(raised.pack != nil, "\(raised.diagnostics.map(\.description))")
    }

    // MARK: - A 100 MB field

    @Test("a 100 MB field in a CSV row is an error at its row and column; the rows around it are read",
          .timeLimit(.minutes(5)))
    func hundredMegabyteField() throws {
        let path = folder + "/big.csv"
        FileManager.default.createFile(atPath: path, contents: Data((Self.header + Self.row("A1")).utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("A2,甲局,2024-03-01,其他,10,\"".utf8))
        let chunk = Data(String(repeating: "很长的备注,\n\"\"", count: 1 << 16).utf8)
        var written = 0
        while written < 100 << 20 {
            try handle.write(contentsOf: chunk)
            written += chunk.count
        }
        try handle.write(contentsOf: Data(("\"\n" + Self.row("A3")).utf8))
        try handle.close()

        let report = try Self.audit([path])
        #expect(report.inputErrors.map(\.description) == [
            "\(path):3:6: error: row 3 is longer than 16 MiB (in column 6); it is not read [input-too-large]"
        ])
        #expect(report.recordCount == 2)
        #expect(report.inputWarnings.map(\.message) == ["column 6 `备注` matches no field of `spend`; it is ignored"])
    }

    @Test("a field within a raised row limit is read whole; a JSON Lines line over it is an error")
    func rowLimitIsConfigurable() throws {
        let note = String(repeating: "备", count: 300_000)  // 900 KB of UTF-8
        let csv = try Self.write(Self.header + Self.row("A1") + Self.row("A2", note: note) + Self.row("A3"), "note.csv", in: folder)
        let small = try Self.miniPack(.with("row-bytes", 512 << 10))
        let refused = try Self.audit([csv], pack: small)
        #expect(refused.inputErrors.map(\.message) == ["row 3 is longer than 512 KiB (in column 6); it is not read"])
        #expect(refused.recordCount == 2)
        let read = try Self.audit([csv], pack: Self.miniPack(.with("row-bytes", 1 << 20)))
        #expect(read.inputErrors.isEmpty)
        #expect(read.recordCount == 3)

        let line = #"{"type":"spend","id":"A2","unit":"\#(note)","date":"2024-03-01","category":"其他","amount":1}"#
        let good = #"{"type":"spend","id":"A1","unit":"甲局","date":"2024-03-01","category":"其他","amount":1}"#
        let jsonl = try Self.write([good, line, good.replacingOccurrences(of: "A1", with: "A3")].joined(separator: "\n"),
                                   "note.jsonl", in: folder)
        let lines = try Self.audit([jsonl], pack: small)
        #expect(lines.inputErrors.map(\.description) == ["\(jsonl):2:1: error: line 2 is longer than 512 KiB; it is not read [input-too-large]"])
        #expect(lines.recordCount == 2)
    }

    @Test("a string of 32 MB concatenated with itself costs its size in evaluation steps")
    func hugeStringConcatenation() {
        let big = Value.string(String(repeating: "x", count: 32 << 20))
        let result = Self.evaluate("size(s + s)", variables: [("s", .string, big)])
        #expect(result == .failure("limit-exceeded: evaluation exceeded its cost limit of 1000000 steps"))
        #expect(Self.evaluate("size(s + s)", limits: .with("evaluation-steps", 2_000_000), variables: [("s", .string, big)])
                == .value(.number(Decimal(64 << 20))))
    }

    // MARK: - The end of the file

    @Test("a last row with no line end is read, in CSV and in JSON Lines")
    func noNewlineAtEnd() throws {
        let csv = try Self.write(Self.header + Self.row("A1") + "A2,甲局,2024-03-01,其他,2000,", "end.csv", in: folder)
        let report = try Self.audit([csv])
        #expect(report.recordCount == 2)
        #expect(report.findings.filter { $0.ruleID == "MINI-CAP" }.map(\.record?.id) == ["A2"])
        let jsonl = try Self.write(#"{"type":"spend","id":"J1","unit":"甲局","date":"2024-03-01","category":"其他","amount":2000}"#,
                                   "end.jsonl", in: folder)
        #expect(try Self.audit([jsonl]).findings.filter { $0.ruleID == "MINI-CAP" }.map(\.record?.id) == ["J1"])
    }

    // MARK: - NUL bytes

    @Test("a NUL byte is an error at its row and cell, line and column; the other records are read")
    func nulBytes() throws {
        let csv = try Self.write(Array((Self.header + Self.row("A1")).utf8) + Array("A2,甲局,2024-03-01,其他,10,备".utf8) + [0]
                                 + Array(("注\n" + Self.row("A3")).utf8), "nul.csv", in: folder)
        let report = try Self.audit([csv])
        // `备注` is a column no field of the schema has, so it is named by its number alone.
        #expect(report.inputErrors.map(\.description) == ["\(csv):3:6: error: column 6: a NUL byte (U+0000) [encoding]"])
        #expect(report.inputErrors.first?.help == "a NUL byte means a UTF-16 or binary file: save it as UTF-8 text")
        #expect(report.recordCount == 2)

        let good = #"{"type":"spend","id":"J1","unit":"甲局","date":"2024-03-01","category":"其他","amount":1}"#
        let jsonl = try Self.write(Array((good + "\n").utf8) + [0] + Array((good + "\n").utf8)
                                   + Array(good.replacingOccurrences(of: "甲局", with: "甲\u{0}局").utf8), "nul.jsonl", in: folder)
        let lines = try Self.audit([jsonl])
        #expect(lines.inputErrors.map(\.description) == [
            "\(jsonl):2:1: error: a control character (U+0000) where a JSON value should start [json-syntax]",
            "\(jsonl):3:36: error: a control character inside a string must be escaped [json-syntax]",
        ])
        #expect(lines.recordCount == 1)

        let yaml = try #require(Self.yamlProblem("type: spend\nid: Y1\nunit: 甲\u{0}局\n", file: "nul.yaml"))
        #expect(yaml.description == "nul.yaml:3:8: error: a NUL byte (U+0000) [yaml-syntax]")
    }

    @Test("a UTF-16 table is named as such")
    func utf16() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in Self.header.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let report = try Self.audit([try Self.write(bytes, "utf16.csv", in: folder)])
        #expect(report.inputErrors.map(\.message) == ["`\(folder)/utf16.csv` is UTF-16 text; expected UTF-8 or GB18030"])
    }

    // MARK: - Invalid UTF-8 and GB18030

    @Test("invalid UTF-8 is located at its line and column, in tables and in YAML and JSON")
    func invalidUTF8() throws {
        // Early in the file: the encoding guess falls to GB18030, but UTF-8 reads further, so its error is the one given.
        let early = try Self.write(Array((Self.header + Self.row("A1")).utf8) + Array("A2,甲局,2024-03-01,其他,10,备".utf8)
                                   + [0xFF, 0xFE] + Array("注\n".utf8), "early.csv", in: folder)
        let report = try Self.audit([early])
        #expect(report.inputErrors.map(\.description) == ["\(early):3:25: error: invalid UTF-8 at byte 108 (line 3) [encoding]"])
        // Past the first 64 KiB the file is read as UTF-8 and the bad cell is an error of its row.
        var rows = Self.header
        for index in 0..<2_000 { rows += Self.row("B\(index)") }
        let late = try Self.write(Array(rows.utf8) + Array("C1,甲".utf8) + [0xC3, 0x28] + Array("局,2024-03-01,其他,10,\n".utf8),
                                  "late.csv", in: folder)
        let lateReport = try Self.audit([late])
        #expect(lateReport.inputErrors.map(\.description) == ["\(late):2002:2: error: invalid UTF-8 in column 2 `单位` [field-type]"])
        #expect(lateReport.recordCount == 2_000)

        for name in ["bad.yaml", "bad.json"] {
            let text = name.hasSuffix(".json") ? #"{"type":"spend","id":"#.utf8 + [0xE4, 0xB8] + #"","amount":1}"#.utf8
                : Array("type: spend\nid: ".utf8) + [0xE4, 0xB8] + Array("\n".utf8)
            let path = try Self.write(Array(text), name, in: folder)
            let documents = try Self.audit([path])
            let diagnostic = try #require(documents.inputErrors.first)
            #expect(diagnostic.code == .encoding)
            #expect(diagnostic.location == (name.hasSuffix(".json") ? SourceLocation(file: path, line: 1, column: 22)
                                                                   : SourceLocation(file: path, line: 2, column: 5)))
            #expect(diagnostic.help == "YAML and JSON files are read as UTF-8: save the file as UTF-8")
        }
    }

    @Test("an invalid GB18030 sequence is located at its line and column")
    func invalidGB18030() throws {
        let sample = try Data(contentsOf: URL(fileURLWithPath: Fixtures.repositoryRoot + "/samples/spending/expenses-2022-2024.gb18030.csv"))
        let lines = sample.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(3).map { Array($0) + [0x0A] }
        let valid = lines.flatMap { $0 }
        // 0x81 0x20: a lead byte followed by a space is no GB18030 character.
        let path = try Self.write(valid + Array("A2,".utf8) + [0x81, 0x20] + Array("x\n".utf8), "bad.csv", in: folder)
        for encoding in [TextEncoding.gb18030, nil] {
            let report = try Self.audit([path], encoding: encoding)
            #expect(report.inputErrors.map(\.description)
                    == ["\(path):4:4: error: invalid GB18030 sequence at byte \(valid.count + 3) (line 4) [encoding]"])
        }
    }

    // MARK: - Line ends

    @Test("CRLF and lone CR line ends read the same rows, and errors keep their row numbers",
          arguments: ["\r\n", "\r", "\n"])
    func lineEnds(_ end: String) throws {
        let text = (Self.header + Self.row("A1") + "A2,甲局,2024-13-01,其他,10,\n" + Self.row("A3", note: "\"两行\n备注\""))
            .replacingOccurrences(of: "\n", with: end)
        let csv = try Self.write(text, "ends.csv", in: folder)
        let report = try Self.audit([csv])
        #expect(report.inputErrors.map(\.location) == [SourceLocation(file: csv, line: 3, column: 3)])
        #expect(report.recordCount == 2)
        let good = #"{"type":"spend","id":"J1","unit":"甲局","date":"2024-03-01","category":"其他","amount":1}"#
        let jsonl = try Self.write([good, "{", good].joined(separator: end), "ends.jsonl", in: folder)
        let lines = try Self.audit([jsonl])
        #expect(lines.inputErrors.map(\.location?.line) == [2])
        #expect(lines.recordCount == 2)
        let yaml = "type: spend\nid: Y1\nunit: 甲局\ndate: 2024-03-01\ncategory: 其他\namount: x\n".replacingOccurrences(of: "\n", with: end)
        let read = DocumentRecordReader(schemas: Fixtures.miniPack.schemas).read(text: yaml, file: "ends.yaml")
        #expect(read.diagnostics.map(\.location) == [SourceLocation(file: "ends.yaml", line: 6, column: 9)])
    }

    // MARK: - A byte-order mark in the middle

    @Test("a byte-order mark past the start is an error where it is, in CSV, JSON Lines and YAML")
    func byteOrderMarkInTheMiddle() throws {
        let bom = "\u{FEFF}"
        // Two exports joined with `cat`: the second one's header, behind its mark, is not a record.
        let joined = try Self.write(bom + Self.header + Self.row("A1") + bom + Self.header + Self.row("A2", note: "备\(bom)注"),
                                    "joined.csv", in: folder)
        let report = try Self.audit([joined])
        #expect(report.inputErrors.map(\.description) == [
            "\(joined):3:1: error: column 1 `编号`: a byte-order mark (U+FEFF) in the middle of the file [encoding]",
            "\(joined):4:6: error: column 6: a byte-order mark (U+FEFF) in the middle of the file [encoding]",
        ])
        #expect(report.inputErrors.first?.help == "a byte-order mark belongs only at the start of a file: were two files joined?")
        #expect(report.recordCount == 1)

        let good = #"{"type":"spend","id":"J1","unit":"甲局","date":"2024-03-01","category":"其他","amount":1}"#
        let jsonl = try Self.write(bom + good + "\n" + bom + good + "\n", "joined.jsonl", in: folder)
        #expect(try Self.audit([jsonl]).inputErrors.map(\.description) == [
            "\(jsonl):2:1: error: a byte-order mark (U+FEFF) where a JSON value should start; were two files joined? [json-syntax]"
        ])
        let yaml = try #require(Self.yamlProblem(bom + "a: 1\n---\n" + bom + "a: 2\n", file: "j.yaml"))
        #expect(yaml.description == "j.yaml:3:1: error: a byte-order mark (U+FEFF) in the middle of the file [yaml-syntax]")
    }

    // MARK: - XLSX

    @Test("a truncated workbook is unreadable, whichever byte it is cut at, and the other files are still read")
    func truncatedXLSX() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.repositoryRoot + "/samples/spending/expenses-2022-2024.xlsx"))
        let csv = try Self.write(Self.header + Self.row("A1"), "ok.csv", in: folder)
        for length in stride(from: 0, to: whole.count, by: whole.count / 7) {
            let path = try Self.write(Array(whole.prefix(length)), "cut-\(length).xlsx", in: folder)
            let report = try Self.audit([path, csv])
            #expect(report.inputErrors.count == 1, "cut at \(length)")
            #expect(report.inputErrors.first?.code == .fileUnreadable, "cut at \(length)")
            #expect(report.inputErrors.first?.message.hasPrefix("`\(path)` is not an XLSX workbook") == true, "cut at \(length)")
            #expect(report.recordCount == 1)
        }
    }

    @Test("a zip bomb in a workbook is refused by its declared size and while it inflates", .timeLimit(.minutes(2)))
    func zipBomb() throws {
        let archive = try Archive(data: Data(), accessMode: .create)
        try XLSXReaderTests.addMinimalParts(to: archive, sheets: ["S"])
        let size: Int64 = 16 << 20
        let zeros = Data(count: 1 << 20)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size, compressionMethod: .deflate,
                             bufferSize: 1 << 20, provider: { (position: Int64, chunk: Int) in zeros.prefix(min(chunk, Int(size - position))) })
        let bomb = try #require(archive.data)
        #expect(bomb.count < 64 << 10)
        let path = try Self.write(Array(bomb), "bomb.xlsx", in: folder)
        let pack = try Self.miniPack(.with("xlsx-sheet-bytes", 1 << 20))
        let declared = try Self.audit([path], pack: pack)
        #expect(declared.inputErrors.map(\.description) == [
            "error: `\(path)` is too large to read: `xl/worksheets/sheet1.xml` declares 16 MiB uncompressed, more than the limit of 1 MiB [input-too-large]"
        ])
        // A directory that understates the size is caught by counting what comes out.
        let understated = try Self.write(Array(try XLSXReaderTests.zipBomb(declaring: 1000)), "liar.xlsx", in: folder)
        #expect(try Self.audit([understated], pack: pack).inputErrors.map(\.message) == [
            "`\(understated)` is too large to read: `xl/worksheets/sheet1.xml` expands beyond 1 MiB, more than the limit of 1 MiB"
        ])
        // A workbook file larger than `file-bytes` is not read at all.
        let tooBig = try Self.audit([path], pack: Self.miniPack(.with("file-bytes", 1 << 10)))
        #expect(tooBig.inputErrors.first?.message.hasSuffix("more than the limit of 1 KiB; a workbook is read whole") == true)
    }

    // MARK: - Evaluation cost

    @Test("an expression that would build a huge list stops at the step limit", .timeLimit(.minutes(1)))
    func hugeList() {
        let ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
        var text = "1"
        for variable in ["a", "b", "c", "d", "e", "f", "g", "h", "i"] { text = "\(ten).map(\(variable), \(text))" }
        // 10⁹ elements, were it built.
        #expect(Self.evaluate("size(\(text))") == .failure("limit-exceeded: evaluation exceeded its cost limit of 1000000 steps"))
        #expect(Self.evaluate("size(\(text))", limits: .with("evaluation-steps", 5_000))
                == .failure("limit-exceeded: evaluation exceeded its cost limit of 5000 steps"))
        // A list field of 10,000 elements crossed with itself would be 10⁸; concatenation is charged per element.
        let field = [("l", ValueType.list(.number), Value.list((0..<10_000).map { .number(Decimal($0)) }))]
        #expect(Self.evaluate("size(l.map(x, l.map(y, x)))", variables: field)
                == .failure("limit-exceeded: evaluation exceeded its cost limit of 1000000 steps"))
        #expect(Self.evaluate("size(l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l)", variables: field)
                == .failure("limit-exceeded: evaluation exceeded its cost limit of 1000000 steps"))
        // Within the limit, the result is exact.
        #expect(Self.evaluate("size(\(ten).map(a, \(ten).map(b, \(ten))))") == .value(.number(10)))
    }

    @Test("a `matches` pattern that backtracks exponentially elsewhere runs in linear time here", .timeLimit(.minutes(1)))
    func catastrophicBacktracking() throws {
        for (pattern, text) in [("^(a+)+$", String(repeating: "a", count: 64) + "!"),
                                ("^(a|aa)+$", String(repeating: "a", count: 64) + "!"),
                                ("(x+x+)+y", String(repeating: "x", count: 64)),
                                ("^(\\w+\\s?)*$", String(repeating: "word ", count: 20) + "!")] {
            #expect(Self.evaluate("s.matches('\(pattern.replacingOccurrences(of: "\\", with: "\\\\"))')",
                                  variables: [("s", .string, .string(text))]) == .value(.bool(false)), "\(pattern)")
        }
        // The work is linear in the text: 100,000 characters cost steps in proportion, not 2¹⁰⁰⁰⁰⁰.
        let regex = try RegularExpression("^(a+)+$")
        let long = String(repeating: "a", count: 100_000) + "!"
        let (matched, steps) = regex.search(long, maxSteps: .max)
        #expect(matched == false)
        #expect(steps < 100_001 * (regex.program.count + 1))
        // A text long enough to exceed the evaluation budget is `limit-exceeded`, not a hang.
        #expect(Self.evaluate("s.matches('^(a+)+$')", variables: [("s", .string, .string(long))])
                == .failure("limit-exceeded: evaluation exceeded its cost limit of 1000000 steps"))
    }

    @Test("what RE2 leaves out is a pack error that names it, at the pattern")
    func unsupportedPatterns() throws {
        for (pattern, message) in [
            ("(ab)\\\\1", "invalid regular expression `(ab)\\1`: backreferences (`\\1`) are not supported; `matches` uses RE2 syntax (at offset 4)"),
            ("a(?=b)", "invalid regular expression `a(?=b)`: lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported; `matches` uses RE2 syntax (at offset 1)"),
            ("a*+", "invalid regular expression `a*+`: possessive repetition (`*+`) is not supported; `matches` uses RE2 syntax (at offset 1)"),
            ("((a{1000}){1000}){1000}", "regular expression `((a{1000}){1000}){1000}` is too large: it compiles to more than 100000 states"),
        ] {
            let diagnostic = try #require(Self.compileProblem("'x'.matches('\(pattern)')"), "\(pattern)")
            #expect(diagnostic.message == message)
            #expect(diagnostic.location?.column == 13)
        }
    }

    @Test("the RE2 syntax `matches` reads: classes, anchors, flags, counted repetition, Unicode")
    func regularExpressionSyntax() throws {
        let cases: [(String, String, Bool)] = [
            ("gr(a|e)y", "grey", true), ("^\\d{4}-\\d{2}$", "2024-03", true), ("^\\d{4}-\\d{2}$", "２０２４-03", false),
            ("(?i)^abc$", "ABC", true), ("^abc$", "ABC", false), ("a.c", "a\nc", false), ("(?s)a.c", "a\nc", true),
            ("(?m)^b$", "a\nb\nc", true), ("^b$", "a\nb\nc", false), ("\\bcat\\b", "a cat!", true), ("\\bcat\\b", "concat", false),
            ("[^a-c]", "abc", false), ("[[:upper:]][[:digit:]]", "xA1", true), ("^\\p{Han}+$", "绍兴市", true),
            ("^\\p{Han}+$", "绍兴A", false), ("\\P{L}", "abc", false), ("^a{2,3}$", "aaaa", false), ("^a{2,}$", "aaaa", true),
            ("\\x{4E2D}", "中", true), ("\\Q(a)\\E", "x(a)", true), ("(?P<year>\\d{4})年", "2024年", true), ("", "", true),
            ("〔\\d{4}〕\\d+号$", "绍政发〔2022〕6号", true), ("a{,2}", "a{,2}", true), ("(?i)ß|k", "K", true),
        ]
        for (pattern, text, expected) in cases {
            let regex = try RegularExpression(pattern)
            #expect(regex.search(text, maxSteps: .max).matched == expected, "`\(pattern)` on `\(text)`")
        }
    }

    @Test("a rule whose pattern meets a hostile value reports that record not evaluated and checks the others")
    func matchesInARule() throws {
        let pack = try Fixtures.copyOfPack(at: Fixtures.miniPackPath)
        defer { try? FileManager.default.removeItem(atPath: pack) }
        try Fixtures.replace(in: pack + "/rules/c01/MINI-CAP.yaml", "require: amount <= params.cap",
                             with: "require: amount <= params.cap && !id.matches('^(a+)+$')")
        let compiled = try #require(PackCompiler.compile(directory: pack).pack)
        let csv = try Self.write(Self.header + Self.row("A1") + Self.row(String(repeating: "a", count: 400_000) + "!") + Self.row("A3"),
                                 "ids.csv", in: folder)
        let report = AuditRun(pack: compiled, options: AuditOptions(language: .en, workers: 1)).run([csv])
        #expect(report.recordCount == 3)
        let capFindings = report.findings.filter { $0.ruleID == "MINI-CAP" }
        #expect(capFindings.map(\.kind) == [.notEvaluated])
        #expect(capFindings.first?.location?.line == 3)
        #expect(capFindings.first?.message == "cannot evaluate: evaluation exceeded its cost limit of 1000000 steps")
    }

    // MARK: - Limits

    @Test("limits are set by name, sizes with units; unknown names and bad values are refused with advice")
    func limitSettings() {
        var limits = ResourceLimits()
        #expect((try? limits.apply("row-bytes=64MiB").get()) != nil)
        #expect(limits.rowBytes == 64 << 20)
        #expect((try? limits.apply("evaluation-steps = 2_000_000").get()) != nil)
        #expect(limits.evaluationSteps == 2_000_000)
        guard case .failure(let unknown) = limits.apply("row-byte=1") else {
            Issue.record("an unknown name was taken")
            return
        }
        #expect(unknown.message == "unknown limit `row-byte`")
        #expect(unknown.help == "did you mean `row-bytes`?")
        guard case .failure(let bad) = limits.apply("yaml-depth=-3") else {
            Issue.record("a negative limit was taken")
            return
        }
        #expect(bad.message == "limit `yaml-depth` needs a positive whole number, found `-3`")
        #expect(ResourceLimits.catalogue.map(\.name) == ["yaml-nodes", "yaml-depth", "json-depth", "expression-depth",
                                                         "evaluation-steps", "row-bytes", "file-bytes", "xlsx-sheet-bytes",
                                                         "xlsx-part-bytes", "xlsx-cells"])
    }
}

extension ResourceLimits {
    /// The defaults with one limit changed.
    static func with(_ name: String, _ value: Int) -> ResourceLimits {
        var limits = ResourceLimits()
        _ = limits.set(name, to: value)
        return limits
    }
}

extension Fixtures {
    /// A scratch copy of the pack at `path` that a test may edit.
    static func copyOfPack(at path: String) throws -> String {
        let target = NSTemporaryDirectory() + "policycheck-pack-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: path, toPath: target)
        return target
    }
}
