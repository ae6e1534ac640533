import ArgumentParser
import PolicyCheckKit

/// `policycheck rules list | show ID | lint`.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and lint the rules of a pack.",
        subcommands: [List.self, Show.self, Lint.self, Coverage.self, Doc.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per rule: id, severity, clause, record type, title.")
        @OptionGroup var packOptions: PackOptions
        @Option(name: .long, help: "zh or en.") var lang: Language = .zh

        func run() throws {
            let pack = try packOptions.loadPack(configuration: try packOptions.loadConfiguration())
            var lines: [String] = []
            let enabled = Set(pack.rules.filter(\.enabled).map(\.id) + pack.aggregateRules.filter(\.enabled).map(\.id))
            for rule in pack.allRuleSummaries {
                let state = enabled.contains(rule.id) ? "" : (lang == .zh ? "（默认关闭）" : " (off by default)")
                lines.append("\(rule.id.padded(34)) \(rule.severity.rawValue.padded(8)) \(rule.clause.padded(6)) \(rule.appliesTo.padded(10)) \(rule.title[lang])\(state)")
            }
            Console.out(lines.joined(separator: "\n") + "\n")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about one rule: clause, basis, expressions, parameters, examples.")
        @Argument(help: "The rule id.") var id: String
        @OptionGroup var packOptions: PackOptions
        @Option(name: .long, help: "zh or en.") var lang: Language = .zh

        func run() throws {
            let pack = try packOptions.loadPack(configuration: try packOptions.loadConfiguration())
            if let aggregate = pack.aggregateRule(id) {
                Console.out(describe(aggregate, pack: pack))
                return
            }
            guard let rule = pack.rule(id) else {
                let help = Suggestion.help(for: id, in: pack.allRuleSummaries.map(\.id)).map { " (\($0))" } ?? ""
                Console.error("error: no rule `\(id)` in pack `\(pack.manifest.id)`\(help) [unknown-rule]")
                throw ExitCode(2)
            }
            var out = "\(rule.id) — \(rule.title[lang])\n"
            out += "  severity:   \(rule.severity.rawValue)\(rule.enabled ? "" : " (off by default)")\n"
            out += "  applies to: \(rule.appliesTo)\n"
            out += "  clause:     \(rule.clause) \(pack.clause(rule.clause)?.title ?? "")\n"
            out += "  basis:      \(rule.basis)\n"
            if !rule.source.isEmpty { out += "  source:     \(rule.source)\n" }
            if let when = rule.whenText { out += "  when:       \(when)\n" }
            out += "  require:    \(rule.requireText)\n"
            for name in rule.parameters {
                let value = pack.parameters[name].map { ValueFormatter.display($0, language: lang) } ?? "—"
                let definition = pack.manifest.parameters.first { $0.name == name }
                out += "  params.\(name) = \(value) \(definition?.unit ?? "") [\(definition?.status.rawValue ?? "?")] \(definition?.source ?? "")\n"
            }
            out += "  examples:   \(rule.examples.filter { !$0.expectsViolation }.count) pass, \(rule.examples.filter(\.expectsViolation).count) fail\n"
            out += "  defined at: \(rule.location.file)\n"
            Console.out(out)
        }

        private func describe(_ rule: CompiledAggregateRule, pack: CompiledPack) -> String {
            var out = "\(rule.id) — \(rule.title[lang])\n"
            out += "  severity:   \(rule.severity.rawValue)\(rule.enabled ? "" : " (off by default)")\n"
            out += "  applies to: \(rule.appliesTo) (aggregate: per group of \(rule.keyNames.joined(separator: ", ")))\n"
            out += "  clause:     \(rule.clause) \(pack.clause(rule.clause)?.title ?? "")\n"
            out += "  basis:      \(rule.basis)\n"
            if !rule.source.isEmpty { out += "  source:     \(rule.source)\n" }
            out += "  require:    \(rule.requireText)\n"
            for name in rule.parameters {
                let value = pack.parameters[name].map { ValueFormatter.display($0, language: lang) } ?? "—"
                let definition = pack.manifest.parameters.first { $0.name == name }
                out += "  params.\(name) = \(value) \(definition?.unit ?? "") [\(definition?.status.rawValue ?? "?")] \(definition?.source ?? "")\n"
            }
            out += "  examples:   \(rule.examples.filter { !$0.expectsViolation }.count) pass, \(rule.examples.filter(\.expectsViolation).count) fail\n"
            out += "  defined at: \(rule.location.file)\n"
            return out
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a pack and report every problem, plus clauses and parameters no rule uses.",
            discussion: "Exit 0 clean, 1 lint warnings, 2 pack errors."
        )
        @Argument(help: "The pack folder (default: the bundled pack).") var packDirectory: String?
        @OptionGroup var packOptions: PackOptions

        func run() throws {
            let pack = try packOptions.loadPack(explicit: packDirectory, configuration: try packOptions.loadConfiguration())
            var warnings: [Diagnostic] = []
            let used = Set(pack.rules.flatMap(\.parameters) + pack.aggregateRules.flatMap(\.parameters))
            for clause in pack.manifest.clauses {
                let rules = pack.allRuleSummaries.filter { $0.clause == clause.number }
                if clause.status != .manual, rules.isEmpty {
                    warnings.append(.warning(.ruleLint, "clause \(clause.number) is marked \(clause.status.rawValue) but no rule names it",
                                             at: clause.location))
                }
                if clause.status == .manual, !rules.isEmpty {
                    warnings.append(.warning(.ruleLint, "clause \(clause.number) is marked manual but \(rules.count) rule(s) name it",
                                             at: clause.location))
                }
            }
            for rule in pack.rules where rule.basis.isEmpty {
                warnings.append(.warning(.ruleLint, "rule `\(rule.id)` quotes no basis from the document", at: rule.location))
            }
            let renderer = Files.renderer(colored: Console.stderrIsTerminal, sources: pack.sources)
            if !warnings.isEmpty { Console.error(renderer.render(warnings.sortedByLocation())) }
            let unused = pack.manifest.parameters.filter { !used.contains($0.name) }.count
            Console.out("\(pack.rules.count + pack.aggregateRules.count) rules, \(pack.manifest.clauses.count) clauses, \(pack.manifest.parameters.count) parameters "
                        + "(\(unused) not yet read by any rule): \(warnings.isEmpty ? "no problems" : "\(warnings.count) warning(s)")\n")
            if !warnings.isEmpty { throw ExitCode(1) }
        }
    }
}

