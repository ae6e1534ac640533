import ArgumentParser
import Foundation
import PolicyCheckKit

/// How a report is written: formats, language, files, and what fails the run.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output format: \(ReportFormatters.identifiers.joined(separator: ", ")) (default: text).",
        discussion: "Repeat it to write several formats at once, with -o FILE once per format (in the same order) or --output-dir DIR."))
    var format: [String] = []

    @Option(name: .long, help: "Language of messages: zh or en (default: zh).")
    var lang: Language?

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the run fail with exit 1: error, warning or info (default: error).")
    var failOn: Severity?

    @Option(name: [.short, .customLong("output")], help: "Write the report to this file (whole or not at all) instead of standard output; once per --format; `-` is standard output.")
    var output: [String] = []

    @Option(name: .customLong("output-dir"), help: "Write each --format to its own file in this folder (policycheck.sarif, policycheck-junit.xml, policycheck.html, …).")
    var outputDirectory: String?

    @Flag(name: .customLong("no-color"), help: "Never colour the text report (it is coloured only on a terminal).")
    var noColor = false

    /// One report to write: a format and a file, or standard output.
    struct Target {
        var format: String
        var path: String?
    }

    func validate() throws {
        for name in format where !ReportFormatters.identifiers.contains(name) {
            throw ValidationError("unknown format `\(name)`; formats: \(ReportFormatters.identifiers.joined(separator: ", "))")
        }
        if Set(format).count != format.count { throw ValidationError("a --format is named twice") }
        if outputDirectory != nil, !output.isEmpty { throw ValidationError("give -o FILE per format or --output-dir DIR, not both") }
        if format.count > 1, outputDirectory == nil, output.count != format.count {
            throw ValidationError("\(format.count) formats need -o FILE once per format, in the same order, or --output-dir DIR")
        }
        if format.count <= 1, output.count > 1 {
            throw ValidationError("-o is given \(output.count) times; name a --format for each")
        }
        if Set(output).count != output.count { throw ValidationError("two formats are written to the same -o file") }
    }

    /// The reports to write: those of the command line, or else the configuration's `format` on
    /// standard output and its `formats` to their files.
    func targets(configuration: Configuration) -> [Target] {
        let formats = format.isEmpty ? [configuration.format ?? TextFormatter.identifier] : format
        if let outputDirectory {
            return formats.map { name in
                Target(format: name, path: (outputDirectory as NSString).appendingPathComponent(ReportFormatters.type(named: name)?.defaultFileName ?? name))
            }
        }
        if !output.isEmpty { return zip(formats, output).map { Target(format: $0, path: $1 == "-" ? nil : $1) } }
        if !format.isEmpty { return [Target(format: formats[0], path: nil)] }
        return [Target(format: formats[0], path: nil)] + configuration.formats.map { Target(format: $0.format, path: $0.path) }
    }

    /// What the formatter of `target` is told: colour only for text on a terminal.
    func formatOptions(for target: Target, configuration: Configuration) -> FormatOptions {
        let colored = target.path == nil && !noColor && target.format == TextFormatter.identifier && Console.stdoutIsTerminal
        let renderer = Files.renderer(colored: colored)
        return FormatOptions(language: lang ?? configuration.language ?? .zh, colored: colored,
                             failOn: failOn(configuration), renderDiagnostic: { renderer.render($0) })
    }

    func failOn(_ configuration: Configuration) -> Severity { failOn ?? configuration.failOn ?? .error }

    /// Writes every report and returns the exit code the run calls for.
    func emit(_ report: Report, pack: CompiledPack, configuration: Configuration) throws -> Int32 {
        let targets = targets(configuration: configuration)
        let renderer = Files.renderer(colored: !noColor && Console.stderrIsTerminal)
        var textOnStandardOutput = false
        for target in targets {
            guard let formatter = ReportFormatters.formatter(named: target.format) else {
                throw ValidationError("unknown format `\(target.format)`")
            }
            let options = formatOptions(for: target, configuration: configuration)
            if let path = target.path {
                do {
                    let directory = (path as NSString).deletingLastPathComponent
                    if !directory.isEmpty, outputDirectory != nil || configuration.formats.contains(where: { $0.path == path }) {
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    }
                    try Files.writeAtomically(to: path) { sink in
                        try formatter.write(report, pack: pack, options: options, to: sink)
                    }
                } catch {
                    Console.error("error: cannot write `\(path)`: \(error.localizedDescription) [file-unwritable]")
                    return 2
                }
            } else {
                do {
                    try formatter.write(report, pack: pack, options: options) { Console.out(bytes: $0) }
                } catch {
                    Console.error("error: cannot write the report: \(error.localizedDescription)")
                    return 2
                }
                if target.format == TextFormatter.identifier { textOnStandardOutput = true }
            }
        }
        // The text report shows input errors and waiver notes; other formats only carry them, so a CI log
        // sees them on standard error too.
        let notes = report.inputErrors + (report.gate?.waivers?.notes.map(\.diagnostic) ?? [])
        if !textOnStandardOutput, !notes.isEmpty {
            Console.error(notes.map { renderer.render($0) }.joined(separator: "\n"))
        }
        return report.exitCode(failOn: failOn(configuration))
    }
}
