import Foundation

/// A value of the expression language and of records.
///
/// Numbers are exact decimals: money is never a binary float. An absent record
/// field reads as `.null`.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case date(LocalDate)
    case list([Value])
    case map(MapValue)
    case object(ObjectValue)

    public static func number(_ value: Int) -> Value { .number(Decimal(value)) }

    /// The name of the value's type as the expression language spells it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .date: "date"
        case .list: "list"
        case .map: "map"
        case .object(let object): object.shape.name
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Equality as CEL defines it: by type, numbers by value, strings by code points
    /// (`é` and `e\u0301` differ, unlike Swift's canonical `String ==`).
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return ExactDecimal.compare(a, b) == 0
        case let (.string(a), .string(b)): return Value.sameScalars(a, b)
        case let (.date(a), .date(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    /// Code-point equality through the UTF-8 bytes (one `memcmp`), not Swift's canonical-equivalence `==`.
    @inline(__always)
    static func sameScalars(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return count == 0 }
                return memcmp(x, y, count) == 0
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.elementsEqual(b.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s):
            // By UTF-8 bytes, as `==` compares: String's own hash normalizes, which is slow for Chinese text.
            if s.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for byte in s.utf8 { hasher.combine(byte) }
            }
            hasher.combine(s.utf8.count)
        case .date(let d): hasher.combine(d)
        case .list(let items): hasher.combine(items)
        case .map(let map): hasher.combine(map)
        case .object(let object): hasher.combine(object)
        }
    }
}

/// A map with the insertion order of its keys kept, so iteration and output are deterministic.
public struct MapValue: Sendable, Hashable {
    public private(set) var keys: [Value]
    public private(set) var storage: [Value: Value]

    public init() {
        keys = []
        storage = [:]
    }

    public init(_ pairs: [(Value, Value)]) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: Value) -> Value? {
        get { storage[key] }
        set {
            if storage[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil, storage[key] != nil { keys.removeAll { $0 == key } }
            storage[key] = newValue
        }
    }

    public var count: Int { keys.count }

    public var pairs: [(key: Value, value: Value)] {
        keys.compactMap { key in storage[key].map { (key, $0) } }
    }

    public static func == (lhs: MapValue, rhs: MapValue) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

/// The field names, types and nested shapes of an object type (a record type or a nested group).
///
/// Compiled expressions address an object's fields by index into `ObjectValue.fields`;
/// names are kept only for messages and output.
public final class ObjectShape: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let fieldNames: [String]
    public let fieldTypes: [ValueType]
    private let indexByName: [String: Int]

    public init(name: String, fields: [(String, ValueType)]) {
        self.name = name
        fieldNames = fields.map(\.0)
        fieldTypes = fields.map(\.1)
        var index: [String: Int] = [:]
        for (offset, field) in fields.enumerated() { index[field.0] = offset }
        indexByName = index
    }

    public func index(of field: String) -> Int? { indexByName[field] }

    public var description: String { name }

    public static func == (lhs: ObjectShape, rhs: ObjectShape) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// An object: one slot per field of its shape, `.null` where the field is absent.
public struct ObjectValue: Sendable, Hashable {
    public let shape: ObjectShape
    public var fields: [Value]

    public init(shape: ObjectShape) {
        self.shape = shape
        fields = Array(repeating: .null, count: shape.fieldNames.count)
    }

    public init(shape: ObjectShape, fields: [Value]) {
        self.shape = shape
        self.fields = fields
    }

    public subscript(name: String) -> Value? {
        shape.index(of: name).map { fields[$0] }
    }
}
