/// The result of loading a pack: the compiled pack when there were no errors, and every diagnostic.
public struct PackCompilation: Sendable {
    public var pack: CompiledPack?
    public var diagnostics: [Diagnostic]
    /// The text of every file read, for rendering diagnostics with their source lines.
    public var sources: [String: String]
}

/// Compiles a pack folder in named stages — load, parameters, reference data, schemas, rules,
/// examples, tests — collecting every problem. A pack with errors evaluates nothing.
public struct PackCompiler {
    public struct Options: Sendable {
        /// Parameter values that replace the pack's defaults (from `.policycheck.yml`), checked against their types.
        public var parameterOverrides: [(name: Located<String>, value: LocatedNode)]
        /// Reference data that replaces or adds `data.NAME`.
        public var dataOverrides: [(name: Located<String>, value: LocatedNode)]
        /// Rules turned on beyond those enabled in the pack (optional rules).
        public var enabledRules: Set<String>
        /// The parameter profile to apply before `parameterOverrides`; nil keeps the defaults.
        public var profile: Located<String>?
        public var maxDiagnostics: Int
        /// Bounds on reading the pack's files and on evaluating its rules; the compiled pack keeps them.
        public var limits: ResourceLimits

        public init(parameterOverrides: [(name: Located<String>, value: LocatedNode)] = [],
                    dataOverrides: [(name: Located<String>, value: LocatedNode)] = [],
                    enabledRules: Set<String> = [], profile: Located<String>? = nil, maxDiagnostics: Int = 200,
                    limits: ResourceLimits = ResourceLimits()) {
            self.limits = limits
            self.profile = profile
            self.parameterOverrides = parameterOverrides
            self.dataOverrides = dataOverrides
            self.enabledRules = enabledRules
            self.maxDiagnostics = maxDiagnostics
        }
    }

    public static func compile(directory: String, options: Options = Options()) -> PackCompilation {
        var loader = PackLoader(directory: directory, limits: options.limits)
        let syntax = loader.load()
        var compiler = PackCompiler(syntax: syntax, options: options)
        compiler.diagnostics = loader.diagnostics
        let pack = compiler.run()
        var diagnostics = compiler.diagnostics.sortedByLocation()
        if diagnostics.count > options.maxDiagnostics {
            let more = diagnostics.count - options.maxDiagnostics
            diagnostics = Array(diagnostics.prefix(options.maxDiagnostics))
            diagnostics.append(.error("too-many-errors", "\(more) more problems not shown", at: nil))
        }
        return PackCompilation(pack: diagnostics.containsErrors ? nil : pack, diagnostics: diagnostics, sources: syntax.sources)
    }

    private let syntax: PackSyntax
    private let options: Options
    private var diagnostics: [Diagnostic] = []

    private init(syntax: PackSyntax, options: Options) {
        self.syntax = syntax
        self.options = options
    }

    private mutating func run() -> CompiledPack? {
        guard let manifest = syntax.manifest else { return nil }
        let parameters = parameterStage(manifest)
        let (calendar, data) = dataStage()
        var schemas: [String: RecordSchema] = [:]
        for schema in syntax.schemas { schemas[schema.name] = schema }
        let environment = PlanningEnvironment(
            parameters: Dictionary(uniqueKeysWithValues: manifest.parameters.map {
                ($0.name, PlanningEnvironment.Constant(type: $0.type.valueType, value: parameters[$0.name] ?? .null))
            }),
            data: data, calendar: calendar, limits: options.limits)
        let (rules, aggregateRules) = ruleStage(manifest: manifest, schemas: schemas, environment: environment)
        let tests = testStage(rules: rules, aggregateRules: aggregateRules, schemas: schemas)
        return CompiledPack(directory: syntax.directory, manifest: manifest, schemas: schemas, rules: rules,
                            aggregateRules: aggregateRules, tests: tests, calendar: calendar, data: data,
                            parameters: parameters, profile: options.profile?.value, sources: syntax.sources,
                            limits: options.limits)
    }

    // MARK: - Stages

