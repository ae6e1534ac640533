/// Binds a located mapping to a record schema: canonical names and aliases to field slots,
/// values typed by the schema, required fields checked, defaults filled.
public struct RecordBinder: Sendable {
    public var decoder = ValueDecoder(strictness: .lenient)
    /// Rule examples are partial records: they skip the required-field check.
    public var checksRequiredFields = true

    public init(checksRequiredFields: Bool = true) {
        self.checksRequiredFields = checksRequiredFields
    }

    public func bind(_ node: LocatedNode, schema: RecordSchema, diagnostics: inout [Diagnostic]) -> Record? {
        let before = diagnostics.filter { $0.severity == .error }.count
        guard let object = decoder.decodeObject(node, schema: schema.object, what: "a `\(schema.name)` record",
                                                keyPaths: schema.keyPaths, diagnostics: &diagnostics) else { return nil }
        return record(from: object, schema: schema, at: node.location, errorsBefore: before, diagnostics: &diagnostics)
    }

    /// The record of an object already decoded against `schema`: defaults filled, required fields checked;
    /// nil when `diagnostics` holds more errors than `errorsBefore`.
    func record(from decoded: ObjectValue, schema: RecordSchema, at location: SourceLocation, errorsBefore before: Int,
                diagnostics: inout [Diagnostic]) -> Record? {
        var object = decoded
        applyDefaults(to: &object, fields: schema.object.fields, root: object)
        if checksRequiredFields {
            checkRequired(object, fields: schema.object.fields, prefix: "", schema: schema, at: location,
                          diagnostics: &diagnostics)
        }
        guard diagnostics.filter({ $0.severity == .error }).count == before else { return nil }
        let id: String = switch object["id"] {
        case .string(let text)?: text
        case .number(let n)?: ExactDecimal.description(of: n)
        default: ""
        }
        return Record(type: schema.name, id: id, value: object, location: location)
    }

    /// Fills the defaults of `fields` into the empty slots of `object`, `default_from` paths read in `root`;
    /// whether any slot changed. An object is written back only when it changed: the write copies its slots.
    @discardableResult
    func applyDefaults(to object: inout ObjectValue, fields: [FieldSchema], root: ObjectValue) -> Bool {
        var changed = false
        // Fields are read in place: copying a `FieldSchema` retains every string and list it holds.
        for index in fields.indices {
            if case .object(let nestedSchema) = fields[index].type {
                if case .object(var nested) = object.fields[index] {
                    if applyDefaults(to: &nested, fields: nestedSchema.fields, root: root) {
                        object.fields[index] = .object(nested)
                        changed = true
                    }
                } else if nestedSchema.fields.contains(where: { $0.defaultValue != nil }) {
                    var nested = ObjectValue(shape: nestedSchema.shape)
                    applyDefaults(to: &nested, fields: nestedSchema.fields, root: root)
                    object.fields[index] = .object(nested)
                    changed = true
                }
                continue
            }
            guard object.fields[index].isNull else { continue }
            if let value = fields[index].defaultValue {
                object.fields[index] = value
                changed = true
            } else if let path = fields[index].defaultFrom {
                let value = Self.value(at: path, in: root)
                if !value.isNull {
                    object.fields[index] = value
                    changed = true
                }
            }
        }
        return changed
    }

    static func value(at path: [String], in object: ObjectValue) -> Value {
        var current = Value.object(object)
        for name in path {
            guard case .object(let o) = current, let next = o[name] else { return .null }
            current = next
        }
        return current
    }

    private func checkRequired(_ object: ObjectValue, fields: [FieldSchema], prefix: String, schema: RecordSchema,
                               at location: SourceLocation, diagnostics: inout [Diagnostic]) {
        for index in fields.indices {
            let value = object.fields[index]
            if fields[index].required, value.isNull {
                let field = fields[index]
                let name = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
                let aliases = field.aliases.isEmpty ? "" : " (or \(field.aliases.map { "`\($0)`" }.joined(separator: ", ")))"
                diagnostics.append(.error(.missingField, "a `\(schema.name)` record needs the field `\(name)`\(aliases)",
                                          at: location))
            }
            if case .object(let nestedSchema) = fields[index].type, case .object(let nested) = value {
                let name = prefix.isEmpty ? fields[index].name : "\(prefix).\(fields[index].name)"
                checkRequired(nested, fields: nestedSchema.fields, prefix: name, schema: schema, at: location,
                              diagnostics: &diagnostics)
            }
        }
    }
}
