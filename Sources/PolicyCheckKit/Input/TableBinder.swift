import Foundation

/// Binds the rows of a table (CSV, XLSX) to a record schema through its header: each column is
/// matched once to a field path by name or alias, with its unit (`金额（万元）` scales by 10000).
/// Unknown columns are reported once, not per row.
public struct TableBinder: Sendable {
    /// A class, not a struct: one reference is taken per cell, not one per field of the column.
    final class Column: Sendable {
        /// How a cell of the column is read, decided once from its type: `type` is an indirect enum, and
        /// switching on it per cell loaded its box.
        enum CellKind: UInt8 {
            case number, date, bool, checkOnly, enumerated, text
        }

        let kind: CellKind
        let isInteger: Bool
        let header: String
        let path: [Int]
        /// The record slot of a top-level field: most columns, assigned without walking a path.
        let slot: Int?
        let type: FieldType
        let enumValues: Set<String>?
        /// The allowed values' UTF-8 bytes with their one shared `String`: a row's value is matched by bytes and
        /// the schema's string is reused, so no string is made per row for an enumerated field.
        let enumBytes: [(bytes: [UInt8], value: String)]?
        let scale: Decimal?
        /// Whether the value is kept in the record: a column no rule reads is checked and dropped.
        let stored: Bool
        /// The strings this column has made, in a worker's copy of the binder (see `StringInterner`).
        let interner: StringInterner?

        init(header: String, path: [Int], type: FieldType, enumValues: Set<String>?,
             enumBytes: [(bytes: [UInt8], value: String)]?, scale: Decimal?, checkOnly: Bool, stored: Bool,
             interner: StringInterner? = nil) {
            self.stored = stored
            self.interner = interner
            self.header = header
            self.path = path
            slot = path.count == 1 ? path[0] : nil
            self.type = type
            self.enumValues = enumValues
            self.enumBytes = enumBytes
            self.scale = scale
            isInteger = if case .integer = type { true } else { false }
            kind = switch type {
            case .number, .integer: .number
            case .date: .date
            case .bool: .bool
            case .string where checkOnly: .checkOnly
            case .string where enumBytes != nil: .enumerated
            default: .text
            }
        }
    }

    public let schema: RecordSchema
    private(set) var columns: [Column?]
    let file: String
    /// Required fields, as (dotted name, path); checked on every row.
    let required: [(name: String, path: [Int])]
    /// Each required field's record slot when it is top-level, so a row's check walks no path.
    let requiredSlots: [Int?]
    let idColumn: Int?
    /// The record's `id` field, found once rather than by name per row.
    let idSlot: Int?
    /// Defaults of top-level fields, found once; nil when nested fields have defaults (then the general binder applies them).
    /// The yes/no ones apart (most are: a thing not recorded did not happen), written without copying a `Value`.
    let topLevelDefaults: (bools: [(slot: Int, value: Bool)], others: [(slot: Int, value: Value)])?
    let topLevelDefaultsFrom: [(slot: Int, path: [String])]?

    /// Diagnostics about the header itself: unknown columns (warnings), required fields with no column (errors).
    public let headerDiagnostics: [Diagnostic]

    /// Picks the schema whose names and aliases match most of the header, unless `type` names one.
    public static func schema(for header: [String], schemas: [String: RecordSchema], type: String?,
                              file: String) -> Result<RecordSchema, Diagnostic> {
        let location = SourceLocation(file: file, line: 1, column: 1)
        if let type {
            guard let schema = schemas[type] else {
                return .failure(.error(.unknownRecordType, "unknown record type `\(type)`", at: location,
                                       help: Suggestion.help(for: type, in: schemas.keys)))
            }
            return .success(schema)
        }
        var scored: [(schema: RecordSchema, matched: Int)] = []
        for schema in schemas.values {
            let matched = header.filter { match($0, in: schema) != nil }.count
            scored.append((schema, matched))
        }
        scored.sort { a, b in a.matched != b.matched ? a.matched > b.matched : a.schema.name < b.schema.name }
        guard let best = scored.first, best.matched * 2 >= header.count, best.matched > 0 else {
            return .failure(.error(.unknownRecordType, "the header matches no record type", at: location,
                                   help: "name the type with --type; types: \(schemas.keys.sorted().joined(separator: ", "))"))
        }
        if scored.count > 1, scored[1].matched == best.matched {
            return .failure(.error(.unknownRecordType,
                                   "the header matches `\(best.schema.name)` and `\(scored[1].schema.name)` equally well",
                                   at: location, help: "name the type with --type"))
        }
        return .success(best.schema)
    }

