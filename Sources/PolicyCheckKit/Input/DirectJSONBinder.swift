import Foundation

/// Binds the records of a JSON text straight from its bytes into their schemas' slots, without the tree of
/// located nodes that `JSONParser` builds so that every message can say where.
///
/// It reads only what the general path — `JSONParser`, `DocumentRecordReader`, `ValueDecoder`,
/// `RecordBinder` — reads without a word, and gives up (nil) at anything else: a syntax error, an unknown
/// or repeated key, a value that does not fit its field, a missing required field, two keys for one field,
/// a `map` or `any` field. The general path then reads the text again and reports what it finds. So when it
/// returns records, they are the ones the general path returns, with no diagnostic beside them.
struct DirectJSONBinder {
    var schemas: [String: RecordSchema]
    var defaultType: String?
    /// The name locations give the file, as `JSONParser` gives it.
    var file: String
    /// Nesting beyond this gives up; the general path applies its own limit.
    var maxDepth: Int
    var binder = RecordBinder()

    /// The records of JSON `bytes` (one record, or a list of them) as they arrived, or nil when the general path
    /// must read them. The bytes need not be UTF-8: a string that is not gives up, so the text is checked only
    /// where it becomes strings, and never made into one string whole.
    /// - Complexity: O(n) in the bytes.
    func records(in bytes: UnsafeRawBufferPointer) -> [Record]? {
        var scanner = Scanner(bytes: bytes, maxDepth: min(maxDepth, 64))
        var records: [Record] = []
        scanner.skipSpace()
        switch scanner.current {
        case UInt8(ascii: "{"):
            guard let record = record(&scanner) else { return nil }
            records.append(record)
        case UInt8(ascii: "["):
            guard scanner.enter() else { return nil }
            repeat {
                scanner.skipSpace()
                guard scanner.current == UInt8(ascii: "{"), let record = record(&scanner) else { return nil }
                records.append(record)
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "]")) else { return nil }
            scanner.leave()
        default:
            return nil
        }
        scanner.skipSpace()
        return scanner.index == scanner.bytes.count ? records : nil
    }

    /// One record from the object at the scanner. Its type comes from its first `type` or `类型` key, which
    /// may follow other fields: those are passed over, and read once the type is known.
    private func record(_ scanner: inout Scanner) -> Record? {
        let start = scanner.index
        guard scanner.enter(), !scanner.take(UInt8(ascii: "}")) else { return nil }
        var passed: [(start: Int, end: Int)] = []
        var typeKeys = TypeKeys()
        var schema: RecordSchema?
        repeat {
            scanner.skipSpace()
            let member = scanner.index
            guard let key = scanner.key(), scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipSpace()
            if let english = isTypeKey(key, scanner) {
                guard typeKeys.insert(english: english), scanner.current == UInt8(ascii: "\""), let name = scanner.string(),
                      let found = schemas[name] else { return nil }
                schema = found
                break
            }
            guard scanner.pass() else { return nil }
            passed.append((member, scanner.index))
        } while scanner.take(UInt8(ascii: ","))
        let object: ObjectValue?
        if let schema {
            object = members(of: schema, passed: passed, typeKeys: typeKeys, scanner: &scanner)
        } else if let defaultType, let found = schemas[defaultType] {
            schema = found
            object = members(of: found, passed: passed, typeKeys: typeKeys, scanner: &scanner)
        } else {
            return nil
        }
        guard let schema, let object, scanner.take(UInt8(ascii: "}")) else { return nil }
        scanner.leave()
        var diagnostics: [Diagnostic] = []
        guard let record = binder.record(from: object, schema: schema, at: scanner.location(of: start, file: file),
                                         errorsBefore: 0, diagnostics: &diagnostics),
              diagnostics.isEmpty else { return nil }
        return record
    }

    /// The record's fields: those passed over, then the rest of the object up to its closing brace.
    private func members(of schema: RecordSchema, passed: [(start: Int, end: Int)], typeKeys: TypeKeys,
                         scanner: inout Scanner) -> ObjectValue? {
        var object = ObjectValue(shape: schema.shape)
        var filled = SlotSet()
        var cursor = 0
        let resume = scanner.index
        for member in passed {
            scanner.index = member.start
            guard let key = scanner.key(), scanner.take(UInt8(ascii: ":")),
                  field(key, of: schema, into: &object, filled: &filled, cursor: &cursor, scanner: &scanner),
                  scanner.index == member.end else { return nil }
        }
        scanner.index = resume
        var typeKeys = typeKeys
        while scanner.take(UInt8(ascii: ",")) {
            scanner.skipSpace()
            guard let key = scanner.key(), scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipSpace()
            if let english = isTypeKey(key, scanner) {
                // The general path refuses a repeated key, and reads past the other language's type key unused.
                guard typeKeys.insert(english: english), scanner.current != UInt8(ascii: "{"), scanner.current != UInt8(ascii: "["),
                      scanner.current == UInt8(ascii: "\"") ? scanner.string() != nil : scanner.literal() != nil else { return nil }
                continue
            }
            guard field(key, of: schema, into: &object, filled: &filled, cursor: &cursor, scanner: &scanner) else { return nil }
        }
        return object
    }

    /// Whether a top-level key names the record's type, and in which language; nil for any other key.
    private func isTypeKey(_ key: Key, _ scanner: Scanner) -> Bool? {
        switch key {
        case .bytes(let range):
            let bytes = UnsafeRawBufferPointer(rebasing: scanner.bytes[range])
            if Self.spells(bytes, "type") { return true }
            if Self.spells(bytes, "类型") { return false }
            // A key that starts with an ASCII character is no form of `类型`: only a non-ASCII one is compared.
            guard let first = bytes.first, first >= 0x80 else { return nil }
            return scanner.text(range) == "类型" ? false : nil
        case .text(let text):
            if text == "type" { return true }
            return text == "类型" ? false : nil
        }
    }

    /// The value at the scanner put in the slot `key` names, found as `ValueDecoder.decodeObject` finds it
    /// with the record's key paths.
    private func field(_ key: Key, of schema: RecordSchema, into object: inout ObjectValue, filled: inout SlotSet,
                       cursor: inout Int, scanner: inout Scanner) -> Bool {
        // Two keys for one top-level field (a repeated key, or an alias beside its group) are left to the general path.
        if let slot = Self.slot(named: key, in: schema.shape.fieldNames, from: cursor, scanner: scanner) {
            // A canonical name is its own key path.
            cursor = slot + 1
            return filled.insert(slot) && assign(slot, into: &object, schema: schema.object, scanner: &scanner)
        }
        // `keyPaths` holds every field's name and alias: a key it lacks is left to the general path.
        guard let text = key.text(in: scanner), let path = schema.keyPaths[text], let first = path.first,
              filled.insert(first) else { return false }
        return assign(path[...], into: &object, schema: schema.object, scanner: &scanner)
    }

    /// The field whose name is spelled as `key`'s bytes, looked for from `cursor` on: producers write fields in
    /// one order, most often the schema's, so the next name is usually the one.
    private static func slot(named key: Key, in names: [String], from cursor: Int, scanner: Scanner) -> Int? {
        guard case .bytes(let range) = key, !names.isEmpty else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: scanner.bytes[range])
        for step in 0..<names.count {
            let index = (cursor + step) % names.count
            if sameBytes(names[index], bytes) { return index }
        }
        return nil
    }

    /// Whether `text` is spelled with exactly `bytes`.
    private static func sameBytes(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard text.utf8.count == count else { return false }
        let same = text.utf8.withContiguousStorageIfAvailable { utf8 in
            guard let x = utf8.baseAddress, let y = bytes.baseAddress else { return count == 0 }
            return memcmp(x, y, count) == 0
        }
        return same ?? text.utf8.elementsEqual(bytes)
    }

    /// Whether `bytes` are exactly `word`'s.
    static func spells(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { utf8 in
            guard utf8.count == bytes.count else { return false }
            for index in 0..<utf8.count where utf8[index] != bytes[index] { return false }
            return true
        }
    }

    /// The value at the scanner in slot `index` of `object`.
    private func assign(_ index: Int, into object: inout ObjectValue, schema: ObjectSchema, scanner: inout Scanner) -> Bool {
        guard let value = value(as: schema.fields[index].type, enumValues: schema.fields[index].enumValues,
                                scanner: &scanner) else { return false }
        object.fields[index] = value
        return true
    }

    /// The value at the scanner at the end of `path`, in groups made for it.
    private func assign(_ path: ArraySlice<Int>, into object: inout ObjectValue, schema: ObjectSchema,
                        scanner: inout Scanner) -> Bool {
        guard let index = path.first else { return false }
        let rest = path.dropFirst()
        if rest.isEmpty { return assign(index, into: &object, schema: schema, scanner: &scanner) }
        guard case .object(let nestedSchema) = schema.fields[index].type else { return false }
        var nested = ObjectValue(shape: nestedSchema.shape)
        guard assign(rest, into: &nested, schema: nestedSchema, scanner: &scanner) else { return false }
        object.fields[index] = .object(nested)
        return true
    }

    /// The value at the scanner as `type`, as `ValueDecoder.decode` makes it.
    private func value(as type: FieldType, enumValues: [String]?, scanner: inout Scanner) -> Value? {
        scanner.skipSpace()
        switch scanner.current {
        case UInt8(ascii: "{"):
            guard case .object(let schema) = type, let object = object(schema, scanner: &scanner) else { return nil }
            return .object(object)
        case UInt8(ascii: "["):
            guard case .list(let element) = type, scanner.enter() else { return nil }
            var items: [Value] = []
            if !scanner.take(UInt8(ascii: "]")) {
                repeat {
                    guard let item = value(as: element, enumValues: enumValues, scanner: &scanner) else { return nil }
                    items.append(item)
                } while scanner.take(UInt8(ascii: ","))
                guard scanner.take(UInt8(ascii: "]")) else { return nil }
            }
            scanner.leave()
            return .list(items)
        case UInt8(ascii: "\""):
            // A date is read from the bytes when its spelling is a common one, as `decodeScalar` reads it first.
            if case .date = type {
                let start = scanner.index
                if let range = scanner.plainString(), let date = LocalDate.parse(bytes: UnsafeRawBufferPointer(rebasing: scanner.bytes[range])) {
                    return .date(date)
                }
                scanner.index = start
            }
            guard let text = scanner.string() else { return nil }
            return scalar(LocatedScalar(text: text, style: .quoted, location: Self.nowhere), as: type, enumValues: enumValues)
        case nil:
            return nil
        default:
            switch scanner.literal() {
            case nil: return nil
            case .null: return .null
            case .true where type.isBool: return .bool(true)
            case .false where type.isBool: return .bool(false)
            case let word?:
                return scalar(LocatedScalar(text: word.text, style: .plain, location: Self.nowhere), as: type, enumValues: enumValues)
            }
        }
    }

    /// A nested object, its keys found by name or alias as `ValueDecoder.decodeObject` finds them without key paths.
    private func object(_ schema: ObjectSchema, scanner: inout Scanner) -> ObjectValue? {
        guard scanner.enter() else { return nil }
        var object = ObjectValue(shape: schema.shape)
        if scanner.take(UInt8(ascii: "}")) {
            scanner.leave()
            return object
        }
        var filled = SlotSet()
        var cursor = 0
        repeat {
            scanner.skipSpace()
            guard let key = scanner.key(), scanner.take(UInt8(ascii: ":")) else { return nil }
            let index: Int
            if let slot = Self.slot(named: key, in: schema.shape.fieldNames, from: cursor, scanner: scanner) {
                index = slot
            } else {
                guard let text = key.text(in: scanner),
                      let found = schema.shape.index(of: text) ?? schema.fields.firstIndex(where: { $0.aliases.contains(text) })
                else { return nil }
                index = found
            }
            cursor = index + 1
            guard filled.insert(index), assign(index, into: &object, schema: schema, scanner: &scanner) else { return nil }
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")) else { return nil }
        scanner.leave()
        return object
    }

    /// Locations are only for messages, and a value with something to say is left to the general path.
    private static let nowhere = SourceLocation(file: "", line: 0, column: 0)

    /// A scalar as `type`, through `ValueDecoder.decodeScalar`; a list from one scalar is split as the lenient decoder splits it.
    private func scalar(_ scalar: LocatedScalar, as type: FieldType, enumValues: [String]?) -> Value? {
        if scalar.isNull { return .null }
        switch type {
        case .bool, .number, .integer, .string, .date:
            var diagnostics: [Diagnostic] = []
            guard let value = binder.decoder.decodeScalar(scalar, as: type, what: "", enumValues: enumValues, diagnostics: &diagnostics),
                  diagnostics.isEmpty else { return nil }
            return value
        case .list(let element):
            guard binder.decoder.strictness == .lenient else { return nil }
            var items: [Value] = []
            for text in ValueDecoder.splitList(scalar.text) {
                guard let item = self.scalar(LocatedScalar(text: text, style: .quoted, location: scalar.location), as: element,
                                             enumValues: enumValues) else { return nil }
                items.append(item)
            }
            return .list(items)
        case .any, .map, .object:
            return nil
        }
    }
}

