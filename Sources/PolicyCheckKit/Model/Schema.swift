/// The declared type of a record field, a parameter or a reference-data table.
public indirect enum FieldType: Sendable, CustomStringConvertible {
    case bool
    case number
    case integer
    case string
    case date
    case any
    case list(FieldType)
    case map(FieldType)
    case object(ObjectSchema)

    /// The type the expression checker sees: integers are numbers, objects have a shape.
    public var valueType: ValueType {
        switch self {
        case .bool: .bool
        case .number, .integer: .number
        case .string: .string
        case .date: .date
        case .any: .dyn
        case .list(let element): .list(element.valueType)
        case .map(let value): .map(.string, value.valueType)
        case .object(let schema): .object(schema.shape)
        }
    }

    public var description: String {
        switch self {
        case .bool: "bool"
        case .number: "number"
        case .integer: "integer"
        case .string: "string"
        case .date: "date"
        case .any: "any"
        case .list(let element): "list(\(element))"
        case .map(let value): "map(string, \(value))"
        case .object: "object"
        }
    }
}

/// One field of a record type or of a nested group.
public struct FieldSchema: Sendable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var enumValues: [String]?
    public var aliases: [String]
    public var defaultValue: Value?
    public var defaultFrom: [String]?
    public var description: LocalizedText?
    public var location: SourceLocation

    public init(name: String, type: FieldType, required: Bool = false, enumValues: [String]? = nil,
                aliases: [String] = [], defaultValue: Value? = nil, defaultFrom: [String]? = nil,
                description: LocalizedText? = nil, location: SourceLocation) {
        self.name = name
        self.type = type
        self.required = required
        self.enumValues = enumValues
        self.aliases = aliases
        self.defaultValue = defaultValue
        self.defaultFrom = defaultFrom
        self.description = description
        self.location = location
    }
}

/// The fields of an object, with the shape compiled expressions index into.
public struct ObjectSchema: Sendable {
    public let fields: [FieldSchema]
    public let shape: ObjectShape

    public init(name: String, fields: [FieldSchema]) {
        self.fields = fields
        shape = ObjectShape(name: name, fields: fields.map { ($0.name, $0.type.valueType) })
    }
}

/// A record type: its fields and the names (aliases) real exports use for them.
public struct RecordSchema: Sendable {
    public let name: String
    public let title: LocalizedText
    public let object: ObjectSchema
    /// Every top-level key a record may use — canonical names and aliases — and the field path it fills.
    public let keyPaths: [String: [Int]]
    public let location: SourceLocation

    public init(name: String, title: LocalizedText, fields: [FieldSchema], location: SourceLocation) {
        self.name = name
        self.title = title
        self.location = location
        object = ObjectSchema(name: name, fields: fields)
        var keyPaths: [String: [Int]] = [:]
        func index(_ fields: [FieldSchema], prefix: [Int]) {
            for (offset, field) in fields.enumerated() {
                let path = prefix + [offset]
                for alias in field.aliases where keyPaths[alias] == nil { keyPaths[alias] = path }
                if case .object(let nested) = field.type { index(nested.fields, prefix: path) }
            }
        }
        index(fields, prefix: [])
        for (offset, field) in fields.enumerated() { keyPaths[field.name] = [offset] }
        self.keyPaths = keyPaths
    }

    public var shape: ObjectShape { object.shape }

    /// The dotted name of a field path (`deliberation.body`).
    public func pathName(_ path: [Int]) -> String {
        var names: [String] = []
        var fields = object.fields
        for index in path {
            let field = fields[index]
            names.append(field.name)
            if case .object(let nested) = field.type { fields = nested.fields }
        }
        return names.joined(separator: ".")
    }

    /// Every canonical dotted field name, for suggestions.
    public var allPathNames: [String] {
        var names: [String] = []
        func walk(_ fields: [FieldSchema], prefix: String) {
            for field in fields {
                let name = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
                names.append(name)
                if case .object(let nested) = field.type { walk(nested.fields, prefix: name) }
            }
        }
        walk(object.fields, prefix: "")
        return names
    }
}
