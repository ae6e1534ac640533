import ArgumentParser
import Foundation
import PolicyCheckKit

/// `policycheck audit FILE…`: a year (or several) of spending and activity records at once.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit batch files (CSV, JSONL, XLSX, YAML, JSON) with the per-record and the aggregate rules.",
        discussion: """
            CSV may be UTF-8 (with or without BOM) or GB18030, detected from the bytes; headers are matched to \
            fields through the schema's Chinese aliases, and a `（万元）` header is scaled to 元. Records are \
            checked on all cores; findings keep the input's order.
            """
    )

    @Argument(help: "Batch files.")
    var files: [String]

    @Option(name: .long, help: "Record type of tables whose header should not decide it (e.g. expense).")
    var type: String?

    @Option(name: .long, help: "The audit period: a year or FIRST..LAST (default: the years the data spans).")
    var period: String?

    @Option(name: .long, help: "Replace the pack's reference data: NAME=FILE (YAML, JSON or CSV; repeatable).")
    var data: [String] = []

    @Option(name: .long, help: "CSV encoding: auto, utf8 or gb18030 (default: auto).")
    var encoding: String = "auto"

    @Option(name: .long, help: "The XLSX sheet to read (default: the first).")
    var sheet: String?

    @Option(name: .long, help: "Threads to check records on (default: all cores).")
    var jobs: Int?

    @Flag(name: .customLong("no-progress"), help: "No progress line, even on a terminal.")
    var noProgress = false

    @OptionGroup var packOptions: PackOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var gateOptions: GateOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one batch file") }
        if let period, AuditPeriod(parsing: period) == nil {
            throw ValidationError("--period is a year or FIRST..LAST, e.g. 2022..2024; found `\(period)`")
        }
        if !["auto", "utf8", "gb18030"].contains(encoding) { throw ValidationError("--encoding is auto, utf8 or gb18030") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs is at least 1") }
        for item in data where !item.contains("=") { throw ValidationError("--data takes NAME=FILE, found `\(item)`") }
    }

    func run() throws {
        let configuration = try packOptions.loadConfiguration()
        let targets = outputOptions.targets(configuration: configuration)
        try InputProtection.refuseOverwriting(files + dataFiles.map(\.file), with: targets)
        let pack = try packOptions.loadPack(configuration: configuration, dataOverrides: try dataOverrides())
        var options = AuditOptions(language: outputOptions.lang ?? configuration.language ?? .zh,
                                   period: period.flatMap(AuditPeriod.init(parsing:)), recordType: type,
                                   encoding: TextEncoding(rawValue: encoding), sheet: sheet)
        if let jobs { options.workers = jobs }
        let showProgress = !noProgress && Console.stderrIsTerminal
        // Findings are streamed to disk when every report asked for can be written from there, so memory
        // stays flat however many rows there are; writing a baseline needs them all at once.
        var spool: FindingSpool?
        let formats = targets.compactMap { target in
            (ReportFormatters.formatter(named: target.format) as? any StreamingReportFormatter)
                .map { ($0, outputOptions.formatOptions(for: target, configuration: configuration)) }
        }
        if formats.count == targets.count, !gateOptions.writesBaseline {
            switch FindingSpool.make(formats: formats, pack: pack, gate: try gateOptions.gate(pack: pack, configuration: configuration)) {
            case .success(let made): spool = made
            case .failure(let diagnostic): Console.error(Files.renderer(colored: false).render(diagnostic))
            }
        }
        let started = Date()
        var audited = AuditRun(pack: pack, options: options, spool: spool).run(files) { progress in
            guard showProgress else { return }
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let share = progress.totalBytes > 0 ? 100 * progress.bytesRead / progress.totalBytes : 100
            Console.progress("\(progress.file): \(progress.rows) rows, \(Int(Double(progress.rows) / seconds)) rows/s, \(share)%")
        }
        if showProgress { Console.progress(nil) }
        audited.inputFiles = files
        // A streamed run had its waivers and baseline applied finding by finding.
        let report = spool != nil ? audited : try gateOptions.apply(to: audited, pack: pack, configuration: configuration)
        let code = try outputOptions.emit(report, pack: pack, configuration: configuration)
        if code != 0 { throw ExitCode(code) }
    }

    /// `--data NAME=FILE`, split at its first `=` (`validate` has checked there is one).
    private var dataFiles: [(name: String, file: String)] {
        data.map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    /// `--data NAME=FILE` as located nodes: the file read as YAML/JSON, or as CSV rows of strings.
    private func dataOverrides() throws -> [(name: Located<String>, value: LocatedNode)] {
        try dataFiles.map { name, file in
            switch Files.text(at: file) {
            case .failure(let diagnostic):
                Console.error(diagnostic.description)
                throw ExitCode(2)
            case .success(let text):
                let node: LocatedNode
                if file.lowercased().hasSuffix(".csv") {
                    node = ReferenceTable.node(csv: text, file: file)
                } else {
                    switch YAMLSource(file: file, text: text).documents() {
                    case .failure(let diagnostic):
                        Console.error(Files.renderer(colored: Console.stderrIsTerminal).render(diagnostic))
                        throw ExitCode(2)
                    case .success(let nodes):
                        node = nodes.first ?? .sequence([], SourceLocation(file: file, line: 1, column: 1))
                    }
                }
                return (Located(name, at: SourceLocation(file: "--data", line: 1, column: 1)), node)
            }
        }
    }
}
