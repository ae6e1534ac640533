import Foundation

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, which the
/// runner turns into annotations on the pull request's files.
///
/// Findings that fail the run are `error` or `warning` by severity; `info` findings, waived
/// findings and findings already in the baseline are `notice`s, so the annotations that look like
/// failures are the ones that fail. Input problems and waivers that expired or match nothing are
/// annotated at their own place. The last line is the summary.
public struct GitHubFormatter: ReportFormatter {
    public static let identifier = "github"
    public static let defaultFileName = "policycheck-github.txt"

    public init() {}

    /// One workflow command.
    struct Command {
        var level: String
        var file: String?
        var line: Int?
        var column: Int?
        var title: String
        var message: String

        var text: String {
            var properties: [String] = []
            if let file { properties.append("file=" + GitHubFormatter.escapeProperty(file)) }
            if let line { properties.append("line=\(line)") }
            if let column { properties.append("col=\(column)") }
            properties.append("title=" + GitHubFormatter.escapeProperty(title))
            return "::\(level) \(properties.joined(separator: ","))::\(GitHubFormatter.escapeData(message))"
        }
    }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let presentation = ReportPresentation(report: report, pack: pack, language: options.language)
        let zh = options.language == .zh
        var commands: [Command] = []
        for diagnostic in report.inputErrors {
            commands.append(command(diagnostic, level: "error", title: zh ? "输入错误 [\(diagnostic.code.rawValue)]" : "input error [\(diagnostic.code.rawValue)]"))
        }
        for diagnostic in report.inputWarnings {
            commands.append(command(diagnostic, level: "warning", title: zh ? "输入警告 [\(diagnostic.code.rawValue)]" : "input warning [\(diagnostic.code.rawValue)]"))
        }
        for finding in report.findings {
            let level: String
            var message = finding.message
            if let waiver = finding.waived {
                level = "notice"
                message += " — " + presentation.waiverText(waiver)
            } else if finding.baselineState == .unchanged {
                level = "notice"
                message += zh ? "（基线已有）" : " (in baseline)"
            } else {
                level = finding.severity == .error ? "error" : finding.severity == .warning ? "warning" : "notice"
            }
            if let record = finding.record {
                message += zh ? "（记录 \(record.id)）" : " (record \(record.id))"
            } else if let group = presentation.groupText(finding) {
                message += zh ? "（分组 \(group)）" : " (group \(group))"
            }
            commands.append(Command(level: level, file: presentation.file(of: finding), line: finding.location?.line,
                                    column: finding.location?.column,
                                    title: "\(finding.ruleID) \(finding.clause) \(presentation.title(finding.ruleID))",
                                    message: message))
        }
        for note in report.gate?.waivers?.notes ?? [] {
            commands.append(command(note.diagnostic, level: "warning", title: note.kind == .expired
                ? (zh ? "豁免已过期" : "waiver expired") : (zh ? "豁免未匹配任何发现" : "waiver matches nothing")))
        }
        var lines = commands.map(\.text)
        lines += presentation.gateLines()
        let s = report.summary
        lines.append(zh
            ? "policycheck：检查 \(s.records) 条记录：\(s.violations) 项发现（错误 \(s.error)，警告 \(s.warning)，提示 \(s.info)），豁免 \(s.waived)，输入错误 \(s.inputErrors)"
            : "policycheck: checked \(s.records) record(s): \(s.violations) finding(s) (\(s.error) error, \(s.warning) warning, \(s.info) info), \(s.waived) waived, \(s.inputErrors) input error(s)")
        return lines.joined(separator: "\n") + "\n"
    }

    private func command(_ diagnostic: Diagnostic, level: String, title: String) -> Command {
        Command(level: level, file: diagnostic.location?.file, line: diagnostic.location?.line, column: diagnostic.location?.column,
                title: title, message: diagnostic.help.map { "\(diagnostic.message) (\($0))" } ?? diagnostic.message)
    }

    /// The message after `::`: `%`, CR and LF escaped as the runner expects.
    public static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A property value: as data, plus `:` and `,`, which separate properties.
    public static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
