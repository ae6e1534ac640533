import Foundation

/// A summary a pull-request comment or a GitHub job summary can carry: the verdict, counts by
/// severity, the findings that fail the run, then the rest, waivers, the baseline and input errors.
///
/// Tables stop at `maxRows` rows each, so the comment stays within GitHub's 65,536 characters.
public struct MarkdownFormatter: ReportFormatter {
    public static let identifier = "markdown"
    public static let defaultFileName = "policycheck.md"

    public var maxRows: Int

    public init() { maxRows = 100 }

    public init(maxRows: Int) { self.maxRows = maxRows }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let p = ReportPresentation(report: report, pack: pack, language: options.language)
        let zh = p.zh
        let s = report.summary
        var out: [String] = []
        let verdict = p.verdict(failOn: options.failOn)
        out.append("## policycheck — \(Self.escape(report.document))")
        out.append("")
        out.append("\(verdict.passed ? "✅" : "❌") **\(verdict.text)** — " + (zh
            ? "检查 \(s.records) 条记录：\(s.violations) 项发现（错误 \(s.error)，警告 \(s.warning)，提示 \(s.info)），豁免 \(s.waived)，输入错误 \(s.inputErrors)"
            : "checked \(s.records) record(s): \(s.violations) finding(s) (\(s.error) error, \(s.warning) warning, \(s.info) info), \(s.waived) waived, \(s.inputErrors) input error(s)"))
        out.append("")
        out.append(zh ? "| 错误 | 警告 | 提示 | 豁免 | 输入错误 |" : "| error | warning | info | waived | input errors |")
        out.append("|---:|---:|---:|---:|---:|")
        out.append("| \(s.error) | \(s.warning) | \(s.info) | \(s.waived) | \(s.inputErrors) |")
        for line in p.gateLines() {
            out.append("")
            out.append(Self.escape(line))
        }

        let failing = report.findings.filter { Report.fails($0, failOn: options.failOn) }
        let others = report.findings.filter { !Report.fails($0, failOn: options.failOn) }
        if !failing.isEmpty {
            out.append("")
            out.append(zh ? "### 导致未通过的发现（\(failing.count)）" : "### Findings that fail the run (\(failing.count))")
            out.append("")
            out += table(failing, p)
        }
        if !others.isEmpty {
            out.append("")
            out.append("<details><summary>" + (zh ? "其他发现（\(others.count)）：低于失败级别、已豁免或基线已有" : "Other findings (\(others.count)): below --fail-on, waived or in the baseline") + "</summary>")
            out.append("")
            out += table(others, p)
            out.append("")
            out.append("</details>")
        }
        let notes = report.gate?.waivers?.notes ?? []
        if !notes.isEmpty {
            out.append("")
            out.append(zh ? "### 豁免提示" : "### Waivers")
            out.append("")
            for note in notes {
                let d = note.diagnostic
                out.append("- `\(Self.code(d.location?.description ?? ""))` \(Self.escape(d.message))")
            }
        }
        if !report.inputErrors.isEmpty {
            out.append("")
            out.append(zh ? "### 输入错误（\(report.inputErrors.count)）" : "### Input errors (\(report.inputErrors.count))")
            out.append("")
            for d in report.inputErrors.prefix(maxRows) {
                out.append("- " + (d.location.map { "`\(Self.code($0.description))` " } ?? "") + Self.escape(d.message) + " [\(d.code.rawValue)]")
            }
            if report.inputErrors.count > maxRows {
                out.append(zh ? "- ……另有 \(report.inputErrors.count - maxRows) 项" : "- … and \(report.inputErrors.count - maxRows) more")
            }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    private func table(_ findings: [Finding], _ p: ReportPresentation) -> [String] {
        let zh = p.zh
        var rows = [zh ? "| 级别 | 规则 | 条款 | 位置 | 记录/分组 | 说明 | 状态 |" : "| severity | rule | clause | location | record / group | message | status |",
                    "|---|---|---|---|---|---|---|"]
        for finding in findings.prefix(maxRows) {
            let icon = finding.severity == .error ? "🔴" : finding.severity == .warning ? "🟠" : "🔵"
            let place = finding.location?.description ?? p.file(of: finding) ?? ""
            var status = p.statusWord(finding)
            if let waiver = finding.waived { status += "：" + waiver.document + (zh ? "，至 " : ", until ") + waiver.expires.description }
            rows.append("| \(icon) \(p.severityWord(finding.severity)) | `\(Self.code(finding.ruleID))` | \(Self.escape(finding.clause)) | "
                + (place.isEmpty ? "" : "`\(Self.code(place))`")
                + " | \(Self.escape(p.subject(finding))) | \(Self.escape(finding.message)) | \(Self.escape(status)) |")
        }
        if findings.count > maxRows {
            rows.append(zh ? "| | | | | | ……另有 \(findings.count - maxRows) 项，见完整报告 | |"
                : "| | | | | | … and \(findings.count - maxRows) more; see the full report | |")
        }
        return rows
    }

    /// Text in a table cell: Markdown and HTML syntax neutralised, on one line.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\n", "\r": out += " "
            case "|": out += "\\|"
            case "\\", "*", "_", "`", "[", "]", "#", "~": out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Text inside a code span: backticks and pipes cannot be escaped there, so they are replaced.
    static func code(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "¦")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