    private mutating func parameterStage(_ manifest: PackManifest) -> [String: Value] {
        var values: [String: Value] = [:]
        for parameter in manifest.parameters { values[parameter.name] = parameter.value }
        var overrides = options.parameterOverrides
        if let wanted = options.profile {
            if let profile = manifest.profiles.first(where: { $0.name == wanted.value }) {
                overrides = profile.parameters + overrides
            } else {
                let onCommandLine = wanted.location.file.hasPrefix("--")
                diagnostics.append(.error(.unknownName, "the pack has no profile `\(wanted.value)`",
                                          at: onCommandLine ? nil : wanted.location,
                                          help: Suggestion.help(for: wanted.value, in: manifest.profiles.map(\.name))
                                              ?? "profiles: \(manifest.profiles.map(\.name).joined(separator: ", "))"))
            }
        }
        for (name, node) in overrides {
            guard let definition = manifest.parameters.first(where: { $0.name == name.value }) else {
                diagnostics.append(.error(.unknownParameter, "the pack has no parameter `\(name.value)`", at: name.location,
                                          help: Suggestion.help(for: name.value, in: manifest.parameters.map(\.name))))
                continue
            }
            if node.isNull {
                values[name.value] = .null  // a profile may leave a figure not configured
                continue
            }
            var valueNode = node
            if case .mapping(let pairs, _) = node, pairs.contains(where: { $0.key.text == "unit" }),
               let mapping = StrictMapping(node, what: "the override of `\(name.value)`", allowed: ["value", "unit"],
                                           required: ["value", "unit"], diagnostics: &diagnostics) {
                if let unit = mapping.string("unit", diagnostics: &diagnostics), unit.value != definition.unit {
                    diagnostics.append(.error(.invalidValue,
                                              "`\(name.value)` is measured in \(definition.unit), not `\(unit.value)`",
                                              at: unit.location))
                    continue
                }
                valueNode = mapping["value"] ?? node
            }
            var problems: [Diagnostic] = []
            if let value = ValueDecoder(strictness: .strict).decode(valueNode, as: definition.type,
                                                                    what: "parameter `\(name.value)` (\(definition.type))",
                                                                    diagnostics: &problems), problems.isEmpty {
                values[name.value] = value
            }
            diagnostics += problems
        }
        return values
    }

    private mutating func dataStage() -> (WorkingDayCalendar?, [String: PlanningEnvironment.Constant]) {
        var calendar: WorkingDayCalendar?
        var tables: [String: PlanningEnvironment.Constant] = [:]
        var types: [String: FieldType] = [:]
        for item in syntax.data {
            switch item.content {
            case let .calendar(firstYear, lastYear, holidays, workdays):
                guard firstYear <= lastYear, lastYear - firstYear < 200 else {
                    diagnostics.append(.error(.invalidValue, "calendar years run from \(firstYear) to \(lastYear)", at: item.location))
                    continue
                }
                for day in holidays where day.value.isWeekend || !(firstYear...lastYear).contains(day.value.year) {
                    diagnostics.append(.error(.invalidValue, "holiday \(day.value) is a weekend day or outside \(firstYear)–\(lastYear)",
                                              at: day.location, help: "holidays lists weekdays that are days off"))
                }
                for day in workdays where !day.value.isWeekend || !(firstYear...lastYear).contains(day.value.year) {
                    diagnostics.append(.error(.invalidValue, "working day \(day.value) is not a weekend day or is outside \(firstYear)–\(lastYear)",
                                              at: day.location, help: "workdays lists weekend days that are working days (调休)"))
                }
                calendar = WorkingDayCalendar(firstYear: firstYear, lastYear: lastYear,
                                              holidays: Set(holidays.map(\.value)), workdays: Set(workdays.map(\.value)))
            case let .table(type, node):
                types[item.name.value] = type
                if let value = ValueDecoder(strictness: .strict).decode(node, as: type, what: "data `\(item.name.value)`",
                                                                        diagnostics: &diagnostics) {
                    tables[item.name.value] = PlanningEnvironment.Constant(type: type.valueType, value: value)
                }
            }
        }
        for (name, node) in options.dataOverrides {
            guard let type = types[name.value] else {
                diagnostics.append(.error(.unknownData, "the pack has no reference data `\(name.value)`", at: name.location,
                                          help: Suggestion.help(for: name.value, in: types.keys)))
                continue
            }
            if let value = ValueDecoder(strictness: .lenient, unknownKeysAreErrors: true)
                .decode(node, as: type, what: "data `\(name.value)`", diagnostics: &diagnostics) {
                tables[name.value] = PlanningEnvironment.Constant(type: type.valueType, value: value)
            }
        }
        return (calendar, tables)
    }

