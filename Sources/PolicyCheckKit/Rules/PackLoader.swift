import Foundation

/// Reads a pack folder — `pack.yaml`, `schemas/`, `rules/`, `data/`, `tests/` — into located syntax,
/// collecting every problem of every file.
struct PackLoader {
    let directory: String
    let limits: ResourceLimits
    var diagnostics: [Diagnostic] = []
    var syntax: PackSyntax

    init(directory: String, limits: ResourceLimits = ResourceLimits()) {
        self.directory = directory
        self.limits = limits
        syntax = PackSyntax(directory: directory)
    }

    mutating func load() -> PackSyntax {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.error(.fileNotFound, "no rule pack folder at `\(directory)`", at: nil,
                                      help: "a pack is a folder with pack.yaml, schemas/, rules/ and data/"))
            return syntax
        }
        let folders = ["schemas", "data", "rules", "tests"].map { ($0, yamlFiles(under: $0)) }
        parsed = Self.parse(["pack.yaml"] + folders.flatMap(\.1), in: self)
        if let root = document(at: "pack.yaml") { syntax.manifest = manifest(root) }
        for (folder, files) in folders {
            for file in files {
                guard let root = document(at: file) else { continue }
                switch folder {
                case "schemas": schema(root)
                case "data": data(root)
                case "rules": rule(root)
                default: tests(root)
                }
            }
        }
        return syntax
    }

    /// Each file read and parsed on its own: YAML parsing is most of a pack's load time, and files are independent.
    private var parsed: [String: (text: String?, documents: Result<[LocatedNode], Diagnostic>?)] = [:]

    private static func parse(_ files: [String], in loader: PackLoader) -> [String: (text: String?, documents: Result<[LocatedNode], Diagnostic>?)] {
        let paths = files.map { loader.path($0) }
        let results = ParseResults(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let file = paths[index]
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                return
            }
            results.store(index, (text, YAMLSource(file: file, text: text, limits: loader.limits.yaml).documents()))
        }
        var table: [String: (text: String?, documents: Result<[LocatedNode], Diagnostic>?)] = [:]
        for (index, file) in files.enumerated() { table[file] = results.slots[index] ?? (nil, nil) }
        return table
    }

    /// One slot per file, each written by exactly one iteration, under the lock.
    private final class ParseResults: @unchecked Sendable {
        var slots: [(text: String?, documents: Result<[LocatedNode], Diagnostic>?)?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func store(_ index: Int, _ value: (text: String?, documents: Result<[LocatedNode], Diagnostic>?)) {
            lock.lock()
            slots[index] = value
            lock.unlock()
        }
    }

    // MARK: - Files

    func path(_ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// YAML files below a folder of the pack, sorted so load order (and so output) is stable.
    private func yamlFiles(under folder: String) -> [String] {
        let root = path(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.hasSuffix(".yaml") || item.hasSuffix(".yml") { files.append("\(folder)/\(item)") }
        }
        return files.sorted()
    }

    /// The single document of a pack file, or nil with its problem recorded.
    private mutating func document(at relative: String) -> LocatedNode? {
        let file = path(relative)
        guard let data = parsed[relative]?.text ?? FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
            if FileManager.default.fileExists(atPath: file) {
                diagnostics.append(.error(.fileUnreadable, "`\(file)` is not UTF-8 text", at: SourceLocation(file: file, line: 1, column: 1)))
            } else {
                diagnostics.append(.error(.fileNotFound, "cannot read `\(file)`", at: nil))
            }
            return nil
        }
        let text = data
        syntax.sources[file] = text
        switch parsed[relative]?.documents ?? YAMLSource(file: file, text: text, limits: limits.yaml).documents() {
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        case .success(let documents):
            guard documents.count == 1, let root = documents.first else {
                diagnostics.append(.error(documents.isEmpty ? .emptyFile : .yamlSyntax,
                                          documents.isEmpty ? "`\(file)` is empty" : "`\(file)` holds \(documents.count) documents; a pack file holds one",
                                          at: SourceLocation(file: file, line: 1, column: 1)))
                return nil
            }
            return root
        }
    }

    private mutating func checkVersion(_ mapping: StrictMapping) {
        guard let version = mapping.integer("schema_version", diagnostics: &diagnostics) else { return }
        if version != 1 {
            diagnostics.append(.error(.schemaVersion, "unsupported `schema_version: \(version)`; this policycheck reads version 1",
                                      at: mapping.keyLocation("schema_version")))
        }
    }

    // MARK: - pack.yaml

    private mutating func manifest(_ root: LocatedNode) -> PackManifest? {
        guard let mapping = StrictMapping(root, what: "pack.yaml",
                                          allowed: ["schema_version", "id", "title", "document", "clauses", "parameters", "profiles"],
                                          required: ["schema_version", "id", "title", "document", "clauses"],
                                          diagnostics: &diagnostics) else { return nil }
        checkVersion(mapping)
        var document = PackManifest.Document(number: "", title: "", issuer: "")
        if let node = mapping["document"],
           let doc = StrictMapping(node, what: "`document`",
                                   allowed: ["number", "title", "issuer", "signed_on", "printed_on", "source"],
                                   required: ["number", "issuer"], diagnostics: &diagnostics) {
            document.number = doc.string("number", diagnostics: &diagnostics)?.value ?? ""
            document.title = doc.string("title", diagnostics: &diagnostics)?.value ?? ""
            document.issuer = doc.string("issuer", diagnostics: &diagnostics)?.value ?? ""
            document.signedOn = doc.date("signed_on", diagnostics: &diagnostics)
            document.printedOn = doc.date("printed_on", diagnostics: &diagnostics)
            document.source = doc.string("source", diagnostics: &diagnostics)?.value
        }
        var clauses: [Clause] = []
        if case .sequence(let items, _)? = mapping["clauses"] {
            for item in items { if let clause = clause(item) { clauses.append(clause) } }
        } else if let node = mapping["clauses"] {
            diagnostics.append(.error(.wrongKind, "expected `clauses` as a list, found \(node.kindDescription)", at: node.location))
        }
        var seen: [String: SourceLocation] = [:]
        for clause in clauses {
            if let first = seen[clause.number] {
                diagnostics.append(.error(.duplicateRule, "clause `\(clause.number)` is listed twice (first at \(first))", at: clause.location))
            }
            seen[clause.number] = clause.location
        }
        var parameters: [ParameterDefinition] = []
        if case .mapping(let pairs, _)? = mapping["parameters"] {
            for pair in pairs {
                if let parameter = parameter(name: pair.key, pair.value) { parameters.append(parameter) }
            }
        } else if let node = mapping["parameters"] {
            diagnostics.append(.error(.wrongKind, "expected `parameters` as a mapping, found \(node.kindDescription)", at: node.location))
        }
        var profiles: [ParameterProfile] = []
        if case .mapping(let pairs, _)? = mapping["profiles"] {
            for pair in pairs {
                guard let profile = StrictMapping(pair.value, what: "profile `\(pair.key.text)`", allowed: ["description", "params"],
                                                  required: ["description"], diagnostics: &diagnostics) else { continue }
                var params: [(name: Located<String>, value: LocatedNode)] = []
                if case .mapping(let entries, _)? = profile["params"] {
                    params = entries.map { (Located($0.key.text, at: $0.key.location), $0.value) }
                } else if let node = profile["params"] {
                    diagnostics.append(.error(.wrongKind, "expected `params` as a mapping of parameter names to values", at: node.location))
                }
                profiles.append(ParameterProfile(name: pair.key.text,
                                                 description: profile.localized("description", diagnostics: &diagnostics)
                                                     ?? LocalizedText(zh: "", en: ""),
                                                 parameters: params, location: pair.key.location))
            }
        } else if let node = mapping["profiles"] {
            diagnostics.append(.error(.wrongKind, "expected `profiles` as a mapping of names to profiles", at: node.location))
        }
        return PackManifest(id: mapping.string("id", diagnostics: &diagnostics)?.value ?? "",
                            title: mapping.localized("title", diagnostics: &diagnostics) ?? LocalizedText(zh: "", en: ""),
                            document: document, clauses: clauses, parameters: parameters, profiles: profiles,
                            location: mapping.location)
    }

    private mutating func clause(_ node: LocatedNode) -> Clause? {
        guard let mapping = StrictMapping(node, what: "a clause",
                                          allowed: ["number", "part", "title", "title_en", "status", "text", "manual"],
                                          required: ["number", "title", "status", "text"], diagnostics: &diagnostics) else { return nil }
        var status = ClauseStatus.manual
        if let text = mapping.string("status", diagnostics: &diagnostics) {
            if let parsed = ClauseStatus(rawValue: text.value) { status = parsed } else {
                diagnostics.append(.error(.invalidValue, "unknown clause status `\(text.value)`", at: text.location,
                                          help: "use encoded, partial or manual"))
            }
        }
        let manual = mapping.string("manual", diagnostics: &diagnostics)?.value ?? ""
        if status != .encoded, manual.isEmpty {
            diagnostics.append(.error(.missingKey, "a \(status.rawValue) clause needs `manual`: what stays manual and why",
                                      at: mapping.location))
        }
        return Clause(number: mapping.string("number", diagnostics: &diagnostics)?.value ?? "",
                      part: mapping.string("part", diagnostics: &diagnostics)?.value ?? "",
                      title: mapping.string("title", diagnostics: &diagnostics)?.value ?? "",
                      titleEnglish: mapping.string("title_en", diagnostics: &diagnostics)?.value ?? "",
                      status: status, text: mapping.string("text", diagnostics: &diagnostics)?.value ?? "",
                      manual: manual, location: mapping.location)
    }

    private mutating func parameter(name: LocatedScalar, _ node: LocatedNode) -> ParameterDefinition? {
        guard let mapping = StrictMapping(node, what: "parameter `\(name.text)`",
                                          allowed: ["type", "default", "unit", "status", "source", "description", "fields"],
                                          required: ["type", "unit", "status", "source"], diagnostics: &diagnostics) else { return nil }
        guard let typeText = mapping.string("type", diagnostics: &diagnostics) else { return nil }
        guard let type = fieldType(typeText, fieldsNode: mapping["fields"], owner: name.text) else { return nil }
        var value = Value.null
        if let defaultNode = mapping["default"] {
            var problems: [Diagnostic] = []
            value = ValueDecoder(strictness: .strict).decode(defaultNode, as: type, what: "the default of `\(name.text)`",
                                                             diagnostics: &problems) ?? .null
            diagnostics += problems
        }
        let unit = mapping.string("unit", diagnostics: &diagnostics)
        if let unit, !ParameterDefinition.units.contains(unit.value) {
            diagnostics.append(.error(.invalidValue, "unknown unit `\(unit.value)` for parameter `\(name.text)`", at: unit.location,
                                      help: Suggestion.help(for: unit.value, in: ParameterDefinition.units)
                                          ?? "units: \(ParameterDefinition.units.sorted().joined(separator: ", "))"))
        }
        let statusText = mapping.string("status", diagnostics: &diagnostics)
        let status = statusText.flatMap { ParameterDefinition.Status(rawValue: $0.value) }
        if let statusText, status == nil {
            diagnostics.append(.error(.invalidValue, "unknown verification mark `\(statusText.value)`", at: statusText.location,
                                      help: "use S (stated in the document), V (verified), T (third-party) or U (unverified)"))
        }
        return ParameterDefinition(name: name.text, type: type, value: value, unit: unit?.value ?? "none",
                                   status: status ?? .unverified,
                                   source: mapping.string("source", diagnostics: &diagnostics)?.value ?? "",
                                   description: mapping.localized("description", diagnostics: &diagnostics),
                                   location: name.location)
    }

    // MARK: - schemas/

    private mutating func fieldType(_ text: Located<String>, fieldsNode: LocatedNode?, owner: String) -> FieldType? {
        var object: ObjectSchema?
        if text.value.contains("object") {
            guard let fieldsNode else {
                diagnostics.append(.error(.missingKey, "`\(owner)` is an object and needs `fields`", at: text.location))
                return nil
            }
            object = ObjectSchema(name: owner, fields: fields(fieldsNode))
        }
        guard let type = TypeSyntax.parse(text.value, object: object) else {
            diagnostics.append(.error(.invalidValue, "unknown type `\(text.value)`", at: text.location, help: TypeSyntax.help))
            return nil
        }
        return type
    }

    private mutating func fields(_ node: LocatedNode) -> [FieldSchema] {
        guard case .mapping(let pairs, _) = node else {
            diagnostics.append(.error(.wrongKind, "expected `fields` as a mapping, found \(node.kindDescription)", at: node.location))
            return []
        }
        return pairs.compactMap { field(name: $0.key, $0.value) }
    }

    private mutating func field(name: LocatedScalar, _ node: LocatedNode) -> FieldSchema? {
        guard let mapping = StrictMapping(node, what: "field `\(name.text)`",
                                          allowed: ["type", "required", "enum", "aliases", "default", "default_from",
                                                    "fields", "description"],
                                          required: ["type"], diagnostics: &diagnostics) else { return nil }
        guard let typeText = mapping.string("type", diagnostics: &diagnostics),
              let type = fieldType(typeText, fieldsNode: mapping["fields"], owner: name.text) else { return nil }
        var defaultValue: Value?
        if let node = mapping["default"] {
            defaultValue = ValueDecoder(strictness: .strict).decode(node, as: type, what: "the default of `\(name.text)`",
                                                                    diagnostics: &diagnostics)
        }
        let enumValues = mapping["enum"].map { $0.asStringList(what: "`enum`", diagnostics: &diagnostics).map(\.value) }
        return FieldSchema(name: name.text, type: type,
                           required: mapping.bool("required", diagnostics: &diagnostics) ?? false,
                           enumValues: enumValues,
                           aliases: mapping.stringList("aliases", diagnostics: &diagnostics).map(\.value),
                           defaultValue: defaultValue,
                           defaultFrom: mapping.string("default_from", diagnostics: &diagnostics)?.value
                               .split(separator: ".").map(String.init),
                           description: mapping.localized("description", diagnostics: &diagnostics),
                           location: name.location)
    }

    private mutating func schema(_ root: LocatedNode) {
        guard let mapping = StrictMapping(root, what: "a schema file",
                                          allowed: ["schema_version", "name", "title", "description", "fields"],
                                          required: ["schema_version", "name", "fields"], diagnostics: &diagnostics),
              let name = mapping.string("name", diagnostics: &diagnostics), let fieldsNode = mapping["fields"] else { return }
        checkVersion(mapping)
        let fields = self.fields(fieldsNode)
        let title = mapping.localized("title", diagnostics: &diagnostics) ?? LocalizedText(zh: name.value, en: name.value)
        if let existing = syntax.schemas.first(where: { $0.name == name.value }) {
            diagnostics.append(.error(.duplicateRule, "record type `\(name.value)` is defined twice (first at \(existing.location))",
                                      at: name.location))
            return
        }
        syntax.schemas.append(RecordSchema(name: name.value, title: title, fields: fields, location: name.location))
    }

    // MARK: - data/

    private mutating func data(_ root: LocatedNode) {
        guard let mapping = StrictMapping(root, what: "a data file",
                                          allowed: ["schema_version", "name", "kind", "source", "sources", "description",
                                                    "years", "holidays", "workdays", "type", "fields", "value"],
                                          required: ["schema_version", "name", "kind"], diagnostics: &diagnostics),
              let name = mapping.string("name", diagnostics: &diagnostics),
              let kind = mapping.string("kind", diagnostics: &diagnostics) else { return }
        checkVersion(mapping)
        switch kind.value {
        case "calendar":
            guard let yearsNode = mapping["years"],
                  let years = StrictMapping(yearsNode, what: "`years`", allowed: ["from", "to"], required: ["from", "to"],
                                            diagnostics: &diagnostics),
                  let first = years.integer("from", diagnostics: &diagnostics),
                  let last = years.integer("to", diagnostics: &diagnostics) else {
                if mapping["years"] == nil {
                    diagnostics.append(.error(.missingKey, "a calendar needs `years: { from: …, to: … }`", at: mapping.location))
                }
                return
            }
            func dates(_ key: String) -> [Located<LocalDate>] {
                guard let node = mapping[key] else { return [] }
                return node.asStringList(what: "`\(key)`", diagnostics: &diagnostics).compactMap { text in
                    guard let date = LocalDate(parsing: text.value) else {
                        diagnostics.append(.error(.invalidValue, "`\(text.value)` is not a date", at: text.location))
                        return nil
                    }
                    return Located(date, at: text.location)
                }
            }
            syntax.data.append(DataSyntax(name: name, content: .calendar(firstYear: first, lastYear: last,
                                                                         holidays: dates("holidays"), workdays: dates("workdays")),
                                          location: mapping.location))
        case "table":
            guard let typeText = mapping.string("type", diagnostics: &diagnostics),
                  let type = fieldType(typeText, fieldsNode: mapping["fields"], owner: name.value) else {
                if mapping["type"] == nil { diagnostics.append(.error(.missingKey, "a table needs `type`", at: mapping.location)) }
                return
            }
            guard let value = mapping["value"] else {
                diagnostics.append(.error(.missingKey, "a table needs `value`", at: mapping.location))
                return
            }
            syntax.data.append(DataSyntax(name: name, content: .table(type: type, value: value), location: mapping.location))
        default:
            diagnostics.append(.error(.invalidValue, "unknown data kind `\(kind.value)`", at: kind.location,
                                      help: "use calendar or table"))
        }
    }

    // MARK: - rules/

    private mutating func rule(_ root: LocatedNode) {
        guard let mapping = StrictMapping(root, what: "a rule",
                                          allowed: ["schema_version", "id", "title", "clause", "basis", "source", "applies_to",
                                                    "severity", "enabled", "effective_from", "effective_to", "date_field",
                                                    "let", "when", "require", "message", "examples",
                                                    "where", "group_by", "expect_groups", "aggregate"],
                                          required: ["schema_version", "id", "title", "clause", "basis", "applies_to",
                                                     "severity", "require", "message", "examples"],
                                          diagnostics: &diagnostics) else { return }
        checkVersion(mapping)
        guard let id = mapping.string("id", diagnostics: &diagnostics),
              let clause = mapping.string("clause", diagnostics: &diagnostics),
              let appliesTo = mapping.string("applies_to", diagnostics: &diagnostics),
              let require = expressionScalar(mapping["require"], "require") else { return }
        var severity = Severity.error
        if let text = mapping.string("severity", diagnostics: &diagnostics) {
            if let parsed = Severity(rawValue: text.value) { severity = parsed } else {
                diagnostics.append(.error(.invalidValue, "unknown severity `\(text.value)`", at: text.location,
                                          help: "use error, warning or info"))
            }
        }
        let lets = namedExpressions(mapping["let"], "let")
        var aggregate: AggregateSyntax?
        if mapping["group_by"] != nil {
            aggregate = AggregateSyntax(where: expressionScalar(mapping["where"], "where"),
                                        groupBy: namedExpressions(mapping["group_by"], "group_by"),
                                        expectGroups: namedExpressions(mapping["expect_groups"], "expect_groups"),
                                        measures: namedExpressions(mapping["aggregate"], "aggregate"))
            if mapping["when"] != nil {
                diagnostics.append(.error(.unknownKey, "an aggregate rule selects its records with `where`, not `when`",
                                          at: mapping.keyLocation("when")))
            }
        } else {
            for key in ["where", "expect_groups", "aggregate"] where mapping[key] != nil {
                diagnostics.append(.error(.unknownKey, "`\(key)` belongs to aggregate rules, which have `group_by`",
                                          at: mapping.keyLocation(key)))
            }
        }
        var message: (zh: LocatedScalar, en: LocatedScalar)?
        if let node = mapping["message"] {
            if case .scalar(let scalar) = node {
                message = (scalar, scalar)
            } else if let m = StrictMapping(node, what: "`message`", allowed: ["zh", "en"], required: ["zh", "en"],
                                            diagnostics: &diagnostics),
                      let zh = m["zh"]?.scalar, let en = m["en"]?.scalar {
                message = (zh, en)
            }
        }
        var passExamples: [LocatedNode] = []
        var failExamples: [LocatedNode] = []
        if let node = mapping["examples"],
           let examples = StrictMapping(node, what: "`examples`", allowed: ["pass", "fail"], required: ["pass", "fail"],
                                        diagnostics: &diagnostics) {
            for (key, keep) in [("pass", true), ("fail", false)] {
                guard let list = examples[key] else { continue }
                guard case .sequence(let items, _) = list else {
                    diagnostics.append(.error(.wrongKind, "expected `examples.\(key)` as a list of records", at: list.location))
                    continue
                }
                if keep { passExamples = items } else { failExamples = items }
            }
        }
        guard let message else { return }
        syntax.rules.append(RuleSyntax(
            id: id, title: mapping.localized("title", diagnostics: &diagnostics) ?? LocalizedText(zh: id.value, en: id.value),
            clause: clause, basis: mapping.string("basis", diagnostics: &diagnostics)?.value ?? "",
            source: mapping.string("source", diagnostics: &diagnostics)?.value ?? "",
            appliesTo: appliesTo, severity: severity, enabled: mapping.bool("enabled", diagnostics: &diagnostics) ?? true,
            effectiveFrom: mapping.date("effective_from", diagnostics: &diagnostics),
            effectiveTo: mapping.date("effective_to", diagnostics: &diagnostics),
            dateField: mapping["date_field"]?.scalar, lets: lets,
            when: expressionScalar(mapping["when"], "when"), require: require, message: message,
            passExamples: passExamples, failExamples: failExamples, location: mapping.location, aggregate: aggregate))
    }

    /// `name: expression` pairs in their written order.
    private mutating func namedExpressions(_ node: LocatedNode?, _ key: String) -> [(name: Located<String>, expression: LocatedScalar)] {
        guard let node else { return [] }
        guard case .mapping(let pairs, _) = node else {
            diagnostics.append(.error(.wrongKind, "expected `\(key)` as a mapping of names to expressions", at: node.location))
            return []
        }
        return pairs.compactMap { pair in
            expressionScalar(pair.value, pair.key.text).map { (Located(pair.key.text, at: pair.key.location), $0) }
        }
    }

    private mutating func expressionScalar(_ node: LocatedNode?, _ key: String) -> LocatedScalar? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            diagnostics.append(.error(.wrongKind, "expected an expression for `\(key)`, found \(node.kindDescription)",
                                      at: node.location, help: "quote an expression that starts with `[`, `{`, `'` or `!`"))
            return nil
        }
        return scalar
    }

    // MARK: - tests/

    private mutating func tests(_ root: LocatedNode) {
        guard let mapping = StrictMapping(root, what: "a test file", allowed: ["schema_version", "cases"],
                                          required: ["schema_version", "cases"], diagnostics: &diagnostics) else { return }
        checkVersion(mapping)
        guard case .sequence(let items, _)? = mapping["cases"] else {
            diagnostics.append(.error(.wrongKind, "expected `cases` as a list", at: mapping.location))
            return
        }
        for item in items {
            guard let test = StrictMapping(item, what: "a test case", allowed: ["name", "rule", "expect", "record", "records", "period"],
                                           required: ["name", "rule", "expect"], diagnostics: &diagnostics),
                  let rule = test.string("rule", diagnostics: &diagnostics),
                  let expect = test.string("expect", diagnostics: &diagnostics) else { continue }
            guard expect.value == "pass" || expect.value == "fail" else {
                diagnostics.append(.error(.invalidValue, "`expect` is `pass` or `fail`, found `\(expect.value)`", at: expect.location))
                continue
            }
            guard test["record"] != nil || test["records"] != nil else {
                diagnostics.append(.error(.missingKey, "a test case needs `record` (or `records` for an aggregate rule)",
                                          at: test.location))
                continue
            }
            var period: AuditPeriod?
            if let text = test.string("period", diagnostics: &diagnostics) {
                period = AuditPeriod(parsing: text.value)
                if period == nil {
                    diagnostics.append(.error(.invalidValue, "`period` is a year or `2022..2024`, found `\(text.value)`", at: text.location))
                }
            }
            syntax.tests.append(TestCaseSyntax(name: test.string("name", diagnostics: &diagnostics)?.value ?? "",
                                               rule: rule, expectsViolation: expect.value == "fail", record: test["record"],
                                               records: test["records"], period: period, location: test.location))
        }
    }
}
