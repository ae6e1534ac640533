import Foundation
import PolicyCheckKit

/// Paths and shared objects for the tests: the repository root, the bundled pack compiled once.
enum Fixtures {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let bundledPackPath = repositoryRoot + "/rules/shaoxing-2022-6"

    static let bundledPack: CompiledPack = {
        let compilation = PackCompiler.compile(directory: bundledPackPath)
        guard let pack = compilation.pack else {
            fatalError("the bundled pack does not compile:\n" + compilation.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return pack
    }()

    static let miniPackPath = repositoryRoot + "/Tests/PolicyCheckKitTests/Fixtures/mini-pack"

    /// A small pack of the tests' own, so engine tests do not move when the bundled pack's rules change.
    static let miniPack: CompiledPack = {
        let compilation = PackCompiler.compile(directory: miniPackPath)
        guard let pack = compilation.pack else {
            fatalError("the mini pack does not compile:\n" + compilation.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return pack
    }()

    /// Writes `text` to a new temporary file named `name` and returns its path.
    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = NSTemporaryDirectory() + "policycheck-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func casesDirectory() -> String {
        repositoryRoot + "/Tests/PolicyCheckKitTests/Expression/Cases"
    }

    /// A scratch copy of the bundled pack that a test may edit.
    static func copyOfBundledPack() throws -> String {
        let target = NSTemporaryDirectory() + "policycheck-pack-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: bundledPackPath, toPath: target)
        return target
    }

    static func replace(in file: String, _ old: String, with new: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        precondition(text.contains(old), "`\(old)` not found in \(file)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Reads YAML/JSON record text against the bundled pack's schemas.
    static func readRecords(_ text: String, file: String = "input.yaml", type: String? = nil) -> DocumentRecordReader.Result {
        DocumentRecordReader(schemas: bundledPack.schemas, defaultType: type).read(text: text, file: file)
    }
}
