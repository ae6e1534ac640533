import ArgumentParser
import Foundation
import PolicyCheckKit

/// Waivers and baselines: what may fail a run in CI. Applied by `ReportGate`, the one place that
/// marks findings waived or already known, before any format is written.
struct GateOptions: ParsableArguments {
    @Option(name: .long, help: "A waivers file: accepted exceptions with reason, approver, approval document and expiry (default: `waivers` in the configuration).")
    var waivers: String?

    @Flag(name: .customLong("no-waivers"), help: "Apply no waivers: show the raw result.")
    var noWaivers = false

    @Option(name: .long, help: "Fail only on findings not in this baseline file (default: `baseline` in the configuration).")
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: "Record today's open findings in FILE; unless --baseline names another, the run is judged against it.")
    var writeBaseline: String?

    func validate() throws {
        if noWaivers, waivers != nil { throw ValidationError("--waivers and --no-waivers contradict each other") }
        if let baseline, let writeBaseline, baseline == writeBaseline {
            throw ValidationError("--baseline and --write-baseline name the same file; to refresh a baseline, pass --write-baseline alone")
        }
    }

    /// The waivers and baseline in force, or nil when neither is; exits 2 when a file named cannot be used.
    func gate(pack: CompiledPack, configuration: Configuration) throws -> ReportGate? {
        let (waiverSet, known) = try load(pack: pack, configuration: configuration)
        return waiverSet == nil && known == nil ? nil : ReportGate(waivers: waiverSet, baseline: known, today: Self.today())
    }

    /// Whether the run writes a baseline: it needs every finding at once.
    var writesBaseline: Bool { writeBaseline != nil }

    /// The report with waivers and the baseline applied; writes the baseline when asked.
    func apply(to report: Report, pack: CompiledPack, configuration: Configuration) throws -> Report {
        let (waiverSet, known) = try load(pack: pack, configuration: configuration)
        let today = Self.today()
        var gated = ReportGate(waivers: waiverSet, baseline: known, today: today).apply(to: report)
        if let writeBaseline {
            var recorded = Baseline(recording: gated)
            do {
                try Files.writeAtomically(try recorded.encoded(), to: writeBaseline)
            } catch {
                Console.error("error: cannot write `\(writeBaseline)`: \(error.localizedDescription) [file-unwritable]")
                throw ExitCode(2)
            }
            let count = recorded.entries.map(\.count).reduce(0, +)
            Console.error("policycheck: wrote the baseline `\(writeBaseline)` with \(count) finding(s)")
            if known == nil {
                recorded.file = writeBaseline
                gated = ReportGate(waivers: waiverSet, baseline: recorded, today: today).apply(to: report)
            }
        }
        return gated
    }

    /// The waivers file and the baseline the options and configuration name, read and checked.
    private func load(pack: CompiledPack, configuration: Configuration) throws -> (WaiverSet?, Baseline?) {
        let renderer = Files.renderer(colored: Console.stderrIsTerminal)
        var waiverSet: WaiverSet?
        // A file named on the command line, or by the configuration (whose key a problem then points at).
        let waiverFile: (path: String, namedAt: SourceLocation?)? = noWaivers ? nil
            : waivers.map { ($0, nil) } ?? configuration.waivers.map { ($0.value, $0.location) }
        if let waiverFile {
            let text = try read(waiverFile, what: "waivers", renderer: renderer)
            let (set, diagnostics) = WaiverLoader.load(file: waiverFile.path, text: text, pack: pack)
            if !diagnostics.isEmpty { Console.error(renderer.render(diagnostics)) }
            if diagnostics.containsErrors {
                Console.error("error: the waivers file `\(waiverFile.path)` has \(diagnostics.filter { $0.severity == .error }.count) problem(s) and was not used")
                throw ExitCode(2)
            }
            waiverSet = set
        }
        // Refreshing a baseline does not read the old one: it may not exist yet.
        let baselineFile: (path: String, namedAt: SourceLocation?)? = baseline.map { ($0, nil) }
            ?? (writeBaseline == nil ? configuration.baseline.map { ($0.value, $0.location) } : nil)
        var known: Baseline?
        if let baselineFile {
            let text = try read(baselineFile, what: "baseline", renderer: renderer)
            let (loaded, diagnostics) = BaselineLoader.load(file: baselineFile.path, text: text, packID: pack.manifest.id)
            if !diagnostics.isEmpty { Console.error(renderer.render(diagnostics)) }
            guard let loaded, !diagnostics.containsErrors else {
                Console.error("error: the baseline `\(baselineFile.path)` could not be read")
                throw ExitCode(2)
            }
            known = loaded
        }
        return (waiverSet, known)
    }

    /// The file's text, or exit 2 with an error that points at the configuration key that named it.
    private func read(_ file: (path: String, namedAt: SourceLocation?), what: String, renderer: DiagnosticRenderer) throws -> String {
        switch Files.text(at: file.path) {
        case .success(let text): return text
        case .failure(var diagnostic):
            diagnostic.message = "cannot read the \(what) file: \(diagnostic.message)"
            if let namedAt = file.namedAt { diagnostic.location = namedAt }
            if what == "baseline" { diagnostic.help = diagnostic.help ?? "write one with `--write-baseline \(file.path)`" }
            Console.error(renderer.render(diagnostic))
            throw ExitCode(2)
        }
    }

    /// The local calendar day, on which waivers' expiry is judged.
    static func today() -> LocalDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? LocalDate(daysSinceEpoch: Int(Date().timeIntervalSince1970 / 86_400))
    }
}