    private mutating func ruleStage(manifest: PackManifest, schemas: [String: RecordSchema],
                                    environment: PlanningEnvironment) -> ([CompiledRule], [CompiledAggregateRule]) {
        var rules: [CompiledRule] = []
        var aggregateRules: [CompiledAggregateRule] = []
        var seen: [String: SourceLocation] = [:]
        let clauseNumbers = manifest.clauses.map(\.number)
        for rule in syntax.rules {
            if let first = seen[rule.id.value] {
                diagnostics.append(.error(.duplicateRule, "rule `\(rule.id.value)` is defined twice (first at \(first))",
                                          at: rule.id.location))
                continue
            }
            seen[rule.id.value] = rule.id.location
            if !clauseNumbers.contains(rule.clause.value) {
                diagnostics.append(.error(.unknownClause, "rule names clause `\(rule.clause.value)`, which pack.yaml does not list",
                                          at: rule.clause.location, help: Suggestion.help(for: rule.clause.value, in: clauseNumbers)))
            }
            guard let schema = schemas[rule.appliesTo.value] else {
                diagnostics.append(.error(.unknownSchema, "no record type `\(rule.appliesTo.value)` in schemas/",
                                          at: rule.appliesTo.location,
                                          help: Suggestion.help(for: rule.appliesTo.value, in: schemas.keys)))
                continue
            }
            if let aggregate = rule.aggregate {
                if let compiled = compileAggregate(rule, aggregate, schema: schema, environment: environment) {
                    aggregateRules.append(compiled)
                }
            } else if let compiled = compile(rule, schema: schema, environment: environment) {
                rules.append(compiled)
            }
        }
        for id in options.enabledRules where seen[id] == nil {
            diagnostics.append(.error(.unknownName, "cannot enable rule `\(id)`: the pack has no such rule", at: nil,
                                      help: Suggestion.help(for: id, in: seen.keys)))
        }
        return (rules, aggregateRules)
    }

    private mutating func plan(_ scalar: LocatedScalar, _ planner: inout ExpressionPlanner, expecting type: ValueType?,
                               role: String, source: String? = nil, offset: Int = 0) -> PlannedExpression? {
        let text = source ?? scalar.text
        // Built only when there is a problem to locate: it splits the file into lines.
        var map: ExpressionSourceMap { ExpressionSourceMap(scalar: scalar, fileText: syntax.sources[scalar.location.file]) }
        do throws(ExpressionProblem) {
            let planned = try planner.plan(text)
            if let type, planned.type != type, planned.type != .dyn {
                diagnostics.append(.error(.typeMismatch, "`\(role)` must be a \(type), but this expression is a \(planned.type)",
                                          at: map.location(ofOffset: offset)))
                return nil
            }
            return planned
        } catch {
            diagnostics.append(.error(error.code, error.message, at: map.location(ofOffset: offset + error.offset), help: error.help))
            return nil
        }
    }

