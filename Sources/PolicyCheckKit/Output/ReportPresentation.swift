/// What several formats say the same way: severity words, a finding's subject, its status under
/// waivers and baseline, and where to point a finding that has no record of its own.
struct ReportPresentation {
    let report: Report
    let pack: CompiledPack
    let language: Language
    private let fileByType: [String: String]

    init(report: Report, pack: CompiledPack, language: Language) {
        self.report = report
        self.pack = pack
        self.language = language
        // The first file where records of each type were seen, for findings of groups that have no record.
        var byType: [String: String] = [:]
        for record in report.checkedRecords ?? [] where byType[record.type] == nil { byType[record.type] = record.location.file }
        for finding in report.findings {
            if let record = finding.record, byType[record.type] == nil { byType[record.type] = record.location.file }
        }
        for finding in report.findings where finding.record == nil {
            if let file = finding.groupLocation?.file, let type = pack.summary(of: finding.ruleID)?.appliesTo,
               byType[type] == nil { byType[type] = file }
        }
        fileByType = byType
    }

    var zh: Bool { language == .zh }

    func severityWord(_ severity: Severity) -> String { Self.severityWord(severity, language: language) }

    /// The severity as every format words it.
    static func severityWord(_ severity: Severity, language: Language) -> String {
        guard language == .zh else { return severity.rawValue }
        switch severity {
        case .error: return "错误"
        case .warning: return "警告"
        case .info: return "提示"
        }
    }

    /// `unit=绍兴市财政局, year=2024`.
    func groupText(_ finding: Finding) -> String? { Self.groupText(finding, language: language) }

    static func groupText(_ finding: Finding, language: Language) -> String? {
        finding.group.map { group in
            group.map { "\($0.name)=\(ValueFormatter.display($0.value, language: language))" }.joined(separator: ", ")
        }
    }

    /// The record's id, or the group: what a test case or a table row is about.
    func subject(_ finding: Finding) -> String {
        if let record = finding.record { return record.id }
        return groupText(finding) ?? finding.ruleID
    }

    /// The file to show a finding in: its own location's, or for a group with no record (an
    /// expected group that is missing) the first file holding records of the rule's type, else the
    /// first input file.
    func file(of finding: Finding) -> String? {
        if let location = finding.location { return location.file }
        if let type = pack.summary(of: finding.ruleID)?.appliesTo, let file = fileByType[type] { return file }
        return report.inputFiles.first
    }

    /// `已豁免：原因（批复文号，至 2025-06-30）` or `waived: reason (document, until 2025-06-30)`.
    func waiverText(_ waiver: Waiver) -> String { Self.waiverText(waiver, language: language) }

    /// A waiver in words, as every format shows it.
    static func waiverText(_ waiver: Waiver, language: Language) -> String {
        language == .zh ? "已豁免：\(waiver.reason)（\(waiver.approver)批准，\(waiver.document)，有效期至\(waiver.expires)）"
            : "waived: \(waiver.reason) (approved by \(waiver.approver), \(waiver.document), until \(waiver.expires))"
    }

    /// The state a table shows: 待处理 / 已豁免 / 基线已有, or open / waived / in baseline.
    func statusWord(_ finding: Finding) -> String {
        if finding.waived != nil { return zh ? "已豁免" : "waived" }
        if finding.baselineState == .unchanged { return zh ? "基线已有" : "in baseline" }
        if finding.baselineState == .new { return zh ? "新增" : "new" }
        return zh ? "待处理" : "open"
    }

    /// The rule's title in the report's language, or its id when the pack does not know it.
    func title(_ ruleID: String) -> String {
        pack.summary(of: ruleID)?.title[language] ?? ruleID
    }

    /// `（九） 科学民主决策`.
    func clauseHeading(_ number: String) -> String {
        guard let clause = pack.clause(number) else { return number }
        let title = clause.title(in: language)
        return title.isEmpty ? number : "\(number) \(title)"
    }

    /// The unit a finding concerns: its group's unit, or the `unit` value the rule read.
    func unit(of finding: Finding) -> String? {
        if let value = finding.group?.first(where: { $0.name == "unit" || $0.name == "audited_unit" })?.value {
            return ValueFormatter.display(value, language: language)
        }
        if let value = finding.values.first(where: { $0.path == "unit" })?.value, !value.isNull {
            return ValueFormatter.display(value, language: language)
        }
        return nil
    }

    /// The run's verdict line, shared by the summaries of Markdown and HTML.
    func verdict(failOn: Severity) -> (passed: Bool, text: String) {
        let code = report.exitCode(failOn: failOn)
        switch code {
        case 0: return (true, zh ? "通过" : "passed")
        case 1: return (false, zh ? "未通过" : "failed")
        default: return (false, zh ? "未完成（输入错误）" : "not completed (input errors)")
        }
    }

    /// Lines about waivers and the baseline for text formats; empty when neither was used.
    func gateLines() -> [String] {
        var lines: [String] = []
        if let waivers = report.gate?.waivers {
            lines.append(zh
                ? "豁免（\(waivers.file)）：适用 \(waivers.applied) 项，已过期 \(waivers.expired.count) 条，未匹配 \(waivers.unmatched.count) 条"
                : "waivers (\(waivers.file)): \(waivers.applied) applied, \(waivers.expired.count) expired, \(waivers.unmatched.count) matching nothing")
        }
        if let baseline = report.gate?.baseline {
            let file = baseline.file.map { zh ? "（\($0)）" : " (\($0))" } ?? ""
            lines.append(zh
                ? "基线\(file)：新增 \(baseline.new) 项，已有 \(baseline.unchanged) 项，已修复 \(baseline.fixed) 项"
                : "baseline\(file): \(baseline.new) new, \(baseline.unchanged) unchanged, \(baseline.fixed) fixed")
        }
        return lines
    }
}
