/// Reads records from YAML or JSON text: one record, a list of records, or several YAML documents.
///
/// A record's type comes from its `type` key, or from `defaultType` (`--type`). A record that
/// does not fit its schema becomes input errors; the others are still returned.
public struct DocumentRecordReader: Sendable {
    public var schemas: [String: RecordSchema]
    public var defaultType: String?
    public var limits: ResourceLimits

    public init(schemas: [String: RecordSchema], defaultType: String? = nil, limits: ResourceLimits = ResourceLimits()) {
        self.schemas = schemas
        self.defaultType = defaultType
        self.limits = limits
    }

    public struct Result: Sendable {
        public var records: [Record] = []
        public var diagnostics: [Diagnostic] = []
    }

    public func read(text: String, file: String) -> Result {
        // Most JSON records need no message, and so need no located nodes to be read.
        var text = text
        if file.lowercased().hasSuffix(".json"), let records = text.withUTF8({ directRecords(inJSON: UnsafeRawBufferPointer($0), file: file) }) {
            return Result(records: records)
        }
        return readNodes(text: text, file: file)
    }

    /// The records of a JSON file read straight from its bytes, which need not be UTF-8; nil when `read(text:file:)`
    /// would report anything about them.
    func directRecords(inJSON bytes: UnsafeRawBufferPointer, file: String) -> [Record]? {
        DirectJSONBinder(schemas: schemas, defaultType: defaultType, file: file, maxDepth: limits.jsonDepth).records(in: bytes)
    }

    /// `read(text:file:)` through located nodes, which every message needs.
    func readNodes(text: String, file: String) -> Result {
        var result = Result()
        let start = SourceLocation(file: file, line: 1, column: 1)
        if text.trimmingSpaces().isEmpty {
            result.diagnostics.append(.error(.emptyFile, "`\(file)` is empty; expected a record or a list of records", at: start))
            return result
        }
        let documents: [LocatedNode]
        // A JSON file is read as strict JSON (YAML would accept `{"id": }`), with every value's location.
        let source: Swift.Result<[LocatedNode], Diagnostic> = file.lowercased().hasSuffix(".json")
            ? Array(text.utf8).withUnsafeBytes { bytes in
                JSONParser.parse(bytes, file: file, line: 1, maxDepth: limits.jsonDepth).map { [$0] }
            }
            : YAMLSource(file: file, text: text, limits: limits.yaml).documents()
        switch source {
        case .failure(let diagnostic):
            var diagnostic = diagnostic
            if file.hasSuffix(".json") && diagnostic.code == .yamlSyntax { diagnostic.code = .jsonSyntax }
            result.diagnostics.append(diagnostic)
            return result
        case .success(let nodes):
            documents = nodes.filter { !$0.isNull }
        }
        if documents.isEmpty {
            result.diagnostics.append(.error(.emptyFile, "`\(file)` holds no records", at: start))
        }
        for document in documents {
            switch document {
            case .sequence(let items, _):
                for item in items { bind(item, into: &result) }
            default:
                bind(document, into: &result)
            }
        }
        return result
    }

    private func bind(_ node: LocatedNode, into result: inout Result) {
        if let record = bind(node, diagnostics: &result.diagnostics) { result.records.append(record) }
    }

    /// One record from a mapping, its type from `type`, `类型` or the default type.
    func bind(_ node: LocatedNode, diagnostics: inout [Diagnostic]) -> Record? {
        var result = Result()
        defer { diagnostics += result.diagnostics }
        guard case .mapping(let pairs, let location) = node else {
            result.diagnostics.append(.error(.wrongKind, "expected a record (a mapping of fields), found \(node.kindDescription)",
                                             at: node.location))
            return nil
        }
        let typeNode = pairs.first { $0.key.text == "type" || $0.key.text == "类型" }
        let typeName: String
        if let typeNode {
            guard case .scalar(let scalar) = typeNode.value, !scalar.isNull else {
                result.diagnostics.append(.error(.wrongKind, "`type` must name a record type", at: typeNode.value.location))
                return nil
            }
            typeName = scalar.text
        } else if let defaultType {
            typeName = defaultType
        } else {
            result.diagnostics.append(.error(.unknownRecordType, "the record has no `type`", at: location,
                                             help: "add `type: \(schemas.keys.sorted().first ?? "decision")` or pass --type; types: \(schemas.keys.sorted().joined(separator: ", "))"))
            return nil
        }
        guard let schema = schemas[typeName] else {
            result.diagnostics.append(.error(.unknownRecordType, "unknown record type `\(typeName)`",
                                             at: typeNode?.value.location ?? location,
                                             help: Suggestion.help(for: typeName, in: schemas.keys)
                                                 ?? "types: \(schemas.keys.sorted().joined(separator: ", "))"))
            return nil
        }
        return RecordBinder().bind(node, schema: schema, diagnostics: &result.diagnostics)
    }
}