    private mutating func compile(_ rule: RuleSyntax, schema: RecordSchema, environment: PlanningEnvironment) -> CompiledRule? {
        var environment = environment
        environment.recordShape = schema.shape
        var planner = ExpressionPlanner(environment: environment)
        let before = diagnostics.count
        for (name, expression) in rule.lets {
            if schema.shape.index(of: name.value) != nil || ["params", "data", "period"].contains(name.value) {
                diagnostics.append(.error(.unknownName, "`let` name `\(name.value)` hides a record field or namespace of the same name",
                                          at: name.location))
                continue
            }
            guard let planned = plan(expression, &planner, expecting: nil, role: name.value) else { continue }
            _ = planner.declareLet(name.value, planned)
        }
        let when = rule.when.flatMap { plan($0, &planner, expecting: .bool, role: "when") }
        let require = plan(rule.require, &planner, expecting: .bool, role: "require")
        let dateField = rule.dateField.flatMap { plan($0, &planner, expecting: .date, role: "date_field") }
        let zh = template(rule.message.zh, &planner)
        let en = template(rule.message.en, &planner)
        // In the byte order of the paths, which is the order reports print a finding's values in (fingerprints sort them
        // anyway): each finding's values then need no sorting.
        let readPaths: [(path: String, evaluate: Evaluator)] = planner.readPaths.sorted(by: JSONValue.precedes).compactMap { path in
            var pathPlanner = ExpressionPlanner(environment: environment)
            return (try? pathPlanner.plan(path)).map { (path, $0.evaluate) }
        }
        let examples = bindExamples(rule, schema: schema)
        if rule.passExamples.isEmpty || rule.failExamples.isEmpty {
            diagnostics.append(.error(.missingExamples, "rule `\(rule.id.value)` needs at least one pass and one fail example",
                                      at: rule.id.location))
        }
        guard diagnostics.count == before, let require, let zh, let en else { return nil }
        return CompiledRule(
            id: rule.id.value, title: rule.title, clause: rule.clause.value, basis: rule.basis, source: rule.source,
            appliesTo: schema.name, severity: rule.severity,
            enabled: rule.enabled || options.enabledRules.contains(rule.id.value), location: rule.location,
            parameters: planner.referencedParameters, whenText: rule.when?.text, requireText: rule.require.text,
            letTexts: rule.lets.map { ($0.name.value, $0.expression.text) },
            examples: examples, when: when?.evaluate, require: require.evaluate, messages: (zh, en),
            localCount: planner.localCount, readPaths: readPaths, effectiveFrom: rule.effectiveFrom,
            effectiveTo: rule.effectiveTo, dateField: dateField?.evaluate,
            guardField: Self.guardField(rule.when?.text, shape: schema.shape, lets: Set(rule.lets.map(\.name.value))),
            fieldsRead: Self.topLevel(planner.referencedPaths))
    }

