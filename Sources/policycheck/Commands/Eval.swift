import ArgumentParser
import Foundation
import PolicyCheckKit

/// `policycheck eval -- EXPR`: evaluate one expression, for rule authors.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one expression, optionally against a record, with the pack's params and data.",
        discussion: "Exit 0 with the value, 1 for an evaluation error (such as division by zero), 2 for a parse or type error."
    )

    @Option(name: .long, help: "A record file whose fields the expression may name (its first record).")
    var record: String?

    @Option(name: .long, help: "Bind a variable: NAME=JSON (repeatable).")
    var bind: [String] = []

    @Option(name: .long, help: "text or json.")
    var format: String = "text"

    @OptionGroup var packOptions: PackOptions

    @Argument(parsing: .postTerminator, help: "The expression, after `--`.")
    var expression: [String] = []

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format is text or json") }
        if expression.isEmpty { throw ValidationError("give the expression after `--`, e.g. policycheck eval -- '1 + 2'") }
    }

    func run() throws {
        let configuration = try packOptions.loadConfiguration()
        let pack = try packOptions.loadPack(configuration: configuration)
        var variables: [(name: String, type: ValueType)] = []
        var values: [Value] = []
        for binding in bind {
            guard let equals = binding.firstIndex(of: "=") else {
                fail("--bind takes NAME=JSON, found `\(binding)`")
            }
            let name = String(binding[..<equals])
            switch Value.parse(json: String(binding[binding.index(after: equals)...]), file: "--bind \(name)") {
            case .failure(let diagnostic): fail(diagnostic.description)
            case .success(let value):
                variables.append((name, .dyn))
                values.append(value)
            }
        }
        var shape: ObjectShape?
        var fields: [Value] = []
        if let record {
            let input = RecordCheck.Input(file: record, text: Files.text(at: record, limit: pack.limits.fileBytes))
            guard case .success(let text) = input.text else {
                if case .failure(let diagnostic) = input.text { fail(diagnostic.description) }
                return
            }
            let result = DocumentRecordReader(schemas: pack.schemas).read(text: text, file: record)
            guard let first = result.records.first else {
                fail(Files.renderer(colored: false).render(result.diagnostics.isEmpty
                    ? [.error(.emptyFile, "no record in `\(record)`", at: nil)] : result.diagnostics))
            }
            shape = first.value.shape
            fields = first.value.fields
        }
        let text = expression.joined(separator: " ")
        switch CompiledExpression.compile(text, environment: pack.environment(recordShape: shape, variables: variables)) {
        case .failure(let diagnostic):
            if format == "json" { Console.out(json(["error": .string(diagnostic.message)])) }
            Console.error(renderExpressionProblem(diagnostic, text: text))
            throw ExitCode(2)
        case .success(let compiled):
            switch compiled.evaluate(fields: fields, variables: values) {
            case .success(let value):
                Console.out(format == "json" ? json(["value": JSONValue(value)]) : value.literalDescription + "\n")
            case .failure(let error):
                if format == "json" { Console.out(json(["error": .string(error.message)])) } else {
                    Console.error("error: \(error.message) [\(error.kind.rawValue)]")
                }
                throw ExitCode(1)
            }
        }
    }

    private func json(_ object: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONValue.object(object.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func renderExpressionProblem(_ diagnostic: Diagnostic, text: String) -> String {
        DiagnosticRenderer(colored: Console.stderrIsTerminal) { _ in text }.render(diagnostic)
    }

    private func fail(_ message: String) -> Never {
        Console.error(message.hasPrefix("error") || message.contains(": error:") ? message : "error: \(message)")
        Eval.exit(withError: ExitCode(2))
    }
}
