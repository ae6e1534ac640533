/// Checks the records of a set of YAML/JSON inputs against a compiled pack: the `check` job.
public struct RecordCheck: Sendable {
    public var pack: CompiledPack
    public var language: Language
    public var defaultType: String?

    public init(pack: CompiledPack, language: Language = .zh, defaultType: String? = nil) {
        self.pack = pack
        self.language = language
        self.defaultType = defaultType
    }

    /// One input: its display name and its text, or the problem that kept it from being read.
    public struct Input: Sendable {
        public var file: String
        public var text: Result<String, Diagnostic>

        public init(file: String, text: Result<String, Diagnostic>) {
            self.file = file
            self.text = text
        }
    }

    public func run(_ inputs: [Input]) -> Report {
        let reader = DocumentRecordReader(schemas: pack.schemas, defaultType: defaultType, limits: pack.limits)
        let evaluator = RecordEvaluator(pack: pack, language: language)
        var findings: [Finding] = []
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        var count = 0
        var checked: [RecordReference] = []
        for input in inputs {
            switch input.text {
            case .failure(let diagnostic):
                errors.append(diagnostic)
            case .success(let text):
                let result = reader.read(text: text, file: input.file)
                for diagnostic in result.diagnostics {
                    if diagnostic.severity == .error { errors.append(diagnostic) } else { warnings.append(diagnostic) }
                }
                for record in result.records {
                    count += 1
                    checked.append(RecordReference(id: record.id, type: record.type, location: record.location))
                    findings += evaluator.evaluate(record)
                }
            }
        }
        var report = Report(toolVersion: PolicyCheckVersion.current, packID: pack.manifest.id,
                            document: pack.manifest.document.number, recordCount: count, findings: findings,
                            inputErrors: errors, inputWarnings: warnings)
        report.inputFiles = inputs.map(\.file)
        report.checkedRecords = checked
        return report
    }
}