    private mutating func compileAggregate(_ rule: RuleSyntax, _ aggregate: AggregateSyntax, schema: RecordSchema,
                                           environment: PlanningEnvironment) -> CompiledAggregateRule? {
        let before = diagnostics.count
        var recordEnvironment = environment
        recordEnvironment.recordShape = schema.shape
        var recordPlanner = ExpressionPlanner(environment: recordEnvironment)
        let filter = aggregate.where.flatMap { plan($0, &recordPlanner, expecting: .bool, role: "where") }
        var keys: [(name: String, type: ValueType, evaluate: Evaluator, text: String)] = []
        for (name, expression) in aggregate.groupBy {
            if let planned = plan(expression, &recordPlanner, expecting: nil, role: name.value) {
                keys.append((name.value, planned.type, planned.evaluate, expression.text))
            }
        }
        var groupEnvironment = environment
        groupEnvironment.variables = keys.map { ($0.name, $0.type) }
        let collector = MeasureCollector(recordEnvironment: recordEnvironment)
        var groupPlanner = ExpressionPlanner(environment: groupEnvironment)
        groupPlanner.measures = collector
        var namedMeasures: [(name: String, slot: Int, evaluate: Evaluator)] = []
        var namedTypes: [(String, ValueType)] = []
        for (name, expression) in aggregate.measures {
            guard let planned = plan(expression, &groupPlanner, expecting: nil, role: name.value) else { continue }
            namedMeasures.append((name.value, groupPlanner.declareLocal(name.value, type: planned.type), planned.evaluate))
            namedTypes.append((name.value, planned.type))
        }
        var previous: (slot: Int, shape: ObjectShape, yearKey: Int)?
        if let yearKey = keys.firstIndex(where: { $0.name == "year" }) {
            let shape = ObjectShape(name: "previous", fields: keys.map { ($0.name, $0.type) } + namedTypes)
            previous = (groupPlanner.declareLocal("previous", type: .object(shape)), shape, yearKey)
        }
        for (name, expression) in rule.lets {
            guard let planned = plan(expression, &groupPlanner, expecting: nil, role: name.value) else { continue }
            _ = groupPlanner.declareLet(name.value, planned)
        }
        let require = plan(rule.require, &groupPlanner, expecting: .bool, role: "require")
        let zh = template(rule.message.zh, &groupPlanner)
        let en = template(rule.message.en, &groupPlanner)
        var expectGroups: [(key: Int, evaluate: Evaluator)] = []
        var expectPlanner = ExpressionPlanner(environment: environment)
        for (name, expression) in aggregate.expectGroups {
            guard let key = keys.firstIndex(where: { $0.name == name.value }) else {
                diagnostics.append(.error(.unknownName, "`expect_groups` names `\(name.value)`, which is not a key of `group_by`",
                                          at: name.location, help: Suggestion.help(for: name.value, in: keys.map(\.name))))
                continue
            }
            if let planned = plan(expression, &expectPlanner, expecting: nil, role: "expect_groups.\(name.value)") {
                if case .list = planned.type {} else if planned.type != .dyn {
                    diagnostics.append(.error(.typeMismatch, "`expect_groups.\(name.value)` must be a list, but it is a \(planned.type)",
                                              at: expression.location))
                }
                expectGroups.append((key, planned.evaluate))
            }
        }
        let examples = bindAggregateExamples(rule, schema: schema)
        if rule.passExamples.isEmpty || rule.failExamples.isEmpty {
            diagnostics.append(.error(.missingExamples, "rule `\(rule.id.value)` needs at least one pass and one fail example",
                                      at: rule.id.location))
        }
        guard diagnostics.count == before, let require, let zh, let en else { return nil }
        return CompiledAggregateRule(
            id: rule.id.value, title: rule.title, clause: rule.clause.value, basis: rule.basis, source: rule.source,
            appliesTo: schema.name, severity: rule.severity,
            enabled: rule.enabled || options.enabledRules.contains(rule.id.value), location: rule.location,
            parameters: Array(Set(recordPlanner.referencedParameters + groupPlanner.referencedParameters + expectPlanner.referencedParameters)).sorted(),
            requireText: rule.require.text, whereText: aggregate.where?.text,
            letTexts: (aggregate.groupBy + aggregate.measures + rule.lets).map { ($0.name.value, $0.expression.text) },
            keyNames: keys.map(\.name), keyTexts: keys.map(\.text), examples: examples, filter: filter?.evaluate,
            keys: keys.map(\.evaluate), measures: collector.measures,
            recordLocalCount: max(recordPlanner.localCount, collector.recordLocalCount), namedMeasures: namedMeasures,
            previous: previous, require: require.evaluate, messages: (zh, en),
            groupLocalCount: groupPlanner.localCount, expectGroups: expectGroups,
            fieldsRead: Self.topLevel(recordPlanner.referencedPaths + collector.referencedPaths),
            recordPartsReadPeriod: recordPlanner.readsPeriod || collector.readsPeriod)
    }

    static func topLevel(_ paths: [String]) -> Set<String> {
        Set(paths.map { String($0.prefix { $0 != "." }) })
    }

    /// `field == 'constant'` at the head of `when` (alone or as the first operand of `&&`), on a record field.
    static func guardField(_ when: String?, shape: ObjectShape, lets: Set<String>) -> (slot: Int, value: Value)? {
        guard let when, var expr = try? ExpressionParser.parse(when) else { return nil }
        while case .binary(.and, let left, _) = expr.kind { expr = left }
        guard case .binary(.equal, let left, let right) = expr.kind else { return nil }
        switch (left.kind, right.kind) {
        case let (.identifier(name), .literal(value)), let (.literal(value), .identifier(name)):
            guard !lets.contains(name), let slot = shape.index(of: name), !value.isNull else { return nil }
            return (slot, value)
        default:
            return nil
        }
    }

    /// `{ period: "2023", records: [ … ] }` examples of an aggregate rule.
    private mutating func bindAggregateExamples(_ rule: RuleSyntax, schema: RecordSchema) -> [AggregateExample] {
        var examples: [AggregateExample] = []
        for (nodes, expectsViolation) in [(rule.passExamples, false), (rule.failExamples, true)] {
            for node in nodes {
                guard let mapping = StrictMapping(node, what: "an aggregate rule's example", allowed: ["period", "records"],
                                                  required: ["records"], diagnostics: &diagnostics) else { continue }
                var period: AuditPeriod?
                if let text = mapping.string("period", diagnostics: &diagnostics) {
                    period = AuditPeriod(parsing: text.value)
                    if period == nil {
                        diagnostics.append(.error(.invalidValue, "`period` is a year or `2022..2024`, found `\(text.value)`",
                                                  at: text.location))
                    }
                }
                let records = bindRecords(mapping["records"], schema: schema)
                examples.append(AggregateExample(records: records, period: period, expectsViolation: expectsViolation,
                                                 location: node.location))
            }
        }
        return examples
    }

