import Foundation
import Testing
@testable import PolicyCheckKit

/// The direct JSON binder against the general path (located nodes, then the decoder): on every sample
/// record written as JSON, and on variants the general path has something to say about, it either returns
/// exactly the general path's records or gives up.
@Suite struct DirectJSONBinderTests {
    static let schemas = Fixtures.bundledPack.schemas

    /// The first records of every YAML sample, as JSON values.
    static let samples: [JSON] = {
        let root = Fixtures.repositoryRoot + "/samples"
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        var records: [JSON] = []
        for file in files {
            guard let text = try? String(contentsOfFile: root + "/" + file, encoding: .utf8),
                  case .success(let documents) = YAMLSource(file: file, text: text).documents() else { continue }
            for document in documents {
                if case .sequence(let items, _) = document {
                    records += items.prefix(3).map(JSON.init)
                } else {
                    records.append(JSON(document))
                }
            }
        }
        return records
    }()

    /// Reads `text` both ways; whether the direct binder took it. When it did, the general path must have
    /// read the same records without a diagnostic.
    @discardableResult
    static func compare(_ text: String, type: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let general = DocumentRecordReader(schemas: schemas, defaultType: type).readNodes(text: text, file: "r.json")
        let binder = DirectJSONBinder(schemas: schemas, defaultType: type, file: "r.json", maxDepth: 256)
        guard let direct = Array(text.utf8).withUnsafeBytes({ binder.records(in: $0) }) else { return false }
        #expect(general.diagnostics.isEmpty, "\(general.diagnostics.first?.description ?? "")\n\(text)", sourceLocation: sourceLocation)
        #expect(general.records.count == direct.count, "\(text)", sourceLocation: sourceLocation)
        for (expected, found) in zip(general.records, direct) {
            #expect(expected.type == found.type && expected.id == found.id && expected.location == found.location
                        && expected.value == found.value, "\(text)", sourceLocation: sourceLocation)
        }
        return true
    }

    @Test func samplesAreReadDirectlyAsTheGeneralPathReadsThem() throws {
        #expect(Self.samples.count > 30)
        var direct = 0
        for sample in Self.samples {
            for style in JSON.Style.allCases where Self.compare(sample.text(style)) { direct += 1 }
        }
        // Samples that use `map` fields or an alias beside its group are left to the general path; the rest are not.
        #expect(direct * 10 >= Self.samples.count * JSON.Style.allCases.count * 8)
        let json = try String(contentsOfFile: Fixtures.repositoryRoot + "/samples/decisions/ok-05-json.json", encoding: .utf8)
        #expect(Self.compare(json))
    }

    @Test func aListOfRecordsAndADefaultType() {
        let records = Array(Self.samples.prefix(4))
        #expect(Self.compare(JSON.array(records).text(.pretty)))
        #expect(Self.compare(JSON.array(records).text(.compact)))
        guard case .object(let pairs) = Self.samples[0], let type = pairs.first(where: { $0.0 == "type" })?.1,
              case .string(let name) = type else { return }
        #expect(Self.compare(JSON.object(pairs.filter { $0.0 != "type" }).text(.compact), type: name))
        Self.compare("[]")
        Self.compare("[" + Self.samples[0].text(.compact) + ", 1]")
    }

    @Test func variantsAreLeftToTheGeneralPathOrReadAlike() {
        var variants = 0
        // Every third sample: each record type is still among them, and the suite stays quick.
        for sample in stride(from: 0, to: Self.samples.count, by: 3).map({ Self.samples[$0] }) {
            for variant in sample.variants() {
                Self.compare(variant.text(.compact))
                variants += 1
            }
        }
        #expect(variants > 5000)
    }

    @Test func bytesThatAreNotUTF8AreLeftToTheGeneralPath() throws {
        let json = Array(try String(contentsOfFile: Fixtures.repositoryRoot + "/samples/decisions/ok-05-json.json", encoding: .utf8).utf8)
        let binder = DirectJSONBinder(schemas: Self.schemas, file: "r.json", maxDepth: 256)
        #expect(json.withUnsafeBytes { binder.records(in: $0) }?.count == 1)
        let value = try #require(json.firstIndex(of: UInt8(ascii: "D")))
        let key = try #require(json.indices.first { json[$0...].starts(with: Array("\"unit\"".utf8)) })
        for (at, bytes) in [(value, [0xFF]), (value, [0xC0, 0xAF]), (key + 2, [0xC3])] as [(Int, [UInt8])] {
            var broken = json
            broken.replaceSubrange(at..<(at + 1), with: bytes)
            #expect(broken.withUnsafeBytes { binder.records(in: $0) } == nil)
        }
    }

    @Test func textThatIsNotARecordIsLeftToTheGeneralPath() {
        for text in ["", " ", "null", "{}", "{\"type\": \"decision\"", "{\"type\": \"decision\"} x", "{\"type\": decision}",
                     "{\"type\": \"nosuch\", \"id\": \"a\"}", "{\"type\": null}", "{\"type\": [\"decision\"]}",
                     "{\"type\": \"decision\", \"type\": \"decision\"}", "\u{FEFF}{}", String(repeating: "[", count: 300)] {
            #expect(!Self.compare(text), "\(text)")
        }
    }
}

