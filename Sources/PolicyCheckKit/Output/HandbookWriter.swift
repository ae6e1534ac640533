/// The pack's handbook in Markdown, Chinese and English side by side: per clause the document's own
/// wording, what stays manual, and each rule with its basis, expressions, parameters (with their
/// sources and verification marks) and examples. Generated, so it cannot drift from the rules.
public struct HandbookWriter: Sendable {
    public let pack: CompiledPack

    public init(pack: CompiledPack) { self.pack = pack }

    public func markdown() -> String {
        let manifest = pack.manifest
        var out: [String] = []
        out.append("# \(manifest.document.number) 规则手册 / Rule handbook")
        out.append("")
        out.append("《\(manifest.title.zh)》")
        out.append("")
        out.append("*\(manifest.title.en)*")
        out.append("")
        var facts = ["发文机关 / issuer: \(manifest.document.issuer)"]
        if let signed = manifest.document.signedOn { facts.append("成文日期 / signed: \(signed)") }
        facts.append("规则包 / pack: `\(manifest.id)`")
        out.append(facts.joined(separator: " · "))
        out.append("")
        out.append("> 本手册由 `policycheck rules doc` 从规则文件生成，请勿手工修改。 / Generated from the rule files by `policycheck rules doc`; do not edit by hand.")
        out.append("")
        let summaries = pack.allRuleSummaries
        out.append("| 条款 / clause | 标题 / title | 状态 / status | 规则 / rules |")
        out.append("|---|---|---|---|")
        for clause in manifest.clauses {
            let count = summaries.filter { $0.clause == clause.number }.count
            out.append("| [\(clause.number)](#\(anchor(clause))) | \(clause.title) / \(clause.titleEnglish) | \(clause.status.rawValue) | \(count) |")
        }
        for clause in manifest.clauses {
            out.append("")
            out.append("## \(clause.number)\(clause.title) — \(clause.titleEnglish)")
            out.append("")
            out.append("\(clause.part) · 状态 / status: **\(clause.status.rawValue)**")
            out.append("")
            out.append("> \(clause.text)")
            if !clause.manual.isEmpty {
                out.append("")
                out.append("**人工核查 / manual:** \(clause.manual)")
            }
            for summary in summaries where summary.clause == clause.number {
                out.append("")
                out += rule(summary)
            }
        }
        out.append("")
        out.append("## 参数 / Parameters")
        out.append("")
        out.append("核实标记 / marks: S 文件本身规定 / stated in the document · V 已核对原文 / verified · T 第三方转载 / third-party · U 未核实 / unverified")
        out.append("")
        out.append("| 参数 / parameter | 默认值 / default | 单位 / unit | 标记 / mark | 说明 / description | 来源 / source |")
        out.append("|---|---|---|---|---|---|")
        for parameter in manifest.parameters {
            let description = parameter.description.map { "\($0.zh) / \($0.en)" } ?? ""
            out.append("| `\(parameter.name)` | \(cell(display(parameter.value))) | \(parameter.unit) | \(parameter.status.rawValue) | \(cell(description)) | \(cell(parameter.source)) |")
        }
        if !manifest.profiles.isEmpty {
            out.append("")
            out.append("## 参数方案 / Profiles")
            for profile in manifest.profiles {
                out.append("")
                out.append("### `\(profile.name)`")
                out.append("")
                out.append("\(profile.description.zh) / \(profile.description.en)")
                if !profile.parameters.isEmpty {
                    out.append("")
                    out.append(profile.parameters.map { "`\($0.name.value)`" }.joined(separator: ", "))
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func rule(_ summary: RuleSummary) -> [String] {
        var out = ["### \(summary.id)", "", "\(summary.title.zh) / \(summary.title.en)", ""]
        var facts = ["严重程度 / severity: `\(summary.severity.rawValue)`", "记录类型 / record type: `\(summary.appliesTo)`"]
        if summary.isAggregate { facts.append("汇总规则 / aggregate rule") }
        if !summary.enabled { facts.append("默认关闭 / off by default") }
        out.append(facts.joined(separator: " · "))
        out.append("")
        out.append("- 依据 / basis: \(summary.basis)")
        if !summary.source.isEmpty { out.append("- 来源 / source: \(summary.source)") }
        var parameters: [String] = []
        var examples: [(Bool, String)] = []
        if let rule = pack.rule(summary.id) {
            for (name, expression) in rule.letTexts { out.append("- 令 / let `\(name)` = `\(code(expression))`") }
            if let when = rule.whenText { out.append("- 条件 / when: `\(code(when))`") }
            out.append("- 要求 / require: `\(code(rule.requireText))`")
            parameters = rule.parameters
            examples = rule.examples.map { ($0.expectsViolation, render($0.record)) }
        } else if let rule = pack.aggregateRule(summary.id) {
            if let filter = rule.whereText { out.append("- 筛选 / where: `\(code(filter))`") }
            out.append("- 分组 / group by: \(rule.keyNames.map { "`\($0)`" }.joined(separator: ", "))")
            for (name, expression) in rule.letTexts { out.append("- 令 / let `\(name)` = `\(code(expression))`") }
            out.append("- 要求 / require: `\(code(rule.requireText))`")
            parameters = rule.parameters
            examples = rule.examples.map { example in
                let records = example.records.map(render).joined(separator: ", ")
                let period = example.period.map { "period \($0): " } ?? ""
                return (example.expectsViolation, "\(period)[\(records)]")
            }
        }
        if !parameters.isEmpty {
            out.append("- 参数 / parameters: " + parameters.map { name in
                let value = pack.parameters[name].map(display) ?? "—"
                let definition = pack.manifest.parameters.first { $0.name == name }
                return "`\(name)` = \(value)\(definition.map { " \($0.unit) [\($0.status.rawValue)]" } ?? "")"
            }.joined(separator: "; "))
        }
        for (fails, text) in examples {
            out.append("- \(fails ? "违反 / fail" : "通过 / pass"): `\(code(text))`")
        }
        return out
    }

    /// A record as its non-default fields, in the schema's order.
    private func render(_ record: Record) -> String {
        guard let schema = pack.schemas[record.type] else { return Value.object(record.value).literalDescription }
        return render(record.value, fields: schema.object.fields)
    }

    private func render(_ object: ObjectValue, fields: [FieldSchema]) -> String {
        var parts: [String] = []
        for (index, field) in fields.enumerated() {
            let value = object.fields[index]
            if value.isNull || value == field.defaultValue { continue }
            if case .object(let nested) = value, case .object(let nestedSchema) = field.type {
                let inner = render(nested, fields: nestedSchema.fields)
                if inner != "{}" { parts.append("\(field.name): \(inner)") }
                continue
            }
            parts.append("\(field.name): \(display(value))")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    private func display(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .string(let s): s
        case .date(let d): d.description
        case .list(let items): "[" + items.map(display).joined(separator: ", ") + "]"
        case .map(let map): "{" + map.pairs.map { "\(display($0.key)): \(display($0.value))" }.joined(separator: ", ") + "}"
        default: value.literalDescription
        }
    }

    private func code(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "`", with: "'")
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    private func anchor(_ clause: Clause) -> String {
        "\(clause.number)\(clause.title)--\(clause.titleEnglish)".lowercased()
            .replacingOccurrences(of: " ", with: "-").filter { !"（）,.'’:".contains($0) }
    }
}
