/// The report for people at a terminal: one block per finding, compiler-style locations, a summary.
public struct TextFormatter: ReportFormatter {
    public static let identifier = "text"
    public static let defaultFileName = "policycheck.txt"

    public init() {}

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let zh = options.language == .zh
        let presentation = ReportPresentation(report: report, pack: pack, language: options.language)
        var lines: [String] = []
        func paint(_ text: String, _ code: String) -> String { options.colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        for diagnostic in report.inputErrors + report.inputWarnings {
            lines.append(options.renderDiagnostic(diagnostic))
        }
        for finding in report.findings {
            let place = finding.location.map { "\($0): " } ?? ""
            let colour = finding.severity == .error ? "31" : finding.severity == .warning ? "33" : "36"
            let severityWord = zh ? ["error": "错误", "warning": "警告", "info": "提示"][finding.severity.rawValue] ?? "" : finding.severity.rawValue
            let marker = finding.waived != nil ? (zh ? "（已豁免）" : " (waived)")
                : finding.baselineState == .unchanged ? (zh ? "（基线已有）" : " (in baseline)") : ""
            lines.append("\(paint(place, "1"))\(paint(severityWord + ":", colour)) \(finding.message)\(marker) [\(finding.ruleID) \(finding.clause)]")
            if let record = finding.record {
                lines.append(zh ? "  记录 \(record.id)（\(record.type)）" : "  record \(record.id) (\(record.type))")
            }
            if let waiver = finding.waived {
                lines.append("  " + presentation.waiverText(waiver))
            }
            if let group = finding.group {
                let text = group.map { "\($0.name)=\(ValueFormatter.display($0.value, language: options.language))" }.joined(separator: ", ")
                lines.append(zh ? "  分组 \(text)" : "  group \(text)")
            }
            if let rule = pack.summary(of: finding.ruleID), !rule.basis.isEmpty, finding.kind == .violation {
                lines.append((zh ? "  依据：" : "  basis: ") + rule.basis.abbreviatedBasis)
            }
        }
        if let audit = report.audit {
            lines.append("")
            lines.append(zh ? "审计期间：\(audit.period ?? "—")，读取 \(audit.rowsRead) 行" : "period: \(audit.period ?? "—"), \(audit.rowsRead) rows read")
            if !audit.findingsByRule.isEmpty {
                lines.append(zh ? "按规则：" : "by rule:")
                for (rule, count) in audit.findingsByRule.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                    lines.append("  \(String(count).leftPadded(7))  \(rule)")
                }
            }
            if !audit.findingsByUnit.isEmpty {
                lines.append(zh ? "按单位：" : "by unit:")
                for (unit, count) in audit.findingsByUnit.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                    lines.append("  \(String(count).leftPadded(7))  \(unit)")
                }
            }
        }
        for note in report.gate?.waivers?.notes ?? [] {
            lines.append(options.renderDiagnostic(note.diagnostic))
        }
        let gateLines = presentation.gateLines()
        if !gateLines.isEmpty {
            lines.append("")
            lines += gateLines
        }
        let s = report.summary
        let summary = zh
            ? "检查 \(s.records) 条记录：\(s.violations) 项发现（错误 \(s.error)，警告 \(s.warning)，提示 \(s.info)），豁免 \(s.waived)，输入错误 \(s.inputErrors)"
            : "checked \(s.records) record(s): \(s.violations) finding(s) (\(s.error) error, \(s.warning) warning, \(s.info) info), \(s.waived) waived, \(s.inputErrors) input error(s)"
        if !lines.isEmpty { lines.append("") }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate var abbreviatedBasis: String {
        count > 90 ? String(prefix(88)) + "……" : self
    }
}