/// A JSON value as a test writes it: object keys in order, literals as written.
indirect enum JSON: Sendable {
    case literal(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    enum Style: CaseIterable {
        case pretty
        case compact
        /// Every non-ASCII character as a `\u` escape, as Python's `json.dumps` writes by default.
        case asciiEscaped
    }

    /// A YAML node as JSON: plain scalars that are JSON words stay words, the rest are strings.
    init(_ node: LocatedNode) {
        switch node {
        case .scalar(let scalar):
            if scalar.isNull {
                self = .literal("null")
            } else if scalar.style == .plain, scalar.text == "true" || scalar.text == "false" || JSONParser.isNumber(scalar.text) {
                self = .literal(scalar.text)
            } else {
                self = .string(scalar.text)
            }
        case .sequence(let items, _): self = .array(items.map(JSON.init))
        case .mapping(let pairs, _): self = .object(pairs.map { ($0.key.text, JSON($0.value)) })
        }
    }

    func text(_ style: Style) -> String {
        var out: [UInt8] = []
        write(into: &out, pretty: style == .pretty, indent: 0)
        let text = String(decoding: out, as: UTF8.self)
        guard style == .asciiEscaped else { return text }
        // Non-ASCII characters occur only inside strings, where an escape stands for them.
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                escaped.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 { escaped += String(format: "\\u%04x", unit) }
            }
        }
        return escaped
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        let newline = pretty ? Array(("\n" + String(repeating: "  ", count: indent + 1)).utf8) : []
        let close = pretty ? Array(("\n" + String(repeating: "  ", count: indent)).utf8) : []
        switch self {
        case .literal(let word): out += Array(word.utf8)
        case .string(let text): JSONValue.writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += newline
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            out += (items.isEmpty ? [] : close) + [UInt8(ascii: "]")]
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += newline
                JSONValue.writeString(pair.0, into: &out)
                out += Array((pretty ? ": " : ":").utf8)
                pair.1.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            out += (pairs.isEmpty ? [] : close) + [UInt8(ascii: "}")]
        }
    }

    /// Values a field may be given in place of its own: each of another kind, or not a value the schema takes.
    static let replacements: [JSON] = [
        .literal("null"), .literal("true"), .literal("0"), .literal("-1.5e3"), .string(""), .string("x"), .string(" 是 "),
        .string("2024-02-30"), .string("2024年3月1日"), .string("1,234.5"), .string("座谈会、听证会"), .array([]),
        .array([.string("x")]), .array([.literal("null")]), .object([]), .object([("a", .literal("1"))]),
    ]

    /// This value with one change at a time: a member dropped, repeated, renamed, given another value, or
    /// moved to the end; members reversed; an unknown member added. Nested objects change the same way.
    func variants() -> [JSON] {
        guard case .object(let pairs) = self else { return [] }
        var out: [JSON] = [.object(pairs.reversed()), .object(pairs + [("zz_unknown", .literal("1"))])]
        for index in pairs.indices {
            var without = pairs
            let pair = without.remove(at: index)
            out.append(.object(without))
            out.append(.object(without + [pair]))
            out.append(.object(pairs + [pair]))
            out.append(.object(without + [("类型", pair.1)]))
            for replacement in Self.replacements {
                var changed = pairs
                changed[index].1 = replacement
                out.append(.object(changed))
            }
            for nested in pair.1.variants() {
                var changed = pairs
                changed[index].1 = nested
                out.append(.object(changed))
            }
        }
        return out
    }
}
