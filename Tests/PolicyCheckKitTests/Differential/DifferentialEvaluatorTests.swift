import Foundation
import Testing
@testable import PolicyCheckKit

/// The compiled evaluator against `ReferenceInterpreter` on random well-typed expressions and records,
/// and the printer against the parser on random trees.
///
/// Everything derives from one seed, so a failure replays: `corpus(seed:)` with the generator seed
/// the message gives rebuilds the schema, the records and the expressions in the same order.
/// `POLICYCHECK_DIFFERENTIAL_SEED` (hexadecimal) runs the same checks from another seed.
@Suite("Differential check of the evaluator")
struct DifferentialEvaluatorTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["POLICYCHECK_DIFFERENTIAL_SEED"]
        .flatMap { UInt64($0.hasPrefix("0x") ? String($0.dropFirst(2)) : $0, radix: 16) } ?? 0x5EED_D1FF_2022_0006

    static let schemaCount = 60
    static let expressionsPerSchema = 40
    static let recordsPerSchema = 8
    /// Disagreements reported one by one; past this, only their number.
    static let reportLimit = 10

    /// One schema's cases: its parameters, records and expressions, in the order the generator drew them.
    struct Corpus {
        var schema: GeneratedSchema
        var records: [GeneratedRecord]
        var expressions: [Expr]

        var parameters: [String: Value] {
            Dictionary(uniqueKeysWithValues: schema.parameters.map { ($0.name, $0.value) })
        }
    }

    static func corpus(seed: UInt64) -> Corpus {
        var generator = ExpressionGenerator(seed: seed)
        let records = (0..<recordsPerSchema).map { _ in generator.record() }
        let expressions = (0..<expressionsPerSchema).map { _ in generator.ruleExpression() }
        return Corpus(schema: generator.schema, records: records, expressions: expressions)
    }

    static func corpusSeeds(_ seed: UInt64) -> [UInt64] {
        var random = SplitMix64(seed: seed)
        return (0..<schemaCount).map { _ in random.next() }
    }

    static func describe(_ record: GeneratedRecord, _ schema: GeneratedSchema) -> String {
        ExpressionPrinter.source(of: .map(MapValue(schema.fields.map { (.string($0.name), record.fieldsByName[$0.name] ?? .null) })))
    }

    static func describe(_ result: Result<Value, EvaluationError>) -> String {
        switch result {
        case .success(let value): ExpressionPrinter.source(of: value)
        case .failure(let error): "error [\(error.kind.rawValue)] \(error.message)"
        }
    }

    static func describe(_ result: Result<Value, ReferenceInterpreter.Failure>) -> String {
        switch result {
        case .success(let value): ExpressionPrinter.source(of: value)
        case .failure(let failure): "error [\(failure.kind.rawValue)] \(failure.detail)"
        }
    }

    /// The same value, or errors of the same kind.
    static func agree(_ compiled: Result<Value, EvaluationError>, _ reference: Result<Value, ReferenceInterpreter.Failure>) -> Bool {
        switch (compiled, reference) {
        case let (.success(a), .success(b)): a == b
        case let (.failure(a), .failure(b)): a.kind == b.kind
        default: false
        }
    }

    @Test("the compiled evaluator and the reference interpreter agree on every random case")
    func compiledAgreesWithReference() {
        var cases = 0, disagreements = 0, uncompiled = 0
        for corpusSeed in Self.corpusSeeds(Self.seed) {
            let corpus = Self.corpus(seed: corpusSeed)
            let environment = corpus.schema.environment
            let parameters = corpus.parameters
            for (expressionIndex, expr) in corpus.expressions.enumerated() {
                let text = ExpressionPrinter.source(of: expr)
                let compiled: CompiledExpression
                switch CompiledExpression.compile(text, environment: environment) {
                case .success(let program): compiled = program
                case .failure(let diagnostic):
                    uncompiled += 1
                    if uncompiled <= Self.reportLimit {
                        Issue.record("generator seed 0x\(String(corpusSeed, radix: 16)), expression #\(expressionIndex) does not compile: \(diagnostic.message)\n  \(text)")
                    }
                    continue
                }
                for (recordIndex, record) in corpus.records.enumerated() {
                    cases += 1
                    let actual = compiled.evaluate(fields: record.slots)
                    let expected = ReferenceInterpreter(fields: record.fieldsByName, parameters: parameters).evaluate(expr)
                    guard !Self.agree(actual, expected) else { continue }
                    disagreements += 1
                    if disagreements <= Self.reportLimit {
                        Issue.record("""
                            `corpus(seed: 0x\(String(corpusSeed, radix: 16)))`, expression #\(expressionIndex), record #\(recordIndex)
                              expression: \(text)
                              record:     \(Self.describe(record, corpus.schema))
                              params:     \(ExpressionPrinter.source(of: .map(MapValue(corpus.schema.parameters.map { (.string($0.name), $0.value) }))))
                              compiled:   \(Self.describe(actual))
                              reference:  \(Self.describe(expected))
                            """)
                    }
                }
            }
        }
        #expect(disagreements == 0, "\(disagreements) of \(cases) cases disagree (seed 0x\(String(Self.seed, radix: 16)))")
        #expect(uncompiled == 0)
        #expect(cases >= 10_000)
    }

    @Test("printing a random expression and parsing it again gives the same tree")
    func printedTreesParseBack() {
        var trees = 0, mismatches = 0
        for corpusSeed in Self.corpusSeeds(Self.seed ^ 0xA5A5_A5A5_A5A5_A5A5) {
            var generator = ExpressionGenerator(seed: corpusSeed)
            for index in 0..<Self.expressionsPerSchema {
                let expr = generator.ruleExpression()
                let text = ExpressionPrinter.source(of: expr)
                trees += 1
                let parsed: Expr
                do throws(ExpressionProblem) { parsed = try ExpressionParser.parse(text) } catch {
                    mismatches += 1
                    if mismatches <= Self.reportLimit {
                        Issue.record("generator seed 0x\(String(corpusSeed, radix: 16)), tree #\(index): `\(text)` does not parse: \(error.message) at \(error.offset)")
                    }
                    continue
                }
                if parsed.withoutOffsets != expr.withoutOffsets {
                    mismatches += 1
                    if mismatches <= Self.reportLimit {
                        Issue.record("generator seed 0x\(String(corpusSeed, radix: 16)), tree #\(index): `\(text)` parses to `\(ExpressionPrinter.source(of: parsed))`, another tree")
                    }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(trees >= 2_000)
    }

    @Test("every expression of the conformance cases prints and parses back to its tree")
    func conformanceExpressionsParseBack() {
        var trees = 0
        for testCase in ConformanceCase.load() {
            guard let tree = try? ExpressionParser.parse(testCase.expression) else { continue }
            let text = ExpressionPrinter.source(of: tree)
            trees += 1
            let reparsed = try? ExpressionParser.parse(text)
            #expect(reparsed?.withoutOffsets == tree.withoutOffsets, "\(testCase.testDescription): `\(testCase.expression)` printed as `\(text)`")
        }
        #expect(trees >= 300)
    }
}