    /// A copy with column objects and strings of its own. Binding takes a reference to a column per cell
    /// and to an enumerated value's string per match; workers sharing one binder would make those counts
    /// bounce between cores, which costs more than the binding around them.
    func copyForWorker() -> TableBinder {
        var copy = self
        copy.columns = columns.map { column in
            column.map { column in
                // Built from bytes, a string longer than the inline 15 bytes gets storage of its own.
                let fresh = { (text: String) in String(decoding: Array(text.utf8), as: UTF8.self) }
                // Free text kept in the record: strings read from the cells (lists and `any` are made otherwise).
                let isKeptText: Bool = if case .string = column.type { column.kind == .text && column.stored } else { false }
                return Column(header: fresh(column.header), path: column.path.map { $0 }, type: column.type,
                              enumValues: column.enumValues,
                              enumBytes: column.enumBytes?.map { ($0.bytes.map { $0 }, fresh($0.value)) },
                              scale: column.scale, checkOnly: column.kind == .checkOnly, stored: column.stored,
                              interner: isKeptText ? StringInterner() : nil)
            }
        }
        return copy
    }

    /// The field path and unit scale of a header cell, or nil.
    static func match(_ header: String, in schema: RecordSchema) -> (path: [Int], scale: Decimal?)? {
        let name = String(header.trimmingSpaces())
        if let path = schema.keyPaths[name] { return (path, nil) }
        // `金额（万元）`, `金额(元)`: the name without its unit, scaled to 元.
        for (open, close) in [("（", "）"), ("(", ")")] where name.hasSuffix(close) {
            guard let openRange = name.range(of: open, options: .backwards) else { continue }
            let bare = String(name[..<openRange.lowerBound].trimmingSpaces())
            let unit = String(name[openRange.upperBound...].dropLast())
            guard let path = schema.keyPaths[bare] else { continue }
            switch unit {
            case "万元": return (path, 10_000)
            case "元": return (path, nil)
            case "亿元": return (path, 100_000_000)
            default: return (path, nil)
            }
        }
        return nil
    }

