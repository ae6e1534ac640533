/// A rule pack compiled once and shared by every evaluation: immutable and `Sendable`.
public struct CompiledPack: Sendable {
    public let directory: String
    public let manifest: PackManifest
    public let schemas: [String: RecordSchema]
    public let rules: [CompiledRule]
    public let tests: [CompiledTestCase]
    public let calendar: WorkingDayCalendar?
    public let data: [String: PlanningEnvironment.Constant]
    /// Parameter values in force (defaults with overrides applied).
    public let parameters: [String: Value]
    /// Text of every pack file, for rendering diagnostics and the handbook.
    public let sources: [String: String]
    private let rulesBySchema: [String: [CompiledRule]]

    init(directory: String, manifest: PackManifest, schemas: [String: RecordSchema], rules: [CompiledRule],
         tests: [CompiledTestCase], calendar: WorkingDayCalendar?, data: [String: PlanningEnvironment.Constant],
         parameters: [String: Value], sources: [String: String]) {
        self.directory = directory
        self.manifest = manifest
        self.schemas = schemas
        self.rules = rules
        self.tests = tests
        self.calendar = calendar
        self.data = data
        self.parameters = parameters
        self.sources = sources
        var bySchema: [String: [CompiledRule]] = [:]
        for rule in rules where rule.enabled { bySchema[rule.appliesTo, default: []].append(rule) }
        rulesBySchema = bySchema
    }

    public func rule(_ id: String) -> CompiledRule? { rules.first { $0.id == id } }

    /// The enabled rules that apply to records of `type`, planned once when the pack compiles.
    public func rules(for type: String) -> [CompiledRule] {
        rulesBySchema[type] ?? []
    }

    public func clause(_ number: String) -> Clause? { manifest.clauses.first { $0.number == number } }
}