    private mutating func bindRecords(_ node: LocatedNode?, schema: RecordSchema) -> [Record] {
        guard let node else { return [] }
        guard case .sequence(let items, _) = node else {
            diagnostics.append(.error(.wrongKind, "expected `records` as a list of records", at: node.location))
            return []
        }
        var records: [Record] = []
        for item in items {
            var problems: [Diagnostic] = []
            if let record = RecordBinder(checksRequiredFields: false).bind(item, schema: schema, diagnostics: &problems) {
                records.append(record)
            }
            diagnostics += problems.map { var d = $0; d.severity = .error; return d }
        }
        return records
    }

    private mutating func template(_ scalar: LocatedScalar, _ planner: inout ExpressionPlanner) -> MessageTemplate? {
        guard let parts = MessageTemplate.split(scalar.text) else {
            diagnostics.append(.error(.expressionSyntax, "a `{{` in the message is not closed by `}}`", at: scalar.location))
            return nil
        }
        var segments: [MessageTemplate.Segment] = []
        for part in parts {
            if !part.isExpression {
                segments.append(.text(Array(part.text.utf8)))
                continue
            }
            guard let planned = plan(scalar, &planner, expecting: nil, role: "message", source: part.text,
                                     offset: part.offset) else { return nil }
            segments.append(.expression(planned.evaluate))
        }
        return MessageTemplate(segments: segments)
    }

    private mutating func bindExamples(_ rule: RuleSyntax, schema: RecordSchema) -> [RuleExample] {
        let binder = RecordBinder(checksRequiredFields: false)
        var examples: [RuleExample] = []
        for (nodes, expectsViolation) in [(rule.passExamples, false), (rule.failExamples, true)] {
            for node in nodes {
                var problems: [Diagnostic] = []
                if let record = binder.bind(node, schema: schema, diagnostics: &problems) {
                    examples.append(RuleExample(record: record, expectsViolation: expectsViolation, location: node.location))
                }
                // An example with an unknown field is a pack error: it would test nothing.
                diagnostics += problems.map { var d = $0; d.severity = .error; return d }
            }
        }
        return examples
    }

    private mutating func testStage(rules: [CompiledRule], aggregateRules: [CompiledAggregateRule],
                                    schemas: [String: RecordSchema]) -> [CompiledTestCase] {
        var cases: [CompiledTestCase] = []
        for test in syntax.tests {
            if let aggregate = aggregateRules.first(where: { $0.id == test.rule.value }) {
                guard let schema = schemas[aggregate.appliesTo] else { continue }
                let records = bindRecords(test.records ?? test.record, schema: schema)
                cases.append(CompiledTestCase(name: test.name, ruleID: aggregate.id, records: records, period: test.period,
                                              expectsViolation: test.expectsViolation, location: test.location))
                continue
            }
            guard let rule = rules.first(where: { $0.id == test.rule.value }) else {
                if !syntax.rules.contains(where: { $0.id.value == test.rule.value }) {
                    diagnostics.append(.error(.unknownName, "test case names rule `\(test.rule.value)`, which the pack does not have",
                                              at: test.rule.location,
                                              help: Suggestion.help(for: test.rule.value, in: rules.map(\.id) + aggregateRules.map(\.id))))
                }
                continue
            }
            guard let schema = schemas[rule.appliesTo] else { continue }
            guard let node = test.record else {
                diagnostics.append(.error(.missingKey, "a test case of a per-record rule needs `record`", at: test.location))
                continue
            }
            var problems: [Diagnostic] = []
            if let record = RecordBinder(checksRequiredFields: false).bind(node, schema: schema, diagnostics: &problems) {
                cases.append(CompiledTestCase(name: test.name, ruleID: rule.id, records: [record], period: test.period,
                                              expectsViolation: test.expectsViolation, location: test.location))
            }
            diagnostics += problems.map { var d = $0; d.severity = .error; return d }
        }
        return cases
    }
}
