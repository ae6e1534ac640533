import ArgumentParser
import PolicyCheckKit

/// How a report is written: format, language, file, and what fails the run.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: \(ReportFormatters.identifiers.joined(separator: ", ")) (default: text).")
    var format: String?

    @Option(name: .long, help: "Language of messages: zh or en (default: zh).")
    var lang: Language?

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the run fail with exit 1: error, warning or info (default: error).")
    var failOn: Severity?

    @Option(name: [.short, .customLong("output")], help: "Write the report to this file (whole or not at all) instead of standard output.")
    var output: String?

    @Flag(name: .customLong("no-color"), help: "Never colour the text report (it is coloured only on a terminal).")
    var noColor = false

    func validate() throws {
        if let format, !ReportFormatters.identifiers.contains(format) {
            throw ValidationError("unknown format `\(format)`; formats: \(ReportFormatters.identifiers.joined(separator: ", "))")
        }
    }

    /// Writes the report and returns the exit code it calls for.
    func emit(_ report: Report, pack: CompiledPack, configuration: Configuration) throws -> Int32 {
        let name = format ?? configuration.format ?? TextFormatter.identifier
        guard let formatter = ReportFormatters.formatter(named: name) else {
            throw ValidationError("unknown format `\(name)`")
        }
        let colored = output == nil && !noColor && name == TextFormatter.identifier && Console.stdoutIsTerminal
        let renderer = Files.renderer(colored: colored)
        let options = FormatOptions(language: lang ?? configuration.language ?? .zh, colored: colored,
                                    renderDiagnostic: { renderer.render($0) })
        let text = try formatter.format(report, pack: pack, options: options)
        if let output {
            do { try Files.writeAtomically(text, to: output) } catch {
                Console.error("error: cannot write `\(output)`: \(error.localizedDescription) [file-unwritable]")
                return 2
            }
            if name != TextFormatter.identifier, !report.inputErrors.isEmpty {
                Console.error(report.inputErrors.map { renderer.render($0) }.joined(separator: "\n"))
            }
        } else {
            Console.out(text)
            if name != TextFormatter.identifier, !report.inputErrors.isEmpty {
                Console.error(report.inputErrors.map { renderer.render($0) }.joined(separator: "\n"))
            }
        }
        return report.exitCode(failOn: failOn ?? configuration.failOn ?? .error)
    }
}
