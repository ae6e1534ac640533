import Foundation

/// An audit report in one self-contained HTML file that opens offline: the summary, findings by
/// clause, by unit and by rule, a sortable and filterable table of every finding, and inline SVG
/// charts (findings per clause; each unit's “三公” spending by year).
///
/// CSS, script and charts are inline; nothing is fetched. Chinese by default, English with
/// `--lang en`. The spending chart is drawn from the findings of the rules that compare a unit's
/// “三公” total with the year before (their values carry `total` and `previous.total`, their group
/// `unit` and `year`), so it shows the units and years those rules flagged.
public struct HTMLFormatter: ReportFormatter {
    public static let identifier = "html"
    public static let defaultFileName = "policycheck.html"

    /// Which rules' findings feed the “三公” chart.
    public var spendingRule: @Sendable (String) -> Bool

    public init() { spendingRule = { $0.hasPrefix("SX-17-THREE-PUBLIC-") } }

    public init(spendingRule: @escaping @Sendable (String) -> Bool) { self.spendingRule = spendingRule }

    /// One bar of the clause chart: a clause and its findings by severity.
    struct ClauseRow {
        var clause: String
        var heading: String
        var error: Int
        var warning: Int
        var info: Int
        var waived: Int
        var total: Int { error + warning + info }
    }

    /// One unit's “三公” totals by year, as the flagged findings give them.
    struct SpendingSeries {
        var unit: String
        var totals: [(year: Int, total: Decimal)]
    }

    struct RuleRow {
        var rule: String
        var title: String
        var clause: String
        var severity: Severity
        var count: Int
    }

