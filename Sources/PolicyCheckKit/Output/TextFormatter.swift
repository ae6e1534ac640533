/// The report for people at a terminal: one block per finding, compiler-style locations, a summary.
public struct TextFormatter: StreamingReportFormatter {
    public static let identifier = "text"
    public static let defaultFileName = "policycheck.txt"

    public init() {}

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        var out: [UInt8] = []
        try write(report, pack: pack, options: options) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Input problems, then the findings a block each (written as they come, so an audit's need not be
    /// held at once), then the audit's counts, the gate and the summary: lines joined by newlines.
    public func write(_ report: Report, pack: CompiledPack, options: FormatOptions,
                      to output: ([UInt8]) throws -> Void) throws {
        let zh = options.language == .zh
        let presentation = ReportPresentation(report: report, pack: pack, language: options.language)
        var out: [UInt8] = []
        var started = false
        func line(_ text: some Collection<UInt8>) {
            if started { out.append(0x0A) }
            out.append(contentsOf: text)
            started = true
        }
        func line(_ text: String) { line(text.utf8) }
        for diagnostic in report.inputErrors + report.inputWarnings {
            line(options.renderDiagnostic(diagnostic))
        }
        try forEachFragment(report, pack: pack, options: options) { block in
            line(block)
            if out.count >= 1 << 20 {
                try output(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if let audit = report.audit {
            line("")
            line(zh ? "审计期间：\(audit.period ?? "—")，读取 \(audit.rowsRead) 行" : "period: \(audit.period ?? "—"), \(audit.rowsRead) rows read")
            if !audit.findingsByRule.isEmpty {
                line(zh ? "按规则：" : "by rule:")
                for (rule, count) in audit.findingsByRule.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                    line("  \(String(count).leftPadded(7))  \(rule)")
                }
            }
            if !audit.findingsByUnit.isEmpty {
                line(zh ? "按单位：" : "by unit:")
                for (unit, count) in audit.findingsByUnit.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                    line("  \(String(count).leftPadded(7))  \(unit)")
                }
            }
        }
        for note in report.gate?.waivers?.notes ?? [] {
            line(options.renderDiagnostic(note.diagnostic))
        }
        let gateLines = presentation.gateLines()
        if !gateLines.isEmpty {
            line("")
            gateLines.forEach(line)
        }
        let s = report.summary
        if started { line("") }
        line(zh
            ? "检查 \(s.records) 条记录：\(s.violations) 项发现（错误 \(s.error)，警告 \(s.warning)，提示 \(s.info)），豁免 \(s.waived)，输入错误 \(s.inputErrors)"
            : "checked \(s.records) record(s): \(s.violations) finding(s) (\(s.error) error, \(s.warning) warning, \(s.info) info), \(s.waived) waived, \(s.inputErrors) input error(s)")
        out.append(0x0A)
        try output(out)
    }

    /// One finding's block: its line, then its record, waiver, group and basis, indented.
    public func fragment(for finding: Finding, pack: CompiledPack, options: FormatOptions) -> [UInt8] {
        let zh = options.language == .zh
        func paint(_ text: String, _ code: String) -> String { options.colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var lines: [String] = []
        let place = finding.location.map { "\($0): " } ?? ""
        let colour = finding.severity == .error ? "31" : finding.severity == .warning ? "33" : "36"
        let severityWord = ReportPresentation.severityWord(finding.severity, language: options.language)
        let marker = finding.waived != nil ? (zh ? "（已豁免）" : " (waived)")
            : finding.baselineState == .unchanged ? (zh ? "（基线已有）" : " (in baseline)") : ""
        lines.append("\(paint(place, "1"))\(paint(severityWord + ":", colour)) \(finding.message)\(marker) [\(finding.ruleID) \(finding.clause)]")
        if let record = finding.record {
            lines.append(zh ? "  记录 \(record.id)（\(record.type)）" : "  record \(record.id) (\(record.type))")
        }
        if let waiver = finding.waived {
            lines.append("  " + ReportPresentation.waiverText(waiver, language: options.language))
        }
        if let text = ReportPresentation.groupText(finding, language: options.language) {
            lines.append(zh ? "  分组 \(text)" : "  group \(text)")
        }
        if let rule = pack.summary(of: finding.ruleID), !rule.basis.isEmpty, finding.kind == .violation {
            lines.append((zh ? "  依据：" : "  basis: ") + rule.basis.abbreviatedBasis)
        }
        return Array(lines.joined(separator: "\n").utf8)
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
