import Foundation

/// The clause table of a pack: every clause of the document, its status, the rules that
/// encode it and what stays manual, so a reader sees at once what the pack does not check.
public struct CoverageTable: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public var clause: String
        public var part: String
        public var title: String
        public var titleEnglish: String
        public var status: ClauseStatus
        public var rules: [String]
        public var manual: String

        /// The heading in `language`, as `Clause.title(in:)` gives it.
        func title(in language: Language) -> String {
            language == .zh || titleEnglish.isEmpty ? title : titleEnglish
        }
    }

    public var pack: String
    public var document: String
    public var rows: [Row]

    public init(pack: CompiledPack) {
        self.pack = pack.manifest.id
        document = pack.manifest.document.number
        rows = pack.manifest.clauses.map { clause in
            Row(clause: clause.number, part: clause.part, title: clause.title, titleEnglish: clause.titleEnglish,
                status: clause.status, rules: pack.allRuleSummaries.filter { $0.clause == clause.number }.map(\.id),
                manual: clause.manual)
        }
    }

    public func text(language: Language) -> String {
        var out = ""
        for row in rows {
            let title = row.title(in: language)
            out += "\(row.clause) \(title) — \(row.status.rawValue)"
            out += row.rules.isEmpty ? "\n" : ": \(row.rules.joined(separator: ", "))\n"
            if !row.manual.isEmpty { out += "    \(language == .zh ? "人工" : "manual"): \(manualText(row, language))\n" }
        }
        let counts = ClauseStatus.allCases.map { status in "\(rows.filter { $0.status == status }.count) \(status.rawValue)" }
        out += "\(document): \(rows.count) clauses (\(counts.joined(separator: ", "))), \(Set(rows.flatMap(\.rules)).count) rules\n"
        return out
    }

    public func markdown(language: Language) -> String {
        let header = language == .zh ? "| 条款 | 标题 | 状态 | 规则 | 人工核查部分及原因 |" : "| clause | title | status | rules | what stays manual, and why |"
        var lines = ["# \(document) — \(language == .zh ? "条款覆盖" : "clause coverage")", "", header, "|---|---|---|---|---|"]
        for row in rows {
            let title = row.title(in: language)
            let rules = row.rules.map { "`\($0)`" }.joined(separator: "<br>")
            lines.append("| \(row.clause) | \(title) | \(row.status.rawValue) | \(rules) | \(manualText(row, language).replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The manual note is written "中文 / English"; each language shows its half.
    private func manualText(_ row: Row, _ language: Language) -> String {
        let halves = row.manual.components(separatedBy: " / ")
        guard halves.count == 2 else { return row.manual }
        return language == .zh ? halves[0] : halves[1]
    }
}