    /// `fieldsRead`: the top-level fields rules read; other free-text columns are validated but not kept. Nil keeps all.
    public init(header: [String], schema: RecordSchema, file: String, fieldsRead: Set<String>? = nil) {
        self.schema = schema
        self.file = file
        var columns: [Column?] = []
        var diagnostics: [Diagnostic] = []
        var unknown: [(Int, String)] = []
        var filled = Set<[Int]>()
        for (index, cell) in header.enumerated() {
            guard let match = Self.match(cell, in: schema), let field = Self.field(at: match.path, in: schema) else {
                columns.append(nil)
                if !cell.trimmingSpaces().isEmpty { unknown.append((index, cell)) }
                continue
            }
            filled.insert(match.path)
            let scalarEnum: Bool = if case .string = field.type { true } else { false }
            let topLevel = schema.object.fields[match.path[0]].name
            let kept = fieldsRead.map { Self.keptFields(schema, reading: $0).contains(topLevel) } ?? true
            columns.append(Column(header: cell, path: match.path, type: field.type,
                                  enumValues: field.enumValues.map(Set.init),
                                  enumBytes: scalarEnum ? field.enumValues.map { $0.map { (Array($0.utf8), $0) } } : nil,
                                  scale: match.scale,
                                  checkOnly: scalarEnum && field.enumValues == nil && !kept, stored: kept))
        }
        for (index, cell) in unknown {
            diagnostics.append(.warning(.unknownRecordField, "column \(index + 1) `\(cell)` matches no field of `\(schema.name)`; it is ignored",
                                        at: SourceLocation(file: file, line: 1, column: index + 1),
                                        help: Suggestion.help(for: cell, in: schema.keyPaths.keys)))
        }
        var required: [(String, [Int])] = []
        func collect(_ fields: [FieldSchema], prefix: [Int], name: String) {
            for (offset, field) in fields.enumerated() {
                let path = prefix + [offset]
                let dotted = name.isEmpty ? field.name : "\(name).\(field.name)"
                if field.required, field.defaultValue == nil, field.defaultFrom == nil {
                    required.append((dotted, path))
                    if !filled.contains(path), !filled.contains(where: { $0.starts(with: path) }) {
                        diagnostics.append(.error(.missingField, "no column for the required field `\(dotted)`",
                                                  at: SourceLocation(file: file, line: 1, column: 1),
                                                  help: field.aliases.isEmpty ? nil : "columns it may be called: \(field.aliases.joined(separator: ", "))"))
                    }
                }
                if case .object(let nested) = field.type { collect(nested.fields, prefix: path, name: dotted) }
            }
        }
        collect(schema.object.fields, prefix: [], name: "")
        self.columns = columns
        self.required = required
        requiredSlots = required.map { $0.1.count == 1 ? $0.1[0] : nil }
        let idSlot = schema.shape.index(of: "id")
        self.idSlot = idSlot
        idColumn = columns.firstIndex { $0?.path == idSlot.map { [$0] } }
        headerDiagnostics = diagnostics
        let fields = schema.object.fields
        let nestedDefaults = fields.contains { field in
            if case .object(let nested) = field.type { return nested.fields.contains { $0.defaultValue != nil || $0.defaultFrom != nil } }
            return false
        }
        if nestedDefaults {
            topLevelDefaults = nil
        } else {
            let all = fields.indices.compactMap { index in fields[index].defaultValue.map { (slot: index, value: $0) } }
            topLevelDefaults = (all.compactMap { entry in if case .bool(let value) = entry.value { (entry.slot, value) } else { nil } },
                                all.filter { if case .bool = $0.value { false } else { true } })
        }
        topLevelDefaultsFrom = nestedDefaults ? nil : fields.indices.compactMap { index in
            fields[index].defaultFrom.map { (index, $0) }
        }
    }

    /// The fields a record must keep: those rules read, the fields their defaults come from, and required ones.
    static func keptFields(_ schema: RecordSchema, reading: Set<String>) -> Set<String> {
        var kept = reading
        for field in schema.object.fields {
            if field.required { kept.insert(field.name) }
            if reading.contains(field.name), let source = field.defaultFrom?.first { kept.insert(source) }
        }
        return kept
    }

    static func field(at path: [Int], in schema: RecordSchema) -> FieldSchema? {
        var fields = schema.object.fields
        var field: FieldSchema?
        for index in path {
            guard fields.indices.contains(index) else { return nil }
            field = fields[index]
            if case .object(let nested)? = field?.type { fields = nested.fields }
        }
        return field
    }

    public var hasErrors: Bool { headerDiagnostics.containsErrors }

    /// A record from one row's cells; problems go to `diagnostics` with the row and column.
    /// - Complexity: O(cells); numbers and dates are read from bytes, strings made only for text fields.
    func bind(row: Int, cells: UnsafeRawBufferPointer, fields: [CSVScanner.FieldRange],
              diagnostics: inout [Diagnostic]) -> Record? {
        var storage: [Value] = []
        return bind(row: row, cells: cells, fields: fields[...], fieldCount: fields.count, storage: &storage,
                    diagnostics: &diagnostics)
    }

