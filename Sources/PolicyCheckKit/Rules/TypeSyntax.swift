/// Reads a type as packs write it: `number`, `list(string)`, `map(string, integer)`.
enum TypeSyntax {
    static let scalarTypes: [String: FieldType] = [
        "bool": .bool, "number": .number, "integer": .integer, "string": .string, "date": .date, "any": .any,
    ]

    /// Nil for a malformed type; `object` needs `fields`, so it is handled by the caller.
    static func parse(_ text: String, object: ObjectSchema? = nil) -> FieldType? {
        let compact = text.filter { $0 != " " }
        if compact == "object" { return object.map { .object($0) } }
        if let scalar = scalarTypes[compact] { return scalar }
        if compact.hasPrefix("list("), compact.hasSuffix(")") {
            return parse(String(compact.dropFirst(5).dropLast()), object: object).map { .list($0) }
        }
        if compact.hasPrefix("map(string,"), compact.hasSuffix(")") {
            return parse(String(compact.dropFirst(11).dropLast()), object: object).map { .map($0) }
        }
        return nil
    }

    static var help: String {
        "types are bool, number, integer, string, date, any, object, list(T) and map(string, T)"
    }
}
