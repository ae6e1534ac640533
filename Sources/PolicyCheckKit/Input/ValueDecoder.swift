/// Converts located YAML/JSON nodes into typed values, the type coming from the schema
/// and never from YAML's own guessing.
///
/// `strict` is for pack files (booleans only `true`/`false`, plain numbers); records accept
/// what clerks and exports write (是/否, `1,234.56`, `1.2万`, `2022年4月10日`, `座谈会、听证会`).
public struct ValueDecoder: Sendable {
    public enum Strictness: Sendable {
        case strict
        case lenient
    }

    public var strictness: Strictness
    /// Whether unknown keys of an object are errors (packs) or warnings (records).
    public var unknownKeysAreErrors: Bool

    public init(strictness: Strictness, unknownKeysAreErrors: Bool? = nil) {
        self.strictness = strictness
        self.unknownKeysAreErrors = unknownKeysAreErrors ?? (strictness == .strict)
    }

    static let trueWords: Set<String> = ["true", "是", "有", "Y", "y", "√", "✓", "✔"]
    static let falseWords: Set<String> = ["false", "否", "无", "N", "n", "×", "✗", "✘"]

    /// The value of `node` as `type`, or nil with the problem appended to `diagnostics`.
    /// `what` names the value in a message; it is built only when there is a problem to report.
    public func decode(_ node: LocatedNode, as type: FieldType, what: @autoclosure () -> String, enumValues: [String]? = nil,
                       diagnostics: inout [Diagnostic]) -> Value? {
        if node.isNull { return .null }
        switch type {
        case .list(let element):
            let items: [LocatedNode]
            switch node {
            case .sequence(let nodes, _): items = nodes
            case .scalar(let scalar) where strictness == .lenient:
                items = Self.splitList(scalar.text).map { .scalar(LocatedScalar(text: $0, style: .quoted, location: scalar.location)) }
            default:
                diagnostics.append(.error(.fieldType, "expected a list for \(what()), found \(node.kindDescription)", at: node.location))
                return nil
            }
            var values: [Value] = []
            var failed = false
            for item in items {
                if let value = decode(item, as: element, what: "an item of \(what())", enumValues: enumValues,
                                      diagnostics: &diagnostics) {
                    values.append(value)
                } else {
                    failed = true
                }
            }
            return failed ? nil : .list(values)
        case .map(let valueType):
            guard case .mapping(let pairs, _) = node else {
                diagnostics.append(.error(.fieldType, "expected a mapping for \(what()), found \(node.kindDescription)", at: node.location))
                return nil
            }
            var map = MapValue()
            var failed = false
            for pair in pairs {
                if let value = decode(pair.value, as: valueType, what: "`\(pair.key.text)` of \(what())", diagnostics: &diagnostics) {
                    map[.string(pair.key.text)] = value
                } else {
                    failed = true
                }
            }
            return failed ? nil : .map(map)
        case .object(let schema):
            return decodeObject(node, schema: schema, what: what(), keyPaths: nil, diagnostics: &diagnostics)
                .map { .object($0) }
        case .any:
            return decodeAny(node)
        case .bool, .number, .integer, .string, .date:
            guard case .scalar(let scalar) = node else {
                diagnostics.append(.error(.fieldType, "expected \(article(type)) for \(what()), found \(node.kindDescription)",
                                          at: node.location))
                return nil
            }
            return decodeScalar(scalar, as: type, what: what(), enumValues: enumValues, diagnostics: &diagnostics)
        }
    }

    func decodeScalar(_ scalar: LocatedScalar, as type: FieldType, what: @autoclosure () -> String, enumValues: [String]?,
                      diagnostics: inout [Diagnostic]) -> Value? {
        let text = scalar.text
        switch type {
        case .bool:
            if strictness == .strict {
                if scalar.style == .plain, text == "true" { return .bool(true) }
                if scalar.style == .plain, text == "false" { return .bool(false) }
            } else {
                let word = text.hasEdgeSpace ? String(text.trimmingSpaces()) : text
                // The words JSON and most exports write, before the sets pay for hashing.
                if word == "true" { return .bool(true) }
                if word == "false" { return .bool(false) }
                if Self.trueWords.contains(word) { return .bool(true) }
                if Self.falseWords.contains(word) { return .bool(false) }
            }
            diagnostics.append(.error(.fieldType, "expected \(strictness == .strict ? "`true` or `false`" : "`true`/`false` or `是`/`否`") for \(what()), found `\(text.abbreviated)`",
                                      at: scalar.location))
            return nil
        case .number, .integer:
            let number = strictness == .strict ? NumberParser.plain(text) : NumberParser.amount(text)
            guard let number else {
                diagnostics.append(.error(.fieldType, "expected a number for \(what()), found `\(text.abbreviated)`", at: scalar.location))
                return nil
            }
            if case .integer = type, Operators.truncated(number) != number {
                diagnostics.append(.error(.fieldType, "expected a whole number for \(what()), found `\(text.abbreviated)`",
                                          at: scalar.location))
                return nil
            }
            return .number(number)
        case .date:
            let fast = text.utf8.withContiguousStorageIfAvailable { LocalDate.parse(bytes: UnsafeRawBufferPointer($0)) } ?? nil
            guard let date = fast ?? LocalDate(parsing: text) else {
                diagnostics.append(.error(.fieldType, "expected a date such as `2022-04-10`, `2022/4/10` or `2022年4月10日` for \(what()), found `\(text.abbreviated)`",
                                          at: scalar.location))
                return nil
            }
            return .date(date)
        default:
            let value = strictness == .lenient && text.hasEdgeSpace ? String(text.trimmingSpaces()) : text
            // Byte-equal strings are equal; only a value spelled otherwise pays for Unicode-aware comparison.
            if let enumValues, !enumValues.contains(where: { Value.sameScalars($0, value) }), !enumValues.contains(value) {
                diagnostics.append(.error(.notInEnum, "`\(value.abbreviated)` is not one of the values allowed for \(what())",
                                          at: scalar.location,
                                          help: Suggestion.help(for: value, in: enumValues)
                                              ?? "expected one of: \(enumValues.joined(separator: ", "))"))
                return nil
            }
            return .string(value)
        }
    }

