import Foundation
import PolicyCheckKit
import Testing

/// Inputs the fuzz targets of `Fuzz/` crashed or hung on, replayed through the same entry points once
/// fixed. An expression input is a claim about the fixed behaviour: it evaluates to `true`, or, when
/// its name ends in `.error`, it stops with an evaluation error, as a value out of range must.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs")

    static func inputs(of target: String) -> [String] {
        let folder = inputs.appendingPathComponent(target).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test("expression inputs compile against the bundled pack and hold", .timeLimit(.minutes(1)),
          arguments: inputs(of: "expression"))
    func expression(_ name: String) throws {
        let text = try String(contentsOf: Self.inputs.appendingPathComponent("expression/" + name), encoding: .utf8)
        let compiled = try CompiledExpression.compile(text, environment: Fixtures.bundledPack.environment()).get()
        let result = compiled.evaluate()
        if name.hasSuffix(".error") {
            guard case .failure(let error) = result else {
                Issue.record("`\(name)` evaluated to \(result), expected an evaluation error")
                return
            }
            #expect(error.kind == .invalidArgument, "\(name): \(error.message)")
        } else {
            #expect(result == .success(.bool(true)), "\(name)")
        }
    }
}