/// Which type keys a record has used: each may appear once.
private struct TypeKeys {
    private var english = false
    private var chinese = false

    /// False when the key was already used.
    mutating func insert(english isEnglish: Bool) -> Bool {
        if isEnglish {
            defer { english = true }
            return !english
        }
        defer { chinese = true }
        return !chinese
    }
}

/// The slots of one object that have been given a value.
private struct SlotSet {
    private var low: UInt64 = 0
    private var high: [Int] = []

    /// False when `slot` was already in the set.
    mutating func insert(_ slot: Int) -> Bool {
        if slot < 64 {
            let bit: UInt64 = 1 << UInt64(slot)
            defer { low |= bit }
            return low & bit == 0
        }
        if high.contains(slot) { return false }
        high.append(slot)
        return true
    }
}

/// A key as written: its bytes between the quotes, or its text when it holds an escape.
private enum Key {
    case bytes(Range<Int>)
    case text(String)

    /// Its text, or nil when its bytes are not UTF-8.
    func text(in scanner: Scanner) -> String? {
        switch self {
        case .bytes(let range): scanner.text(range)
        case .text(let text): text
        }
    }
}

/// A JSON word: `true`, `false`, `null` or a number.
private enum Literal: Equatable {
    case `true`
    case `false`
    case null
    case number(String)