    public func format(_ report: Report, pack: CompiledPack, options: FormatOptions) throws -> String {
        let p = ReportPresentation(report: report, pack: pack, language: options.language)
        let t = Labels(zh: p.zh)
        let s = report.summary
        let verdict = p.verdict(failOn: options.failOn)
        var html = """
            <!DOCTYPE html>
            <html lang="\(p.zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>\(e(t.title)) — \(e(report.document))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header>
            <h1>\(e(t.title))</h1>
            <p class="meta">\(e(report.document)) · \(e(pack.manifest.title[options.language])) · policycheck \(e(report.toolVersion))\(report.audit?.period.map { " · " + e(t.period) + " " + e($0) } ?? "")</p>
            <nav><a href="#summary">\(e(t.summary))</a><a href="#by-clause">\(e(t.byClause))</a><a href="#spending">\(e(t.spending))</a><a href="#by-unit">\(e(t.byUnit))</a><a href="#by-rule">\(e(t.byRule))</a><a href="#findings">\(e(t.findings))</a></nav>
            </header>
            <main>
            <section id="summary">
            <h2>\(e(t.summary))</h2>
            <p class="verdict \(verdict.passed ? "pass" : "fail")">\(e(verdict.text))</p>
            <div class="cards">
            """
        let cards: [(String, Int, String)] = [
            (t.records, s.records, ""), (t.findingsCount, s.violations, ""), (t.error, s.error, "error"),
            (t.warning, s.warning, "warning"), (t.info, s.info, "info"), (t.waived, s.waived, "waived"),
            (t.inputErrors, s.inputErrors, s.inputErrors > 0 ? "error" : ""),
        ]
        for (label, value, kind) in cards {
            html += "<div class=\"card \(kind)\"><span class=\"value\">\(value)</span><span class=\"label\">\(e(label))</span></div>\n"
        }
        html += "</div>\n"
        let gateLines = p.gateLines()
        let notes = report.gate?.waivers?.notes ?? []
        if !gateLines.isEmpty || !notes.isEmpty {
            html += "<ul class=\"gate\">\n"
            for line in gateLines { html += "<li>\(e(line))</li>\n" }
            for note in notes {
                let d = note.diagnostic
                html += "<li class=\"note\"><code>\(e(d.location?.description ?? ""))</code> \(e(d.message))</li>\n"
            }
            html += "</ul>\n"
        }
        html += "</section>\n"

        // By clause: chart and table.
        let clauses = clauseRows(report, p)
        html += "<section id=\"by-clause\">\n<h2>\(e(t.byClause))</h2>\n"
        if clauses.isEmpty {
            html += "<p class=\"empty\">\(e(t.noFindings))</p>\n"
        } else {
            html += clauseChart(clauses, t)
            html += "<table class=\"sortable\"><thead><tr><th>\(e(t.clause))</th><th>\(e(t.error))</th><th>\(e(t.warning))</th><th>\(e(t.info))</th><th>\(e(t.waived))</th></tr></thead><tbody>\n"
            for row in clauses {
                html += "<tr><td data-sort=\"\(e(row.clause))\">\(e(row.heading))</td><td>\(row.error)</td><td>\(row.warning)</td><td>\(row.info)</td><td>\(row.waived)</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "</section>\n"

        // “三公” spending by unit and year.
        let series = spendingSeries(report, p)
        html += "<section id=\"spending\">\n<h2>\(e(t.spending))</h2>\n"
        if series.isEmpty {
            html += "<p class=\"empty\">\(e(t.noSpending))</p>\n"
        } else {
            html += "<p class=\"hint\">\(e(t.spendingHint))</p>\n"
            html += spendingChart(series, t)
        }
        html += "</section>\n"

        // By unit.
        html += "<section id=\"by-unit\">\n<h2>\(e(t.byUnit))</h2>\n"
        let units = unitCounts(report, p)
        if units.isEmpty {
            html += "<p class=\"empty\">\(e(t.noFindings))</p>\n"
        } else {
            let most = units.map(\.count).max() ?? 1
            html += "<table class=\"sortable\"><thead><tr><th>\(e(t.unit))</th><th>\(e(t.findingsCount))</th></tr></thead><tbody>\n"
            for (unit, count) in units {
                let width = max(2, 200 * count / max(most, 1))
                html += "<tr><td>\(e(unit))</td><td data-sort=\"\(count)\"><svg class=\"bar\" width=\"\(width + 40)\" height=\"14\" role=\"img\" aria-label=\"\(count)\"><rect width=\"\(width)\" height=\"12\" y=\"1\" class=\"error\"/><text x=\"\(width + 4)\" y=\"11\">\(count)</text></svg></td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "</section>\n"

        // By rule.
        html += "<section id=\"by-rule\">\n<h2>\(e(t.byRule))</h2>\n"
        let rules = ruleRows(report, p)
        if rules.isEmpty {
            html += "<p class=\"empty\">\(e(t.noFindings))</p>\n"
        } else {
            html += "<table class=\"sortable\"><thead><tr><th>\(e(t.rule))</th><th>\(e(t.ruleTitle))</th><th>\(e(t.clause))</th><th>\(e(t.severity))</th><th>\(e(t.findingsCount))</th></tr></thead><tbody>\n"
            for row in rules {
                html += "<tr><td><code>\(e(row.rule))</code></td><td>\(e(row.title))</td><td>\(e(row.clause))</td><td data-sort=\"\(Self.rank(row.severity))\"><span class=\"sev \(row.severity.rawValue)\">\(e(p.severityWord(row.severity)))</span></td><td>\(row.count)</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "</section>\n"

        // Every finding.
        html += findingsTable(report, p, t, failOn: options.failOn)

        if !report.inputErrors.isEmpty || !report.inputWarnings.isEmpty {
            html += "<section id=\"input\">\n<h2>\(e(t.inputProblems))</h2>\n<ul class=\"problems\">\n"
            for d in report.inputErrors + report.inputWarnings {
                html += "<li class=\"\(d.severity.rawValue)\"><code>\(e(d.location?.description ?? ""))</code> \(e(d.message)) <span class=\"code\">[\(e(d.code.rawValue))]</span></li>\n"
            }
            html += "</ul>\n</section>\n"
        }
        html += """
            </main>
            <footer>\(e(t.footer))</footer>
            <script>\(Self.script)</script>
            </body>
            </html>

            """
        return html
    }

    // MARK: - Sections

    private func findingsTable(_ report: Report, _ p: ReportPresentation, _ t: Labels, failOn: Severity) -> String {
        var html = "<section id=\"findings\">\n<h2>\(e(t.findings))</h2>\n"
        html += """
            <div class="filters">
            <input id="filter-text" type="search" placeholder="\(e(t.filterPlaceholder))" aria-label="\(e(t.filterPlaceholder))">
            <select id="filter-severity" aria-label="\(e(t.severity))"><option value="">\(e(t.allSeverities))</option><option value="error">\(e(p.severityWord(.error)))</option><option value="warning">\(e(p.severityWord(.warning)))</option><option value="info">\(e(p.severityWord(.info)))</option></select>
            <select id="filter-status" aria-label="\(e(t.status))"><option value="">\(e(t.allStatuses))</option><option value="fails">\(e(t.statusFails))</option><option value="open">\(e(t.statusOpen))</option><option value="waived">\(e(t.waived))</option><option value="baseline">\(e(t.statusBaseline))</option></select>
            <span class="count"><span id="filter-count">\(report.findings.count)</span> / \(report.findings.count)</span>
            </div>

            """
        html += "<table id=\"findings-table\" class=\"sortable findings\"><thead><tr><th>\(e(t.severity))</th><th>\(e(t.rule))</th><th>\(e(t.clause))</th><th>\(e(t.location))</th><th>\(e(t.subject))</th><th>\(e(t.unit))</th><th>\(e(t.message))</th><th>\(e(t.status))</th></tr></thead><tbody>\n"
        for (index, finding) in report.findings.enumerated() {
            let status = finding.waived != nil ? "waived" : finding.baselineState == .unchanged ? "baseline"
                : Report.fails(finding, failOn: failOn) ? "fails" : "open"
            let place = finding.location?.description ?? p.file(of: finding) ?? ""
            var statusText = p.statusWord(finding)
            if Report.fails(finding, failOn: failOn) { statusText = t.statusFails }
            var detail = ""
            if let waiver = finding.waived { detail = "<div class=\"waiver\">\(e(p.waiverText(waiver)))</div>" }
            html += "<tr data-severity=\"\(finding.severity.rawValue)\" data-status=\"\(status)\">"
                + "<td data-sort=\"\(Self.rank(finding.severity))\"><span class=\"sev \(finding.severity.rawValue)\">\(e(p.severityWord(finding.severity)))</span></td>"
                + "<td data-sort=\"\(e(finding.ruleID))\"><code>\(e(finding.ruleID))</code><div class=\"rule-title\">\(e(p.title(finding.ruleID)))</div></td>"
                + "<td>\(e(finding.clause))</td>"
                + "<td data-sort=\"\(String(format: "%08d", index))\"><code>\(e(place))</code></td>"
                + "<td>\(e(p.subject(finding)))</td>"
                + "<td>\(e(p.unit(of: finding) ?? ""))</td>"
                + "<td>\(e(finding.message))\(detail)</td>"
                + "<td><span class=\"status \(status)\">\(e(statusText))</span></td></tr>\n"
        }
        html += "</tbody></table>\n"
        if report.findings.isEmpty { html += "<p class=\"empty\">\(e(t.noFindings))</p>\n" }
        html += "</section>\n"
        return html
    }

    private func clauseRows(_ report: Report, _ p: ReportPresentation) -> [ClauseRow] {
        var rows: [String: ClauseRow] = [:]
        for finding in report.findings {
            var row = rows[finding.clause] ?? ClauseRow(clause: finding.clause, heading: p.clauseHeading(finding.clause),
                                                        error: 0, warning: 0, info: 0, waived: 0)
            if finding.waived != nil {
                row.waived += 1
            } else {
                switch finding.severity {
                case .error: row.error += 1
                case .warning: row.warning += 1
                case .info: row.info += 1
                }
            }
            rows[finding.clause] = row
        }
        // In the document's order of clauses, then any the pack does not list.
        let order = Dictionary(uniqueKeysWithValues: p.pack.manifest.clauses.enumerated().map { ($1.number, $0) })
        return rows.values.sorted { (order[$0.clause] ?? Int.max, $0.clause) < (order[$1.clause] ?? Int.max, $1.clause) }
    }

    private func ruleRows(_ report: Report, _ p: ReportPresentation) -> [RuleRow] {
        var rows: [String: RuleRow] = [:]
        for finding in report.findings {
            var row = rows[finding.ruleID] ?? RuleRow(rule: finding.ruleID, title: p.title(finding.ruleID), clause: finding.clause,
                                                      severity: p.pack.summary(of: finding.ruleID)?.severity ?? finding.severity, count: 0)
            row.count += 1
            rows[finding.ruleID] = row
        }
        return rows.values.sorted { ($1.count, $0.rule) < ($0.count, $1.rule) }
    }

    private func unitCounts(_ report: Report, _ p: ReportPresentation) -> [(unit: String, count: Int)] {
        var counts: [String: Int] = report.audit?.findingsByUnit ?? [:]
        if report.audit == nil {
            for finding in report.findings where finding.kind == .violation { counts[p.unit(of: finding) ?? "—", default: 0] += 1 }
        }
        return counts.map { (unit: $0.key, count: $0.value) }.sorted { ($1.count, $0.unit) < ($0.count, $1.unit) }
    }

    func spendingSeries(_ report: Report, _ p: ReportPresentation) -> [SpendingSeries] {
        var byUnit: [String: [Int: Decimal]] = [:]
        for finding in report.findings where spendingRule(finding.ruleID) && finding.kind == .violation {
            guard let group = finding.group,
                  let unitValue = group.first(where: { $0.name == "unit" })?.value,
                  case .number(let yearNumber)? = group.first(where: { $0.name == "year" })?.value else { continue }
            let unit = ValueFormatter.display(unitValue, language: p.language)
            let year = NSDecimalNumber(decimal: yearNumber).intValue
            if case .number(let total)? = finding.values.first(where: { $0.path == "total" })?.value {
                byUnit[unit, default: [:]][year] = total
            }
            if case .number(let previous)? = finding.values.first(where: { $0.path == "previous.total" })?.value {
                byUnit[unit, default: [:]][year - 1] = previous
            }
        }
        return byUnit.keys.sorted().map { unit in
            SpendingSeries(unit: unit, totals: (byUnit[unit] ?? [:]).sorted { $0.key < $1.key }.map { (year: $0.key, total: $0.value) })
        }
    }

    // MARK: - Charts

    private func clauseChart(_ rows: [ClauseRow], _ t: Labels) -> String {
        let labelWidth = 220, barWidth = 440, rowHeight = 26
        let height = rows.count * rowHeight + 30
        let most = max(rows.map { $0.total + $0.waived }.max() ?? 1, 1)
        var svg = "<figure><svg class=\"chart\" viewBox=\"0 0 \(labelWidth + barWidth + 60) \(height)\" width=\"\(labelWidth + barWidth + 60)\" height=\"\(height)\" role=\"img\" aria-label=\"\(e(t.byClause))\">\n"
        for (index, row) in rows.enumerated() {
            let y = index * rowHeight + 4
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(e(Self.clip(row.heading, 16)))</text>\n"
            var x = labelWidth
            for (count, kind, label) in [(row.error, "error", t.error), (row.warning, "warning", t.warning), (row.info, "info", t.info), (row.waived, "waived", t.waived)] where count > 0 {
                let width = max(2, barWidth * count / most)
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"20\" class=\"\(kind)\"><title>\(e(row.heading)) — \(e(label)) \(count)</title></rect>\n"
                x += width
            }
            svg += "<text x=\"\(x + 6)\" y=\"\(y + 15)\">\(row.total + row.waived)</text>\n"
        }
        let legendY = rows.count * rowHeight + 20
        var legendX = labelWidth
        for (kind, label) in [("error", t.error), ("warning", t.warning), ("info", t.info), ("waived", t.waived)] {
            svg += "<rect x=\"\(legendX)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" class=\"\(kind)\"/><text x=\"\(legendX + 14)\" y=\"\(legendY)\">\(e(label))</text>\n"
            legendX += 90
        }
        svg += "</svg><figcaption>\(e(t.byClauseCaption))</figcaption></figure>\n"
        return svg
    }

    private func spendingChart(_ series: [SpendingSeries], _ t: Labels) -> String {
        let years = Array(Set(series.flatMap { $0.totals.map(\.year) })).sorted()
        let most = series.flatMap { $0.totals.map(\.total) }.max() ?? 1
        let mostValue = max(NSDecimalNumber(decimal: most).doubleValue, 1)
        let barWidth = 34, gap = 6, groupGap = 30, plotHeight = 220, top = 24, bottom = 60, left = 20
        // Wide enough for a unit's name (about eight characters) under its bars.
        let groupWidth = max(years.count * (barWidth + gap), 120)
        let width = left + series.count * (groupWidth + groupGap) + 20
        let height = top + plotHeight + bottom
        var svg = "<figure><svg class=\"chart\" viewBox=\"0 0 \(width) \(height + 24)\" width=\"\(width)\" height=\"\(height + 24)\" role=\"img\" aria-label=\"\(e(t.spending))\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - 10)\" y2=\"\(top + plotHeight)\" class=\"axis\"/>\n"
        for (groupIndex, unitSeries) in series.enumerated() {
            let groupX = left + groupIndex * (groupWidth + groupGap) + 10
            let barsX = groupX + (groupWidth - years.count * (barWidth + gap)) / 2
            for (yearIndex, year) in years.enumerated() {
                guard let total = unitSeries.totals.first(where: { $0.year == year })?.total else { continue }
                // Pixels only: the amount printed is the exact decimal.
                let barHeight = max(1, Int((NSDecimalNumber(decimal: total).doubleValue / mostValue * Double(plotHeight)).rounded()))
                let x = barsX + yearIndex * (barWidth + gap)
                let y = top + plotHeight - barHeight
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(barHeight)\" class=\"year\(yearIndex % 4)\"><title>\(e(unitSeries.unit)) \(year)：\(e(Self.amount(total))) \(e(t.yuan))</title></rect>\n"
                svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(y - 4)\" text-anchor=\"middle\" class=\"small\">\(e(Self.shortAmount(total, t)))</text>\n"
                svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plotHeight + 14)\" text-anchor=\"middle\" class=\"small\">\(year)</text>\n"
            }
            svg += "<text x=\"\(groupX + groupWidth / 2)\" y=\"\(top + plotHeight + 34)\" text-anchor=\"middle\">\(e(Self.clip(unitSeries.unit, 9)))<title>\(e(unitSeries.unit))</title></text>\n"
        }
        var legendX = left + 10
        for (index, year) in years.enumerated() {
            svg += "<rect x=\"\(legendX)\" y=\"\(height + 4)\" width=\"10\" height=\"10\" class=\"year\(index % 4)\"/><text x=\"\(legendX + 14)\" y=\"\(height + 13)\">\(year)</text>\n"
            legendX += 70
        }
        svg += "</svg><figcaption>\(e(t.spendingCaption))</figcaption></figure>\n"
        return svg
    }

    // MARK: - Text

    private func e(_ text: String) -> String { Self.escape(text) }

    /// Text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func clip(_ text: String, _ length: Int) -> String {
        text.count > length ? String(text.prefix(length - 1)) + "…" : text
    }

    static func rank(_ severity: Severity) -> Int {
        switch severity {
        case .error: 3
        case .warning: 2
        case .info: 1
        }
    }

    /// `302150` → `302,150`.
    static func amount(_ value: Decimal) -> String {
        let text = "\(value)"
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        let negative = whole.hasPrefix("-")
        if negative { whole.removeFirst() }
        var grouped = ""
        for (index, character) in whole.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + String(grouped.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A bar label: `30.2万` in Chinese, `302k` in English.
    static func shortAmount(_ value: Decimal, _ t: Labels) -> String {
        let number = NSDecimalNumber(decimal: value).doubleValue
        if t.zh { return number >= 10_000 ? String(format: "%.1f万", number / 10_000) : amount(value) }
        return number >= 1_000 ? String(format: "%.0fk", number / 1_000) : amount(value)
    }

    /// The words of the page in the report's language.
    struct Labels {
        var zh: Bool
        private func l(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        var title: String { l("政策合规检查报告", "Policy compliance report") }
        var period: String { l("审计期间", "period") }
        var summary: String { l("概况", "Summary") }
        var byClause: String { l("按条款", "By clause") }
        var byClauseCaption: String { l("各条款的发现数（按级别堆叠；已豁免单列）", "Findings per clause, stacked by severity; waived ones apart") }
        var spending: String { l("“三公”经费", "“Three public” spending") }
        var spendingHint: String { l("数据取自比较单位“三公”经费与上年的规则所标记的单位和年度。", "From the units and years flagged by the rules that compare a unit's “three public” total with the year before.") }
        var spendingCaption: String { l("各单位“三公”经费（元），按年度", "Each unit's “three public” spending (yuan) by year") }
        var noSpending: String { l("本次检查没有关于“三公”经费年度变化的发现。", "No finding of this run compares “three public” spending between years.") }
        var byUnit: String { l("按单位", "By unit") }
        var byRule: String { l("按规则", "By rule") }
        var findings: String { l("全部发现", "All findings") }
        var records: String { l("记录", "records") }
        var findingsCount: String { l("发现", "findings") }
        var error: String { l("错误", "error") }
        var warning: String { l("警告", "warning") }
        var info: String { l("提示", "info") }
        var waived: String { l("已豁免", "waived") }
        var inputErrors: String { l("输入错误", "input errors") }
        var inputProblems: String { l("输入问题", "Input problems") }
        var clause: String { l("条款", "clause") }
        var rule: String { l("规则", "rule") }
        var ruleTitle: String { l("规则名称", "title") }
        var severity: String { l("级别", "severity") }
        var location: String { l("位置", "location") }
        var subject: String { l("记录/分组", "record / group") }
        var unit: String { l("单位", "unit") }
        var message: String { l("说明", "message") }
        var status: String { l("状态", "status") }
        var statusFails: String { l("未通过", "fails the run") }
        var statusOpen: String { l("待处理", "open") }
        var statusBaseline: String { l("基线已有", "in baseline") }
        var allSeverities: String { l("全部级别", "all severities") }
        var allStatuses: String { l("全部状态", "all statuses") }
        var filterPlaceholder: String { l("筛选：规则、记录、单位、说明……", "Filter: rule, record, unit, message…") }
        var noFindings: String { l("没有发现。", "No findings.") }
        var yuan: String { l("元", "yuan") }
        var footer: String { l("由 policycheck 生成。点击表头排序。", "Made by policycheck. Click a column heading to sort.") }
    }

    static let css = """
        :root{--error:#c62828;--warning:#ef6c00;--info:#1565c0;--waived:#9e9e9e;--ink:#222;--muted:#666;--line:#ddd}
        *{box-sizing:border-box}body{margin:0;font:14px/1.5 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;color:var(--ink);background:#fafafa}
        header{background:#263238;color:#fff;padding:16px 24px}header h1{margin:0 0 4px;font-size:22px}.meta{margin:0;color:#cfd8dc}
        nav{margin-top:8px}nav a{color:#fff;margin-right:16px;text-decoration:none;border-bottom:1px dotted #90a4ae}
        main{padding:8px 24px 24px;max-width:1400px}section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:16px 0}
        h2{font-size:18px;margin:0 0 10px}.verdict{font-size:18px;font-weight:bold;margin:0 0 10px}.verdict.pass{color:#2e7d32}.verdict.fail{color:var(--error)}
        .cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px;background:#fff}
        .card .value{display:block;font-size:24px;font-weight:bold}.card .label{color:var(--muted)}
        .card.error .value{color:var(--error)}.card.warning .value{color:var(--warning)}.card.info .value{color:var(--info)}.card.waived .value{color:var(--waived)}
        .gate{margin:12px 0 0;padding-left:20px}.gate .note{color:var(--warning)}
        table{border-collapse:collapse;width:100%;margin-top:8px}th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
        th{background:#eceff1;cursor:pointer;user-select:none;white-space:nowrap}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
        tr[hidden]{display:none}code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
        .rule-title{color:var(--muted);font-size:12px}.waiver{color:var(--muted);font-size:12px;margin-top:2px}
        .sev{font-weight:bold}.sev.error{color:var(--error)}.sev.warning{color:var(--warning)}.sev.info{color:var(--info)}
        .status{white-space:nowrap;border-radius:3px;padding:1px 6px;font-size:12px;background:#eceff1}.status.fails{background:#ffebee;color:var(--error)}.status.waived{color:var(--waived)}
        .filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center}.filters input{flex:1;min-width:240px;padding:6px}.filters select{padding:5px}.count{color:var(--muted)}
        svg.chart{max-width:100%;height:auto;font-size:12px}svg text{fill:var(--ink)}svg .small{font-size:10px}svg .axis{stroke:#999}
        rect.error{fill:var(--error)}rect.warning{fill:var(--warning)}rect.info{fill:var(--info)}rect.waived{fill:var(--waived)}
        rect.year0{fill:#90a4ae}rect.year1{fill:#546e7a}rect.year2{fill:#c62828}rect.year3{fill:#6a1b9a}
        svg.bar text{font-size:11px}figure{margin:0}figcaption{color:var(--muted);font-size:12px}.empty,.hint{color:var(--muted)}
        .problems li.error{color:var(--error)}.problems .code{color:var(--muted)}footer{color:var(--muted);padding:0 24px 24px}
        """

    /// Sorting for every `table.sortable`, filtering for the findings table; a few lines, no library.
    static let script = """
        (function () {
          'use strict';
          function key(row, index) {
            var cell = row.cells[index];
            return cell ? (cell.getAttribute('data-sort') || cell.textContent.trim()) : '';
          }
          function compare(a, b) {
            var x = Number(a), y = Number(b);
            if (a !== '' && b !== '' && !isNaN(x) && !isNaN(y)) { return x - y; }
            return a.localeCompare(b, document.documentElement.lang);
          }
          Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
            var headings = table.tHead.rows[0].cells;
            Array.prototype.forEach.call(headings, function (heading, index) {
              heading.setAttribute('tabindex', '0');
              function sort() {
                var direction = heading.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
                Array.prototype.forEach.call(headings, function (other) { other.removeAttribute('aria-sort'); });
                heading.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) { return compare(key(a, index), key(b, index)) * direction; });
                rows.forEach(function (row) { body.appendChild(row); });
              }
              heading.addEventListener('click', sort);
              heading.addEventListener('keydown', function (event) { if (event.key === 'Enter') { sort(); } });
            });
          });
          var table = document.getElementById('findings-table');
          var text = document.getElementById('filter-text');
          var severity = document.getElementById('filter-severity');
          var status = document.getElementById('filter-status');
          var count = document.getElementById('filter-count');
          if (!table || !text || !severity || !status || !count) { return; }
          function filter() {
            var query = text.value.trim().toLowerCase();
            var shown = 0;
            Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
              var visible = (!query || row.textContent.toLowerCase().indexOf(query) >= 0) &&
                (!severity.value || row.getAttribute('data-severity') === severity.value) &&
                (!status.value || row.getAttribute('data-status') === status.value);
              row.hidden = !visible;
              if (visible) { shown += 1; }
            });
            count.textContent = String(shown);
          }
          [text, severity, status].forEach(function (control) {
            control.addEventListener('input', filter);
            control.addEventListener('change', filter);
          });
          filter();
        })();
        """
}
