/// The static type of an expression or a field, as the type checker sees it.
///
/// `dyn` is any type, checked at run time (values bound with `--bind`, untyped
/// reference data). Absence is not a type: any field may be absent and then reads as null.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case dyn
    case null
    case bool
    case number
    case string
    case date
    case list(ValueType)
    case map(ValueType, ValueType)
    case object(ObjectShape)

    public var description: String {
        switch self {
        case .dyn: "dyn"
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .date: "date"
        case .list(let element): "list(\(element))"
        case .map(let key, let value): "map(\(key), \(value))"
        case .object(let shape): shape.name
        }
    }

    /// Whether a value of type `other` may stand where `self` is expected.
    public func accepts(_ other: ValueType) -> Bool {
        switch (self, other) {
        case (.dyn, _), (_, .dyn), (_, .null): return true
        case let (.list(a), .list(b)): return a.accepts(b)
        case let (.map(ka, va), .map(kb, vb)): return ka.accepts(kb) && va.accepts(vb)
        default: return self == other
        }
    }

    /// The type both may be seen as, for the arms of `?:` and list elements.
    public func joined(with other: ValueType) -> ValueType {
        if self == other { return self }
        if case .null = self { return other }
        if case .null = other { return self }
        if case let (.list(a), .list(b)) = (self, other) { return .list(a.joined(with: b)) }
        if case let (.map(ka, va), .map(kb, vb)) = (self, other) { return .map(ka.joined(with: kb), va.joined(with: vb)) }
        return .dyn
    }

    /// The type of the value as seen at run time (lists and maps as `dyn` containers).
    public static func of(_ value: Value) -> ValueType {
        switch value {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .date: .date
        case .list(let items):
            .list(items.dropFirst().reduce(items.first.map(ValueType.of) ?? .dyn) { $0.joined(with: .of($1)) })
        case .map(let map):
            .map(map.keys.dropFirst().reduce(map.keys.first.map(ValueType.of) ?? .dyn) { $0.joined(with: .of($1)) },
                 map.pairs.dropFirst().reduce(map.pairs.first.map { ValueType.of($0.value) } ?? .dyn) { $0.joined(with: .of($1.value)) })
        case .object(let object): .object(object.shape)
        }
    }
}
