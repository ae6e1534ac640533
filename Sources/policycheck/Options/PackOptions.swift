import ArgumentParser
import Foundation
import PolicyCheckKit

/// Which pack to load and how: shared by every command that checks or lists rules.
struct PackOptions: ParsableArguments {
    @Option(name: .long, help: "The rule pack folder (default: the bundled 绍政发〔2022〕6号 pack).")
    var pack: String?

    @Option(name: .long, help: "A configuration file (default: .policycheck.yml in the working directory or above).")
    var config: String?

    @Option(name: .customLong("enable-rule"), help: "Turn on an optional rule by id (repeatable).")
    var enabledRules: [String] = []

    @Option(name: .long, help: "Parameter profile: central-default or zhejiang-shaoxing (default: the parameters' defaults, which are central-default).")
    var profile: String?

    @Option(name: .customLong("limit"), help: ArgumentHelp(
        "Change a bound on input sizes or evaluation work: NAME=VALUE (repeatable).",
        discussion: "Limits and their defaults: "
            + ResourceLimits.catalogue.map { "\($0.name) (\($0.defaultValue))" }.joined(separator: ", ")
            + ". Sizes may end in KiB, MiB or GiB.",
        valueName: "name=value"))
    var limitSettings: [String] = []

    func validate() throws {
        _ = try limits()
    }

    /// The limits in force: the defaults with each `--limit` applied in order.
    func limits() throws -> ResourceLimits {
        var limits = ResourceLimits()
        for setting in limitSettings {
            if case .failure(let diagnostic) = limits.apply(setting) {
                throw ValidationError("--limit: \(diagnostic.message)\(diagnostic.help.map { " (\($0))" } ?? "")")
            }
        }
        return limits
    }

    /// The configuration in force: `--config`, or the nearest `.policycheck.yml` upwards.
    func loadConfiguration() throws -> Configuration {
        guard let path = config ?? Self.findConfiguration() else { return Configuration() }
        switch Files.text(at: path) {
        case .failure(let diagnostic):
            Console.error(diagnostic.description)
            throw ExitCode(2)
        case .success(let text):
            let (configuration, diagnostics) = Configuration.load(file: path, text: text)
            if !diagnostics.isEmpty {
                Console.error(Files.renderer(colored: Console.stderrIsTerminal).render(diagnostics))
            }
            if diagnostics.containsErrors { throw ExitCode(2) }
            return configuration
        }
    }

    static func findConfiguration() -> String? {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<32 {
            let candidate = directory.appendingPathComponent(Configuration.fileName).path
            if FileManager.default.fileExists(atPath: candidate) {
                return candidate.hasPrefix(FileManager.default.currentDirectoryPath + "/")
                    ? String(candidate.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : candidate
            }
            if directory.path == "/" { break }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// The compiled pack, or exit 2 after printing every problem of it.
    func loadPack(explicit: String? = nil, configuration: Configuration,
                  dataOverrides: [(name: Located<String>, value: LocatedNode)] = []) throws -> CompiledPack {
        guard let directory = PackLocator.locate(explicit: explicit ?? pack, configuration: configuration) else {
            Console.error("error: cannot find the bundled rule pack; pass --pack DIR or set POLICYCHECK_PACK [pack-not-found]")
            throw ExitCode(2)
        }
        let chosenProfile = profile.map { Located($0, at: SourceLocation(file: "--profile", line: 1, column: 1)) }
            ?? configuration.profile
        let options = PackCompiler.Options(parameterOverrides: configuration.parameterOverrides, dataOverrides: dataOverrides,
                                           enabledRules: Set(enabledRules + configuration.enabledRules), profile: chosenProfile,
                                           limits: try limits())
        let compilation = PackCompiler.compile(directory: directory, options: options)
        if !compilation.diagnostics.isEmpty {
            Console.error(Files.renderer(colored: Console.stderrIsTerminal, sources: compilation.sources)
                .render(compilation.diagnostics))
        }
        guard let pack = compilation.pack else {
            let count = compilation.diagnostics.filter { $0.severity == .error }.count
            Console.error("error: the rule pack at `\(directory)` has \(count) problem(s) and was not used")
            throw ExitCode(2)
        }
        return pack
    }
}

extension Severity: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