    /// An object's fields by name (and, for records, by alias through `keyPaths`).
    func decodeObject(_ node: LocatedNode, schema: ObjectSchema, what: @autoclosure () -> String, keyPaths: [String: [Int]]?,
                      diagnostics: inout [Diagnostic]) -> ObjectValue? {
        guard case .mapping(let pairs, _) = node else {
            diagnostics.append(.error(.fieldType, "expected a mapping for \(what()), found \(node.kindDescription)", at: node.location))
            return nil
        }
        var object = ObjectValue(shape: schema.shape)
        var failed = false
        for pair in pairs {
            let key = pair.key.text
            if keyPaths != nil, key == "type" || key == "类型" { continue }
            let path: [Int]
            if let keyPaths, let found = keyPaths[key] {
                path = found
            } else if let index = schema.shape.index(of: key) {
                path = [index]
            } else if let index = schema.fields.firstIndex(where: { $0.aliases.contains(key) }) {
                path = [index]
            } else {
                let candidates = schema.fields.map(\.name) + (keyPaths.map { Array($0.keys) } ?? [])
                let message = "unknown field `\(key)` in \(what())"
                diagnostics.append(Diagnostic(unknownKeysAreErrors ? .error : .warning, .unknownRecordField, message,
                                              at: pair.key.location, help: Suggestion.help(for: key, in: candidates)))
                if unknownKeysAreErrors { failed = true }
                continue
            }
            if !assign(pair.value, at: path[...], into: &object, schema: schema, what: what(), diagnostics: &diagnostics) {
                failed = true
            }
        }
        return failed ? nil : object
    }

    private func assign(_ node: LocatedNode, at path: ArraySlice<Int>, into object: inout ObjectValue, schema: ObjectSchema,
                        what: @autoclosure () -> String, diagnostics: inout [Diagnostic]) -> Bool {
        guard let index = path.first else { return false }
        // The field is read in place: copying a `FieldSchema` retains every string and list it holds.
        let rest = path.dropFirst()
        if rest.isEmpty {
            guard let value = decode(node, as: schema.fields[index].type, what: "`\(schema.fields[index].name)`",
                                     enumValues: schema.fields[index].enumValues,
                                     diagnostics: &diagnostics) else { return false }
            if case .object(let incoming) = value, case .object(var existing) = object.fields[index] {
                for (slot, fieldValue) in incoming.fields.enumerated() where !fieldValue.isNull {
                    existing.fields[slot] = fieldValue
                }
                object.fields[index] = .object(existing)
            } else {
                object.fields[index] = value
            }
            return true
        }
        guard case .object(let nestedSchema) = schema.fields[index].type else { return false }
        var nested: ObjectValue
        if case .object(let existing) = object.fields[index] { nested = existing } else { nested = ObjectValue(shape: nestedSchema.shape) }
        let ok = assign(node, at: rest, into: &nested, schema: nestedSchema, what: what(), diagnostics: &diagnostics)
        object.fields[index] = .object(nested)
        return ok
    }

    /// A value typed by how it is written: plain `true`/`false`, plain numbers, everything else a string.
    public func decodeAny(_ node: LocatedNode) -> Value {
        switch node {
        case .scalar(let scalar):
            if scalar.isNull { return .null }
            if scalar.style == .plain {
                if scalar.text == "true" { return .bool(true) }
                if scalar.text == "false" { return .bool(false) }
                if let number = NumberParser.plain(scalar.text) { return .number(number) }
            }
            return .string(scalar.text)
        case .sequence(let items, _):
            return .list(items.map(decodeAny))
        case .mapping(let pairs, _):
            return .map(MapValue(pairs.map { (.string($0.key.text), decodeAny($0.value)) }))
        }
    }

    /// `座谈会、听证会` or `座谈会;听证会` as a list.
    static func splitList(_ text: String) -> [String] {
        text.split(whereSeparator: { "、,，;；|".contains($0) }).map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty }
    }

    private func article(_ type: FieldType) -> String {
        switch type {
        case .bool: "`true` or `false`"
        case .integer: "a whole number"
        case .date: "a date"
        default: "a \(type)"
        }
    }
}
