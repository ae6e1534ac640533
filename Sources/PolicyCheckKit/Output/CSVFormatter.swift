import Foundation

/// One row per finding, for a spreadsheet: UTF-8 with a byte-order mark so that Excel reads the
/// Chinese text correctly, CRLF line ends and RFC 4180 quoting.
///
/// Headers are in the report's language. A cell that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-`, `@`) is prefixed with `'`, so opening a report never runs one.
public struct CSVFormatter: ReportFormatter {
    public static let identifier = "csv"
    public static let defaultFileName = "policycheck.csv"
    public static let byteOrderMark = "\u{FEFF}"

    public init() {}

    /// The columns, in order.
    struct Row {
        var file: String
        var line: String
        var column: String
        var severity: String
        var rule: String
        var clause: String
        var kind: String
        var record: String
        var recordType: String
        var group: String
        var message: String
        var status: String
        var waiverReason: String
        var waiverApprover: String
        var waiverDocument: String
        var waiverExpires: String
        var fingerprint: String

        var cells: [String] {
            [file, line, column, severity, rule, clause, kind, record, recordType, group, message, status,
             waiverReason, waiverApprover, waiverDocument, waiverExpires, fingerprint]
        }

        static func header(_ language: Language) -> Row {
            language == .zh
                ? Row(file: "文件", line: "行", column: "列", severity: "级别", rule: "规则", clause: "条款", kind: "类型",
                      record: "记录编号", recordType: "记录类型", group: "分组", message: "说明", status: "状态",
                      waiverReason: "豁免理由", waiverApprover: "批准人", waiverDocument: "批复文号", waiverExpires: "豁免有效期至",
                      fingerprint: "指纹")
                : Row(file: "file", line: "line", column: "column", severity: "severity", rule: "rule", clause: "clause",
                      kind: "kind", record: "record", recordType: "record type", group: "group", message: "message",
                      status: "status", waiverReason: "waiver reason", waiverApprover: "approver",
                      waiverDocument: "approval document", waiverExpires: "waiver expires", fingerprint: "fingerprint")
        }
    }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let p = ReportPresentation(report: report, pack: pack, language: options.language)
        var rows = [Row.header(options.language)]
        for finding in report.findings {
            rows.append(Row(
                file: p.file(of: finding) ?? "", line: finding.location.map { "\($0.line)" } ?? "",
                column: finding.location.map { "\($0.column)" } ?? "", severity: p.severityWord(finding.severity),
                rule: finding.ruleID, clause: finding.clause, kind: finding.kind.rawValue, record: finding.record?.id ?? "",
                recordType: finding.record?.type ?? "", group: p.groupText(finding) ?? "", message: finding.message,
                status: p.statusWord(finding), waiverReason: finding.waived?.reason ?? "",
                waiverApprover: finding.waived?.approver ?? "", waiverDocument: finding.waived?.document ?? "",
                waiverExpires: finding.waived?.expires.description ?? "", fingerprint: finding.fingerprint))
        }
        return Self.byteOrderMark + rows.map { $0.cells.map(Self.cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One cell: formula triggers defused, quoted when it holds a comma, quote or line break.
    public static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
