import Hummingbird
import PolicyCheckKit

/// `GET /v1/rules`, `/v1/rules/{id}`, `/v1/coverage`, `/v1/schemas` and `/v1/schemas/{type}`:
/// what the pack in force checks, for tools and for the clerk's page.
struct RuleRoutes: Sendable {
    let store: PackStore

    func add(to router: Router<some RequestContext>) {
        router.get("/v1/rules") { _, _ in
            let served = store.current
            return Responses.json(RuleList(pack: PackInfo(served), rules: served.pack.allRuleSummaries.map { RuleInfo($0, pack: served.pack) }))
        }
        router.get("/v1/rules/{id}") { _, context in
            let served = store.current
            let id = context.parameters.get("id") ?? ""
            guard let summary = served.pack.summary(of: id) else {
                let hint = Suggestion.help(for: id, in: served.pack.allRuleSummaries.map(\.id)).map { "; \($0)" } ?? ""
                return Responses.problem(.notFound, code: "unknown-rule", message: "the pack has no rule `\(id)`\(hint)")
            }
            return Responses.json(RuleDetail(summary, pack: served.pack))
        }
        router.get("/v1/coverage") { _, _ in
            Responses.json(CoverageTable(pack: store.current.pack))
        }
        router.get("/v1/schemas") { _, _ in
            let served = store.current
            return Responses.json(SchemaList(pack: PackInfo(served), schemas: served.recordTypes.compactMap { name in
                served.pack.schemas[name].map { SchemaSummary(name: name, title: $0.title) }
            }))
        }
        router.get("/v1/schemas/{type}") { _, context in
            let served = store.current
            let name = context.parameters.get("type") ?? ""
            guard let schema = served.pack.schemas[name] else {
                let hint = Suggestion.help(for: name, in: served.recordTypes).map { "; \($0)" } ?? ""
                return Responses.problem(.notFound, code: "unknown-record-type", message: "the pack has no record type `\(name)`\(hint)")
            }
            return Responses.json(SchemaDetail(name: name, title: schema.title, fields: schema.object.fields.map(FieldInfo.init)))
        }
    }
}

/// The pack that answered.
struct PackInfo: Encodable {
    var id: String
    var document: String
    var title: LocalizedText
    var hash: String

    init(_ served: ServedPack) {
        id = served.pack.manifest.id
        document = served.pack.manifest.document.number
        title = served.pack.manifest.title
        hash = served.contentHash
    }
}

struct RuleList: Encodable {
    var pack: PackInfo
    var rules: [RuleInfo]
}

/// What a list of rules shows of each, with its clause's title so a page needs no second request.
struct RuleInfo: Encodable {
    var id: String
    var title: LocalizedText
    var clause: String
    var clauseTitle: LocalizedText
    var severity: String
    var appliesTo: String
    var aggregate: Bool
    var enabled: Bool
    var basis: String
    var source: String

    init(_ summary: RuleSummary, pack: CompiledPack) {
        id = summary.id
        title = summary.title
        clause = summary.clause
        let clause = pack.clause(summary.clause)
        clauseTitle = LocalizedText(zh: clause?.title(in: .zh) ?? "", en: clause?.title(in: .en) ?? "")
        severity = summary.severity.rawValue
        appliesTo = summary.appliesTo
        aggregate = summary.isAggregate
        enabled = summary.enabled
        basis = summary.basis
        source = summary.source
    }
}

/// Everything about one rule: the list's fields, the clause's own words, the expressions and parameters.
struct RuleDetail: Encodable {
    struct Parameter: Encodable {
        var name: String
        var value: JSONValue
        var unit: String
        var source: String
    }

    struct Let: Encodable {
        var name: String
        var expression: String
    }

    var rule: RuleInfo
    var clauseText: String
    var when: String?
    var require: String?
    var lets: [Let]
    var parameters: [Parameter]

    init(_ summary: RuleSummary, pack: CompiledPack) {
        rule = RuleInfo(summary, pack: pack)
        clauseText = pack.clause(summary.clause)?.text ?? ""
        let compiled = pack.rule(summary.id)
        when = compiled?.whenText
        require = compiled?.requireText
        lets = compiled?.letTexts.map { Let(name: $0.name, expression: $0.expression) } ?? []
        parameters = (compiled?.parameters ?? []).compactMap { name in
            guard let definition = pack.manifest.parameters.first(where: { $0.name == name }) else { return nil }
            return Parameter(name: name, value: JSONValue(pack.parameters[name] ?? .null), unit: definition.unit, source: definition.source)
        }
    }
}

struct SchemaList: Encodable {
    var pack: PackInfo
    var schemas: [SchemaSummary]
}

struct SchemaSummary: Encodable {
    var name: String
    var title: LocalizedText
}

struct SchemaDetail: Encodable {
    var name: String
    var title: LocalizedText
    var fields: [FieldInfo]
}

/// One field of a record type, as a form needs it.
struct FieldInfo: Encodable {
    var name: String
    var type: String
    var required: Bool
    var values: [String]?
    var aliases: [String]
    var description: LocalizedText?
    var fields: [FieldInfo]?

    init(_ field: FieldSchema) {
        name = field.name
        required = field.required
        values = field.enumValues
        aliases = field.aliases
        description = field.description
        switch field.type {
        case .object(let nested):
            type = "object"
            fields = nested.fields.map(FieldInfo.init)
        case .list(.object(let nested)):
            type = "list(object)"
            fields = nested.fields.map(FieldInfo.init)
        default:
            type = field.type.description
            fields = nil
        }
    }
}
