import ArgumentParser
import PolicyCheckKit

/// `policycheck test [PACK]`: run every rule's examples and the pack's test cases.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every rule's pass and fail examples and the pack's tests/ cases."
    )

    @Argument(help: "The pack folder (default: the bundled pack).")
    var packDirectory: String?

    @OptionGroup var packOptions: PackOptions

    func run() throws {
        // Examples are written against the pack's own defaults: no profile or parameter override applies.
        var configuration = Configuration()
        configuration.pack = try packOptions.loadConfiguration().pack
        var options = packOptions
        options.profile = nil
        let pack = try options.loadPack(explicit: packDirectory, configuration: configuration)
        let result = PackTestRunner(pack: pack).run()
        let renderer = Files.renderer(colored: Console.stderrIsTerminal, sources: pack.sources)
        for failure in result.failures {
            Console.error(renderer.render(.error("example-failed", failure.message, at: failure.location)))
        }
        let summary = "\(result.examplesRun) examples of \(result.ruleCount) rules and \(result.casesRun) test cases: "
            + "\(result.examplesRun + result.casesRun - result.failures.count) passed, \(result.failures.count) failed; "
            + "\(result.rulesWithBothExamples) of \(result.ruleCount) rules have both a pass and a fail example"
        Console.out(summary + "\n")
        if !result.passed { throw ExitCode(1) }
    }
}