    /// The same from a row's non-empty fields with their columns (empty ones may be among them) and its number of
    /// fields, filling `storage` — the fields of a record made earlier and no longer held elsewhere — instead
    /// of allocating a row's slots; it is left empty, and the caller may hand back the new record's fields.
    func bind(row: Int, cells: UnsafeRawBufferPointer, fields: ArraySlice<CSVScanner.FieldRange>, fieldCount: Int,
              storage: inout [Value], diagnostics: inout [Diagnostic]) -> Record? {
        if fieldCount > columns.count {
            diagnostics.append(.error(.fieldType, "row has \(fieldCount) fields, the header \(columns.count)",
                                      at: SourceLocation(file: file, line: row, column: columns.count + 1),
                                      help: "a comma inside a value needs the value in double quotes"))
            return nil
        }
        var object: ObjectValue
        if storage.count == schema.shape.fieldNames.count {
            // Only the slots the last row filled need clearing; done in place when the storage is not shared.
            storage.withUnsafeMutableBufferPointer { slots in
                guard let base = slots.baseAddress else { return }
                for slot in slots.indices {
                    switch slots[slot] {
                    case .null: continue
                    // Nothing to release: the slot is overwritten without destroying its value.
                    case .bool, .number, .date: (base + slot).initialize(to: .null)
                    default: slots[slot] = .null
                    }
                }
            }
            object = ObjectValue(shape: schema.shape, fields: storage)
            storage = []
        } else {
            object = ObjectValue(shape: schema.shape)
        }
        var failed = false
        // Values of nested fields, assigned once the row's top-level slots are no longer being written.
        var nested: [(value: Value, path: [Int])] = []
        // Slots are written through one buffer: an assignment to the array per cell checked its uniqueness each time.
        object.fields.withUnsafeMutableBufferPointer { slots in
            fields.withUnsafeBufferPointer { fields in
                for field in fields {
                    guard field.end > field.start, let column = columns[field.column] else { continue }
                    guard let value = cell(field, column: column, at: field.column, row: row, cells: cells,
                                           diagnostics: &diagnostics) else {
                        failed = true
                        continue
                    }
                    if value.isNull || !column.stored { continue }
                    if let slot = column.slot {
                        slots[slot] = value
                    } else {
                        nested.append((value, column.path))
                    }
                }
            }
        }
        for (value, path) in nested { Self.assign(value, at: path[...], in: &object, schema: schema.object) }
        if failed { return nil }
        return finish(&object, row: row, diagnostics: &diagnostics)
    }

    /// One non-empty cell's value (null for a column only checked), or nil with the problem in `diagnostics`.
    @inline(__always)
    private func cell(_ field: CSVScanner.FieldRange, column: Column, at index: Int, row: Int, cells: UnsafeRawBufferPointer,
                      diagnostics: inout [Diagnostic]) -> Value? {
        let value: Value?
        switch column.kind {
        case .number:
            value = Self.number(cells, field, column: column)
        case .date:
            value = Self.date(cells, field)
        case .bool where !field.isQuoted:
            value = Self.bool(cells, Self.trimmed(cells, field))
        case .checkOnly:
            if UTF8Check.isValid(UnsafeRawBufferPointer(rebasing: cells[field.start..<field.end])) { return .null }
            diagnostics.append(invalidUTF8(.encoding, column: column, at: index, row: row))
            return nil
        case .enumerated:
            let range = Self.trimmed(cells, field)
            if range.start == range.end { return .null }
            let bytes = UnsafeRawBufferPointer(rebasing: cells[range.start..<range.end])
            value = column.enumBytes?.first { Self.same($0.bytes, bytes) }.map { .string($0.value) }
        case .bool, .text:
            let range = Self.trimmed(cells, field)
            // A quoted cell may hold doubled quotes, so only bare cells are looked up by their bytes.
            let interner = field.isQuoted ? nil : column.interner
            let bytes = UnsafeRawBufferPointer(rebasing: cells[range.start..<range.end])
            if let known = interner?.string(for: bytes) { return .string(known) }
            guard let text = CSVScanner.string(cells, range) else {
                diagnostics.append(invalidUTF8(.fieldType, column: column, at: index, row: row))
                return nil
            }
            value = Self.scalar(text, column: column)
            if let interner, case .string(let made)? = value { interner.remember(bytes, as: made) }
        }
        guard let value else {
            let text = CSVScanner.string(cells, field) ?? "?"
            diagnostics.append(.error(.fieldType,
                                      "column \(index + 1) `\(column.header)`: \(Self.expectation(column)), found `\(text.abbreviated)`",
                                      at: SourceLocation(file: file, line: row, column: index + 1),
                                      help: column.enumValues.flatMap { Suggestion.help(for: text, in: $0) }))
            return nil
        }
        return value
    }

    private func invalidUTF8(_ code: DiagnosticCode, column: Column, at index: Int, row: Int) -> Diagnostic {
        .error(code, "invalid UTF-8 in column \(index + 1) `\(column.header)`",
               at: SourceLocation(file: file, line: row, column: index + 1),
               help: "the file may be GB18030: pass --encoding gb18030")
    }

