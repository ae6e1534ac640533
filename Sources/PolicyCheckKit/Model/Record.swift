/// A record read from an input file, bound to its schema.
public struct Record: Sendable {
    public var type: String
    public var id: String
    public var value: ObjectValue
    /// Where the record starts: its mapping in YAML/JSON, its row in CSV.
    public var location: SourceLocation

    public init(type: String, id: String, value: ObjectValue, location: SourceLocation) {
        self.type = type
        self.id = id
        self.value = value
        self.location = location
    }

    /// What a finding says of the record it is about.
    public var reference: RecordReference { RecordReference(id: id, type: type, location: location) }
}
