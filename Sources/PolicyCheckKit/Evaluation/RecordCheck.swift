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
        var checked = Checked(evaluator: RecordEvaluator(pack: pack, language: language))
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        for input in inputs {
            switch input.text {
            case .failure(let diagnostic):
                errors.append(diagnostic)
            case .success(let text):
                let result = reader.read(text: text, file: input.file)
                for diagnostic in result.diagnostics {
                    if diagnostic.severity == .error { errors.append(diagnostic) } else { warnings.append(diagnostic) }
                }
                checked.evaluate(result.records)
            }
        }
        return report(of: checked, errors: errors, warnings: warnings, files: inputs.map(\.file))
    }

    /// The report of one JSON input read straight from its bytes, which need not be UTF-8; nil when the reader
    /// would have anything to say about them, and `run(_:)` must then be given their text.
    public func run(json bytes: UnsafeRawBufferPointer, file: String) -> Report? {
        let reader = DocumentRecordReader(schemas: pack.schemas, defaultType: defaultType, limits: pack.limits)
        guard let records = reader.directRecords(inJSON: bytes, file: file) else { return nil }
        var checked = Checked(evaluator: RecordEvaluator(pack: pack, language: language))
        checked.evaluate(records)
        return report(of: checked, errors: [], warnings: [], files: [file])
    }

    /// The records checked so far and their findings; each input's records are let go once evaluated.
    private struct Checked {
        let evaluator: RecordEvaluator
        var findings: [Finding] = []
        var records: [RecordReference] = []

        mutating func evaluate(_ batch: [Record]) {
            for record in batch {
                records.append(record.reference)
                findings += evaluator.evaluate(record)
            }
        }
    }

    private func report(of checked: Checked, errors: [Diagnostic], warnings: [Diagnostic], files: [String]) -> Report {
        var report = Report(toolVersion: PolicyCheckVersion.current, packID: pack.manifest.id,
                            document: pack.manifest.document.number, recordCount: checked.records.count,
                            findings: checked.findings, inputErrors: errors, inputWarnings: warnings)
        report.inputFiles = files
        report.checkedRecords = checked.records
        return report
    }
}