    /// The same for cells already decoded as text (XLSX).
    func bind(row: Int, cells: [String], diagnostics: inout [Diagnostic]) -> Record? {
        var bytes: [UInt8] = []
        var fields: [CSVScanner.FieldRange] = []
        for cell in cells {
            let start = bytes.count
            bytes.append(contentsOf: cell.utf8)
            fields.append(CSVScanner.FieldRange(start: start, end: bytes.count, isQuoted: false, column: fields.count))
        }
        return bytes.withUnsafeBytes { bind(row: row, cells: $0, fields: fields, diagnostics: &diagnostics) }
    }

    /// In place: a copy of the object here would copy every field of the row.
    private func finish(_ object: inout ObjectValue, row: Int, diagnostics: inout [Diagnostic]) -> Record? {
        if let defaults = topLevelDefaults, let derived = topLevelDefaultsFrom {
            object.fields.withUnsafeMutableBufferPointer { slots in
                for (slot, value) in defaults.bools where slots[slot].isNull { slots[slot] = .bool(value) }
                for (slot, value) in defaults.others where slots[slot].isNull { slots[slot] = value }
            }
            for (slot, path) in derived where object.fields[slot].isNull {
                object.fields[slot] = RecordBinder.value(at: path, in: object)
            }
        } else {
            RecordBinder().applyDefaults(to: &object, fields: schema.object.fields, root: object)
        }
        var missing = false
        for index in requiredSlots.indices {
            let present = if let slot = requiredSlots[index] { !object.fields[slot].isNull }
                else { !Self.value(at: required[index].path[...], in: object).isNull }
            if present { continue }
            let (name, path) = required[index]
            let column = columns.firstIndex { $0?.path == path }.map { $0 + 1 } ?? 1
            diagnostics.append(.error(.missingField, "the required field `\(name)` is empty",
                                      at: SourceLocation(file: file, line: row, column: column)))
            missing = true
        }
        if missing { return nil }
        let id: String = switch idSlot.map({ object.fields[$0] }) {
        case .string(let text)?: text
        case .number(let n)?: ExactDecimal.description(of: n)
        default: "row \(row)"
        }
        return Record(type: schema.name, id: id, value: object, location: SourceLocation(file: file, line: row, column: 1))
    }

    static func value(at path: ArraySlice<Int>, in object: ObjectValue) -> Value {
        guard let first = path.first else { return .null }
        let value = object.fields[first]
        if path.count == 1 { return value }
        guard case .object(let nested) = value else { return .null }
        return Self.value(at: path.dropFirst(), in: nested)
    }