extension Rules {
    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The clause table: every clause, its status, its rules and what stays manual, as text, markdown or json."
        )
        @OptionGroup var packOptions: PackOptions
        @Option(name: .long, help: "text, markdown or json.") var format: String = "text"
        @Option(name: .long, help: "zh or en.") var lang: Language = .zh

        func validate() throws {
            guard ["text", "markdown", "json"].contains(format) else { throw ValidationError("--format is text, markdown or json") }
        }

        func run() throws {
            let table = CoverageTable(pack: try packOptions.loadPack(configuration: try packOptions.loadConfiguration()))
            switch format {
            case "markdown": Console.out(table.markdown(language: lang))
            case "json": Console.out(try table.json())
            default: Console.out(table.text(language: lang))
            }
        }
    }
}

extension Rules {
    struct Doc: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The pack's bilingual handbook in Markdown: per clause its wording, rules, parameters and examples.",
            discussion: "The bundled pack's handbook is kept at docs/handbook.md: policycheck rules doc -o docs/handbook.md"
        )
        @OptionGroup var packOptions: PackOptions
        @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            // The handbook documents the pack as shipped: its defaults, not a local profile or override.
            var configuration = Configuration()
            configuration.pack = try packOptions.loadConfiguration().pack
            var options = packOptions
            options.profile = nil
            let text = HandbookWriter(pack: try options.loadPack(configuration: configuration)).markdown()
            if let output {
                try Files.writeAtomically(text, to: output)
            } else {
                Console.out(text)
            }
        }
    }
}

extension String {
    /// Padded with spaces to `width` terminal columns (CJK characters take two).
    func padded(_ width: Int) -> String {
        var columns = 0
        for scalar in unicodeScalars {
            let v = scalar.value
            columns += (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) ? 2 : 1
        }
        return columns >= width ? self : self + String(repeating: " ", count: width - columns)
    }
}
