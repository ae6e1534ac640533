import Foundation
import PolicyCheckKit
import Testing

/// Inputs the fuzz targets of `Fuzz/` crashed or hung on, replayed through the same entry points once
/// fixed. An expression input is a claim about the fixed behaviour: it must evaluate to `true`.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs")

    static func inputs(of target: String) -> [String] {
        let folder = inputs.appendingPathComponent(target).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { folder + "/" + $0 }
    }

    @Test("expression inputs compile against the bundled pack and hold", .timeLimit(.minutes(1)),
          arguments: inputs(of: "expression"))
    func expression(_ file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let compiled = try CompiledExpression.compile(text, environment: Fixtures.bundledPack.environment()).get()
        #expect(compiled.evaluate() == .success(.bool(true)), "\(URL(fileURLWithPath: file).lastPathComponent)")
    }
}
