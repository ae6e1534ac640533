import Foundation

/// The JSON report of DESIGN.md, a contract other tools parse: keys sorted, no timestamps.
public struct JSONFormatter: StreamingReportFormatter {
    public static let identifier = "json"
    public static let defaultFileName = "policycheck.json"

    public init() {}

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4096 + report.findings.count * 700)
        try write(report, pack: pack, options: options) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Printed as `JSONValue.writePretty` prints the whole tree, with `violations` — the last key in
    /// sorted order — written one finding at a time, so an audit's findings need not be held at once.
    public func write(_ report: Report, pack: CompiledPack, options: FormatOptions,
                      to output: ([UInt8]) throws -> Void) throws {
        // Built as a JSON tree and printed by hand: Foundation's encoder costs more than the audit it reports on.
        var root: [(String, JSONValue)] = [
            ("inputErrors", .array(report.inputErrors.map(Self.problemJSON))),
            ("inputWarnings", .array(report.inputWarnings.map(Self.problemJSON))),
            ("pack", .object([("document", .string(report.document)), ("id", .string(report.packID))])),
            ("summary", Self.summaryJSON(report.summary)),
            ("tool", .object([("name", .string("policycheck")), ("version", .string(report.toolVersion))])),
        ]
        if let audit = report.audit {
            var fields: [(String, JSONValue)] = [
                ("findingsByRule", .object(audit.findingsByRule.map { ($0.key, .number(Decimal($0.value))) })),
                ("findingsByUnit", .object(audit.findingsByUnit.map { ($0.key, .number(Decimal($0.value))) })),
                ("rowsRead", .number(Decimal(audit.rowsRead))),
            ]
            if let period = audit.period { fields.append(("period", .string(period))) }
            root.append(("audit", .object(fields)))
        }
        if let gate = report.gate { root.append(("gate", Self.gateJSON(gate))) }
        var out: [UInt8] = [0x7B]
        for (key, value) in JSONValue.inPrintOrder(root, key: \.0) {
            out.append(contentsOf: "\n  ".utf8)
            JSONValue.writeString(key, into: &out)
            out.append(contentsOf: [0x20, 0x3A, 0x20])
            value.writePretty(into: &out, indent: 1)
            out.append(0x2C)
        }
        out.append(contentsOf: "\n  \"violations\" : [".utf8)
        var first = true
        try forEachFragment(report, pack: pack, options: options) { fragment in
            out.append(contentsOf: first ? Self.firstViolation : Self.nextViolation)
            out.append(contentsOf: fragment)
            first = false
            if out.count >= 1 << 20 {
                try output(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        // An empty array prints as Foundation prints it: a blank line between the brackets.
        out.append(contentsOf: (first ? "\n\n  ]\n}\n" : "\n  ]\n}\n").utf8)
        try output(out)
    }

    /// What goes before a finding in `violations`, the first and the others.
    private static let firstViolation: [UInt8] = Array("\n    ".utf8), nextViolation: [UInt8] = Array(",\n    ".utf8)

    /// One finding as it sits in `violations`: an object two levels in.
    public func fragment(for finding: Finding, pack: CompiledPack, options: FormatOptions) -> [UInt8] {
        let sink = ByteSink()
        Self.writeFinding(finding, into: sink, indent: 2)
        return Array(sink.bytes)
    }

    /// A finding as `JSONValue.writePretty` would print its object, written without building the tree: an
    /// audit prints one per finding, and the tree's arrays and sorting cost more than the printing. The keys
    /// are in the sorted order `writePretty` puts them in; `baseline` and `fingerprint` appear only with a
    /// baseline in force (a fingerprint costs a digest per finding, which a large audit need not pay).
    static func writeFinding(_ finding: Finding, into out: inout [UInt8], indent: Int) {
        let sink = ByteSink()
        writeFinding(finding, into: sink, indent: indent)
        out.append(contentsOf: sink.bytes)
    }

    static func writeFinding(_ finding: Finding, into out: ByteSink, indent: Int) {
        /// The separator, line break, indentation and key of an object's member at `depth`.
        func member(_ name: StaticString, depth: Int, first: Bool = false) {
            if !first { out.append(0x2C) }
            out.newline(depth)
            out.append(0x22)
            out.append(name)
            out.append(JSONValue.keySeparator)
        }
        func close(depth: Int) {
            out.newline(depth)
            out.append(0x7D)
        }
        /// Members in the byte order of their names, as `writePretty` sorts an object's keys.
        func object(_ pairs: [(name: String, value: Value)], depth: Int) {
            out.append(0x7B)
            if pairs.isEmpty {
                out.append(0x0A)
                out.newline(depth)
                out.append(0x7D)
                return
            }
            for (position, pair) in JSONValue.inPrintOrder(pairs, key: \.name).enumerated() {
                if position > 0 { out.append(0x2C) }
                out.newline(depth + 1)
                out.string(pair.name)
                out.append(" : ")
                out.value(pair.value, indent: depth + 1)
            }
            close(depth: depth)
        }
        func source(_ location: SourceLocation, depth: Int) {
            out.append(0x7B)
            member("column", depth: depth + 1, first: true)
            out.integer(location.column)
            member("file", depth: depth + 1)
            out.string(location.file)
            member("line", depth: depth + 1)
            out.integer(location.line)
            close(depth: depth)
        }
        let depth = indent + 1
        out.append(0x7B)
        let baseline = finding.baselineState
        if let baseline {
            member("baseline", depth: depth, first: true)
            out.string(baseline.rawValue)
        }
        member("clause", depth: depth, first: baseline == nil)
        out.string(finding.clause)
        if baseline != nil {
            member("fingerprint", depth: depth)
            out.string(finding.fingerprint)
        }
        member("group", depth: depth)
        if let group = finding.group { object(group.map { ($0.name, $0.value) }, depth: depth) } else { out.append("null") }
        member("kind", depth: depth)
        out.string(finding.kind.rawValue)
        member("message", depth: depth)
        out.string(finding.message)
        member("record", depth: depth)
        if let record = finding.record {
            out.append(0x7B)
            member("id", depth: depth + 1, first: true)
            out.string(record.id)
            member("source", depth: depth + 1)
            source(record.location, depth: depth + 1)
            member("type", depth: depth + 1)
            out.string(record.type)
            close(depth: depth)
        } else {
            out.append("null")
        }
        member("rule", depth: depth)
        out.string(finding.ruleID)
        member("severity", depth: depth)
        out.string(finding.severity.rawValue)
        if finding.record == nil, let location = finding.groupLocation {
            member("source", depth: depth)
            source(location, depth: depth)
        }
        member("values", depth: depth)
        object(finding.values.map { ($0.path, $0.value) }, depth: depth)
        member("waived", depth: depth)
        if let waiver = finding.waived {
            var scratch: [UInt8] = []
            waiverJSON(waiver).writePretty(into: &scratch, indent: depth)
            out.append(scratch)
        } else {
            out.append("null")
        }
        close(depth: indent)
    }

    static func summaryJSON(_ summary: Report.Summary) -> JSONValue {
        .object([
            ("error", .number(Decimal(summary.error))), ("info", .number(Decimal(summary.info))),
            ("inputErrors", .number(Decimal(summary.inputErrors))), ("records", .number(Decimal(summary.records))),
            ("violations", .number(Decimal(summary.violations))), ("waived", .number(Decimal(summary.waived))),
            ("warning", .number(Decimal(summary.warning))),
        ])
    }

    static func sourceJSON(_ location: SourceLocation) -> JSONValue {
        .object([("column", .number(Decimal(location.column))), ("file", .string(location.file)),
                 ("line", .number(Decimal(location.line)))])
    }


    /// The contract's four fields, and where the waiver is written.
    static func waiverJSON(_ waiver: Waiver) -> JSONValue {
        .object([("approver", .string(waiver.approver)), ("document", .string(waiver.document)),
                 ("expires", .string(waiver.expires.description)), ("reason", .string(waiver.reason)),
                 ("source", sourceJSON(waiver.location))])
    }

    /// What waivers and a baseline did; the key is present only when either was used.
    static func gateJSON(_ gate: GateOutcome) -> JSONValue {
        func note(_ note: GateOutcome.WaiverNote) -> JSONValue {
            let waiver = note.waiver
            var fields: [(String, JSONValue)] = [
                ("expires", .string(waiver.expires.description)), ("matched", .number(Decimal(note.matched))),
                ("source", sourceJSON(waiver.location)),
            ]
            if let rule = waiver.rule { fields.append(("rule", .string(rule))) }
            if let record = waiver.record { fields.append(("record", .string(record))) }
            if let group = waiver.group { fields.append(("group", .object(group.map { ($0.name, .string($0.value)) }))) }
            return .object(fields)
        }
        var fields: [(String, JSONValue)] = []
        if let waivers = gate.waivers {
            fields.append(("waivers", .object([
                ("applied", .number(Decimal(waivers.applied))), ("expired", .array(waivers.expired.map(note))),
                ("file", .string(waivers.file)), ("unmatched", .array(waivers.unmatched.map(note))),
            ])))
        }
        if let baseline = gate.baseline {
            fields.append(("baseline", .object([
                ("file", baseline.file.map(JSONValue.string) ?? .null), ("fixed", .number(Decimal(baseline.fixed))),
                ("new", .number(Decimal(baseline.new))), ("unchanged", .number(Decimal(baseline.unchanged))),
            ])))
        }
        return .object(fields)
    }

    static func problemJSON(_ diagnostic: Diagnostic) -> JSONValue {
        var fields: [(String, JSONValue)] = [("code", .string(diagnostic.code.rawValue)), ("message", .string(diagnostic.message))]
        if let location = diagnostic.location {
            fields += [("column", .number(Decimal(location.column))), ("file", .string(location.file)),
                       ("line", .number(Decimal(location.line)))]
        }
        if let help = diagnostic.help { fields.append(("help", .string(help))) }
        return .object(fields)
    }

}

/// A value as JSON: decimals as numbers, dates as `"YYYY-MM-DD"`.
public enum JSONValue: Encodable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .date(let d): self = .string(d.description)
        case .list(let items): self = .array(items.map(JSONValue.init))
        case .map(let map):
            self = .object(map.pairs.map { pair in
                let key: String = if case .string(let s) = pair.key { s } else { pair.key.literalDescription }
                return (key, JSONValue(pair.value))
            })
        case .object(let object):
            self = .object(zip(object.shape.fieldNames, object.fields).filter { !$0.1.isNull }.map { ($0.0, JSONValue($0.1)) })
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Pretty-printed with sorted keys, two-space indentation and `" : "`, as Foundation's `JSONEncoder`
    /// writes with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes`, so both print the same bytes.
    func writePretty(into out: inout [UInt8], indent: Int) {
        func newline(_ depth: Int) { Self.newline(depth, into: &out) }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): ExactDecimal.append(n, to: &out)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            if items.isEmpty {
                out.append(0x0A)
                newline(indent)
            } else {
                for (index, item) in items.enumerated() {
                    if index > 0 { out.append(0x2C) }
                    newline(indent + 1)
                    item.writePretty(into: &out, indent: indent + 1)
                }
                newline(indent)
            }
            out.append(0x5D)
        case .object(let pairs):
            out.append(0x7B)
            if pairs.isEmpty {
                out.append(0x0A)
                newline(indent)
            } else {
                for (index, pair) in Self.inPrintOrder(pairs, key: \.0).enumerated() {
                    if index > 0 { out.append(0x2C) }
                    newline(indent + 1)
                    Self.writeString(pair.0, into: &out)
                    out.append(contentsOf: Self.keySeparator[1...])
                    pair.1.writePretty(into: &out, indent: indent + 1)
                }
                newline(indent)
            }
            out.append(0x7D)
        }
    }

    /// `": "` after a key's opening quote and text.
    static let keySeparator: [UInt8] = [0x22, 0x20, 0x3A, 0x20]
    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    /// A line break and the indentation of `depth`, copied from a run of spaces rather than appended one by one.
    @inline(__always)
    static func newline(_ depth: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        var count = depth * 2
        while count > 0 {
            let run = min(count, spaces.count)
            out.append(contentsOf: spaces[0..<run])
            count -= run
        }
    }

    /// An object's members in the order they print: by the bytes of their keys. Most objects (a rule's values
    /// among them) are built in that order already, and are returned as they are.
    static func inPrintOrder<Member>(_ members: [Member], key: (Member) -> String) -> [Member] {
        // Usually in order already (a finding's values are kept so): checked without gathering the keys.
        if members.indices.dropFirst().allSatisfy({ precedes(key(members[$0 - 1]), key(members[$0])) }) { return members }
        let keys = members.map(key)
        return keys.indices.sorted { precedes(keys[$0], keys[$1]) }.map { members[$0] }
    }

    /// Whether `a` sorts before `b` by their UTF-8 bytes, as keys are ordered: one `memcmp` where both are contiguous.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
        if let fast, let answer = fast { return answer }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        escape(s, whole: { out.append(contentsOf: $0) }, byte: { out.append($0) })
        out.append(0x22)
    }

    /// The inside of `s` as a JSON string: most strings need no escape and go to `whole` as they are; any other
    /// goes to `byte` a byte at a time, escapes written out.
    @inline(__always)
    static func escape(_ s: String, whole: (UnsafeBufferPointer<UInt8>) -> Void, byte: (UInt8) -> Void) {
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !containsEscape(bytes) else { return false }
            whole(bytes)
            return true
        }
        if copied == true { return }
        for next in s.utf8 {
            if needsEscape(next) { appendEscaped(next, byte) } else { byte(next) }
        }
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// Whether any byte `needsEscape`, eight bytes at a time: a control byte is one less than 0x20, a quote or
    /// backslash one that is zero once XORed with it (each test is exact for the word as a whole).
    static func containsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= raw.count {
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let control = (x &- ones &* 0x20) & ~x & highs
            let quote = x ^ (ones &* 0x22), backslash = x ^ (ones &* 0x5C)
            let quoteFound = (quote &- ones) & ~quote & highs, backslashFound = (backslash &- ones) & ~backslash & highs
            if control | quoteFound | backslashFound != 0 { return true }
            index += 8
        }
        while index < raw.count {
            if needsEscape(raw[index]) { return true }
            index += 1
        }
        return false
    }

    /// The escape of a byte `needsEscape` holds true for, as Foundation's encoder writes it.
    static func appendEscaped(_ byte: UInt8, _ emit: (UInt8) -> Void) {
        let escape: [UInt8] = switch byte {
        case 0x22: [0x5C, 0x22]
        case 0x5C: [0x5C, 0x5C]
        case 0x0A: [0x5C, 0x6E]
        case 0x0D: [0x5C, 0x72]
        case 0x09: [0x5C, 0x74]
        case 0x08: [0x5C, 0x62]
        case 0x0C: [0x5C, 0x66]
        default:
            [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
        }
        escape.forEach(emit)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let n):
            var c = encoder.singleValueContainer()
            try c.encode(n)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in pairs { try c.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