    static func assign(_ value: Value, at path: ArraySlice<Int>, in object: inout ObjectValue, schema: ObjectSchema) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object.fields[first] = value
            return
        }
        guard case .object(let nestedSchema) = schema.fields[first].type else { return }
        var nested: ObjectValue
        if case .object(let existing) = object.fields[first] { nested = existing } else { nested = ObjectValue(shape: nestedSchema.shape) }
        assign(value, at: path.dropFirst(), in: &nested, schema: nestedSchema)
        object.fields[first] = .object(nested)
    }

    private static func expectation(_ column: Column) -> String {
        switch column.type {
        case .number: "expected a number such as `1234.56`, `1,234.56` or `1.2万`"
        case .integer: "expected a whole number"
        case .date: "expected a date such as `2022-04-10`, `2022/4/10` or `2022年4月10日`"
        case .bool: "expected `是`/`否` or `true`/`false`"
        default: column.enumValues.map { "expected one of \($0.sorted().joined(separator: ", "))" } ?? "unexpected value"
        }
    }

    /// The field without ASCII spaces and tabs around it (other white space is trimmed when a string is made).
    static func trimmed(_ bytes: UnsafeRawBufferPointer, _ field: CSVScanner.FieldRange) -> CSVScanner.FieldRange {
        var start = field.start, end = field.end
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return CSVScanner.FieldRange(start: start, end: end, isQuoted: field.isQuoted, column: field.column)
    }

    /// The words for true and false, each packed with its length into one integer (all are 7 bytes or fewer),
    /// so a cell is matched by integer comparisons.
    static let boolWords: [(packed: UInt64, value: Bool)] =
        ValueDecoder.trueWords.compactMap { word in packed(Array(word.utf8)).map { ($0, true) } }
        + ValueDecoder.falseWords.compactMap { word in packed(Array(word.utf8)).map { ($0, false) } }

    /// Up to 7 bytes and their count in one integer; nil for longer words.
    static func packed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var packed = UInt64(bytes.count) << 56
        for (offset, byte) in bytes.enumerated() { packed |= UInt64(byte) << (offset * 8) }
        return packed
    }

    static func bool(_ bytes: UnsafeRawBufferPointer, _ field: CSVScanner.FieldRange) -> Value? {
        if field.start == field.end { return .null }
        guard let word = packed(UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])) else { return nil }
        for entry in boolWords where entry.packed == word { return .bool(entry.value) }
        return nil
    }

    /// Whether `word` holds exactly `bytes`: lengths first, then `memcmp` (a generic `elementsEqual` stepped
    /// through both by iterator).
    @inline(__always)
    static func same(_ bytes: [UInt8], _ word: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == word.count else { return false }
        guard let base = word.baseAddress else { return true }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress!, base, word.count) == 0 }
    }

    /// Plain ASCII decimals are read straight from bytes; anything else (`¥`, `万`, commas) goes through `NumberParser`.
    static func number(_ bytes: UnsafeRawBufferPointer, _ field: CSVScanner.FieldRange, column: Column) -> Value? {
        var significand: UInt64 = 0
        var digits = 0
        var fraction = 0
        var negative = false
        var sawPoint = false
        var plain = true
        var index = field.start
        if index < field.end, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        while index < field.end {
            let byte = bytes[index]
            if byte >= 48, byte <= 57 {
                if digits >= 18 { plain = false; break }
                significand = significand * 10 + UInt64(byte - 48)
                digits += 1
                if sawPoint { fraction += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                plain = false
                break
            }
            index += 1
        }
        var result: Decimal
        if plain, digits > 0 {
            result = ExactDecimal.decimal(negative: negative, significand: significand, exponent: -fraction)
        } else {
            let range = trimmed(bytes, field)
            if range.start == range.end { return .null }
            if let parsed = NumberParser.amount(bytes: UnsafeRawBufferPointer(rebasing: bytes[range.start..<range.end])) {
                result = parsed
            } else {
                guard let text = CSVScanner.string(bytes, field), let parsed = NumberParser.amount(text) else { return nil }
                result = parsed
            }
        }
        if let scale = column.scale { result = ExactDecimal.product(result, scale) }
        // Digits without a point are a whole number already; anything else is checked.
        if column.isInteger, !(plain && digits > 0 && !sawPoint && column.scale == nil), Operators.truncated(result) != result { return nil }
        return .number(result)
    }

    static func date(_ bytes: UnsafeRawBufferPointer, _ field: CSVScanner.FieldRange) -> Value? {
        let range = trimmed(bytes, field)
        if range.start == range.end { return .null }
        if let date = LocalDate.parse(bytes: UnsafeRawBufferPointer(rebasing: bytes[range.start..<range.end])) {
            return .date(date)
        }
        guard let text = CSVScanner.string(bytes, field) else { return nil }
        if text.trimmingSpaces().isEmpty { return .null }
        return LocalDate(parsing: text).map(Value.date)
    }

    static func scalar(_ text: String, column: Column) -> Value? {
        // ASCII spaces are already gone; other white space (a full-width space, a line break) is rare: trim only then.
        let trimmed = text.hasEdgeSpace ? String(text.trimmingSpaces()) : text
        if trimmed.isEmpty { return .null }
        switch column.type {
        case .bool:
            if ValueDecoder.trueWords.contains(trimmed) { return .bool(true) }
            if ValueDecoder.falseWords.contains(trimmed) { return .bool(false) }
            return nil
        case .list(let element):
            let items = ValueDecoder.splitList(trimmed)
            if let enumValues = column.enumValues, items.contains(where: { !enumValues.contains($0) }) { return nil }
            if case .string = element { return .list(items.map(Value.string)) }
            return .list(items.compactMap { NumberParser.amount($0).map(Value.number) })
        case .any:
            return .string(trimmed)
        default:
            if let enumValues = column.enumValues, !enumValues.contains(trimmed) { return nil }
            return .string(trimmed)
        }
    }
}
