import Foundation
import PolicyCheckKit
import Testing

/// Runs the case files of `Cases/`: CEL's conformance cases translated to our language, and our date cases.
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    var file: String
    var name: String
    var expression: String
    var bindings: [(String, Value)]
    var expectation: Expectation

    enum Expectation: Sendable {
        case value(Value)
        case valueExpression(String)
        case evaluationError(String)
        case checkError
    }

    var testDescription: String { "\(file): \(name)" }

    static func load() -> [ConformanceCase] {
        let directory = Fixtures.casesDirectory()
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        var cases: [ConformanceCase] = []
        for file in files {
            guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
                  case .success(let documents) = YAMLSource(file: file, text: text).documents(),
                  case .mapping(let top, _)? = documents.first,
                  case .sequence(let items, _)? = top.first(where: { $0.key.text == "cases" })?.value else { continue }
            for item in items {
                guard case .mapping(let pairs, _) = item else { continue }
                func node(_ key: String) -> LocatedNode? { pairs.first { $0.key.text == key }?.value }
                guard let name = node("name")?.scalar?.text, let expression = node("expr")?.scalar?.text else { continue }
                var bindings: [(String, Value)] = []
                if case .mapping(let bound, _)? = node("bind") {
                    bindings = bound.map { ($0.key.text, ValueDecoder(strictness: .strict).decodeAny($0.value)) }
                }
                let expectation: Expectation
                if let valueNode = node("value") {
                    expectation = .value(ValueDecoder(strictness: .strict).decodeAny(valueNode))
                } else if let text = node("value_expr")?.scalar?.text {
                    expectation = .valueExpression(text)
                } else if let error = node("error")?.scalar {
                    expectation = .evaluationError(error.isNull ? "" : error.text)
                } else {
                    expectation = .checkError
                }
                cases.append(ConformanceCase(file: file, name: name, expression: expression, bindings: bindings,
                                             expectation: expectation))
            }
        }
        return cases
    }
}

@Suite("Expression language conformance")
struct ConformanceCaseTests {
    static let cases = ConformanceCase.load()

    @Test("the case files hold the CEL conformance cases")
    func casesArePresent() {
        #expect(Self.cases.count >= 400)
    }

    @Test("each case evaluates as expected", arguments: cases)
    func evaluate(_ testCase: ConformanceCase) {
        let environment = Fixtures.bundledPack.environment(variables: testCase.bindings.map { ($0.0, ValueType.dyn) })
        let compiled = CompiledExpression.compile(testCase.expression, environment: environment)
        switch (testCase.expectation, compiled) {
        case (.checkError, .failure):
            return
        case (.checkError, .success(let program)):
            let result = program.evaluate(variables: testCase.bindings.map(\.1))
            Issue.record("expected a parse or type error, got \(result)")
        case (_, .failure(let diagnostic)):
            Issue.record("unexpected compile error: \(diagnostic)")
        case (.value(let expected), .success(let program)):
            #expect(program.evaluate(variables: testCase.bindings.map(\.1)) == .success(expected))
        case (.valueExpression(let text), .success(let program)):
            guard case .success(let reference) = CompiledExpression.compile(text, environment: environment),
                  case .success(let expected) = reference.evaluate(variables: testCase.bindings.map(\.1)) else {
                Issue.record("the expected-value expression `\(text)` does not evaluate")
                return
            }
            #expect(program.evaluate(variables: testCase.bindings.map(\.1)) == .success(expected))
        case (.evaluationError(let fragment), .success(let program)):
            switch program.evaluate(variables: testCase.bindings.map(\.1)) {
            case .success(let value):
                Issue.record("expected an evaluation error containing `\(fragment)`, got \(value.literalDescription)")
            case .failure(let error):
                #expect(fragment.isEmpty || error.message.contains(fragment), "error was: \(error.message)")
            }
        }
    }
}