    var text: String {
        switch self {
        case .true: "true"
        case .false: "false"
        case .null: "null"
        case .number(let text): text
        }
    }
}

private extension FieldType {
    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }
}

/// The bytes of a JSON text and a position in them, with the checks `JSONParser` makes.
private struct Scanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    var depth = 0
    let maxDepth: Int

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D, 0x0A: index += 1
            default: return
            }
        }
    }

    /// Past `byte` after any space, or false with the position after the space.
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Into the object or list at the scanner, within the nesting limit.
    mutating func enter() -> Bool {
        depth += 1
        index += 1
        return depth <= maxDepth
    }

    mutating func leave() {
        depth -= 1
    }

    /// A key: its bytes when it has no escape, else its decoded text; nil for a string `JSONParser` refuses.
    mutating func key() -> Key? {
        if let range = plainString() { return .bytes(range) }
        return string().map(Key.text)
    }

    /// The bytes between the quotes of the string at the scanner, when it holds no escape; otherwise nil, and
    /// the scanner stays where it was.
    mutating func plainString() -> Range<Int>? {
        guard current == UInt8(ascii: "\""), let base = bytes.baseAddress else { return nil }
        let start = base + index + 1
        // The closing quote, then no backslash or control character before it: whole-buffer scans the
        // C library does several bytes at a time, rather than three tests a byte.
        guard let quote = memchr(start, Int32(UInt8(ascii: "\"")), bytes.count - index - 1) else { return nil }
        let count = start.distance(to: UnsafeRawPointer(quote))
        guard memchr(start, Int32(UInt8(ascii: "\\")), count) == nil else { return nil }
        var lowest: UInt8 = 0xFF
        for byte in UnsafeRawBufferPointer(start: start, count: count) { lowest = min(lowest, byte) }
        guard lowest >= 0x20 else { return nil }
        let range = (index + 1)..<(index + 1 + count)
        index = range.upperBound + 1
        return range
    }

    /// The text of the bytes in `range`, or nil when they are not UTF-8.
    func text(_ range: Range<Int>) -> String? {
        UTF8Check.string(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// The string at the scanner with its escapes decoded, or nil for one `JSONParser` refuses.
    mutating func string() -> String? {
        if let range = plainString() { return text(range) }
        guard current == UInt8(ascii: "\""), let (text, end) = JSONParser.string(in: bytes, at: index) else { return nil }
        index = end
        return text
    }

    /// `true`, `false`, `null` or a number; nil for any other word.
    mutating func literal() -> Literal? {
        let start = index
        while index < bytes.count, !JSONParser.endsWord(bytes[index]) { index += 1 }
        let word = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        if DirectJSONBinder.spells(word, "true") { return .true }
        if DirectJSONBinder.spells(word, "false") { return .false }
        if DirectJSONBinder.spells(word, "null") { return .null }
        let text = String(decoding: word, as: UTF8.self)
        return JSONParser.isNumber(text) ? .number(text) : nil
    }

    /// Moves past one value by its brackets and quotes alone, without reading it: it is read, and so
    /// checked, from the same place later.
    mutating func pass() -> Bool {
        skipSpace()
        var open = 0
        repeat {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard open > 0 else { return false }
                open -= 1
                index += 1
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return false }
                index += 1
            default:
                if open == 0 {
                    let start = index
                    while index < bytes.count, !JSONParser.endsWord(bytes[index]) { index += 1 }
                    return index > start
                }
                index += 1
            }
        } while open > 0
        return true
    }

    /// Position counted so far, for `location(of:file:)`: records come in order, so counting resumes here
    /// (a file of records on one line would otherwise count its columns again for every record).
    private var counted = (offset: 0, line: 1, column: 1)

    /// Where the byte at `offset` is, as `JSONParser` counts: lines by line feeds, columns by Unicode scalars.
    mutating func location(of offset: Int, file: String) -> SourceLocation {
        if offset < counted.offset { counted = (0, 1, 1) }
        for i in counted.offset..<offset {
            if bytes[i] == 0x0A {
                counted.line += 1
                counted.column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                counted.column += 1
            }
        }
        counted.offset = offset
        return SourceLocation(file: file, line: counted.line, column: counted.column)
    }
}
